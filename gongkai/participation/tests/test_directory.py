"""The 重大行政决策事项目录 through the services: stage order, the legality review's working
days on the real 2026 calendar, adjustments with reasons."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from gongkai.accounts.models import Role
from gongkai.participation import services
from gongkai.participation.models import DecisionVersion, DirectoryAdjustment

from .factories import DirectoryFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def decision(org_tree, make_staff):
    editor = make_staff(Role.EDITOR, org_tree["city"])
    d = DirectoryFactory(organisation=org_tree["city"], year=2026)
    x = services.decision_add(
        directory=d,
        title="杭东市养老服务设施布局规划",
        owner=org_tree["office"],
        legal_basis="《重大行政决策程序暂行条例》",
        planned_time="2026年10月",
        acting_user=editor,
    )
    return x, editor


def _stage(x, name):
    return x.stages.get(stage=name)


def test_stages_complete_only_in_order(decision):
    x, editor = decision
    with pytest.raises(ValidationError, match="须先完成“公众参与”环节"):
        services.stage_update(
            stage=_stage(x, "expert"), state="done", finished_on=D(2026, 3, 1), acting_user=editor
        )
    assert _stage(x, "expert").state == "pending"
    services.stage_update(
        stage=_stage(x, "participation"),
        state="done",
        finished_on=D(2026, 2, 1),
        acting_user=editor,
    )
    with pytest.raises(ValidationError, match="请说明理由"):
        services.stage_update(stage=_stage(x, "expert"), state="skipped", acting_user=editor)
    services.stage_update(
        stage=_stage(x, "expert"), state="skipped", note="不涉及专业技术问题", acting_user=editor
    )
    services.stage_update(
        stage=_stage(x, "risk"), state="done", finished_on=D(2026, 3, 1), acting_user=editor
    )
    assert list(x.stages.values_list("state", flat=True)) == [
        "done",
        "skipped",
        "done",
        "pending",
        "pending",
        "pending",
        "pending",
        "pending",
    ]


def test_legality_review_seven_working_days_on_the_2026_calendar(decision):
    x, editor = decision
    for name in ("participation", "expert", "risk"):
        services.stage_update(
            stage=_stage(x, name), state="done", finished_on=D(2026, 9, 1), acting_user=editor
        )
    legality = _stage(x, "legality")
    # received Tue 29 Sep 2026; 国庆 1–7 Oct are holidays, Sat 10 Oct is a working day:
    # 30 Sep, 8 Oct, 9 Oct, 10 Oct, 12 Oct, 13 Oct = 6 working days by 13 Oct
    with pytest.raises(ValidationError, match="本次为6个工作日"):
        services.stage_update(
            stage=legality,
            state="done",
            started_on=D(2026, 9, 29),
            finished_on=D(2026, 10, 13),
            acting_user=editor,
        )
    legality.refresh_from_db()
    assert legality.state == "pending"
    services.stage_update(
        stage=legality,
        state="done",
        started_on=D(2026, 9, 29),
        finished_on=D(2026, 10, 14),
        acting_user=editor,
    )
    legality.refresh_from_db()
    assert (legality.state, legality.finished_on) == ("done", D(2026, 10, 14))


def test_after_publication_decisions_change_only_through_adjustments(decision, org_tree):
    x, editor = decision
    services.directory_publish(directory=x.directory, acting_user=editor, without_review="测试")
    with pytest.raises(ValidationError, match="须起草目录调整，经审核发布后生效"):
        services.decision_remove(decision=x, reason="上级政府统筹实施", acting_user=editor)
    with pytest.raises(ValidationError, match="须起草目录调整，经审核发布后生效"):
        services.decision_add(
            directory=x.directory,
            title="新增事项",
            owner=org_tree["office"],
            legal_basis="依据",
            planned_time="2026年12月",
            acting_user=editor,
        )
    x.refresh_from_db()
    assert not x.removed
    assert list(x.directory.decisions.values_list("title", flat=True)) == [
        "杭东市养老服务设施布局规划"
    ]
    assert not DirectoryAdjustment.objects.exists()


def test_directory_only_for_governments(org_tree, make_staff):
    editor = make_staff(Role.EDITOR, org_tree["finance"])
    with pytest.raises(ValidationError, match="由人民政府编制"):
        services.directory_create(organisation=org_tree["finance"], year=2026, acting_user=editor)


def test_directory_published_only_through_the_review_chain(client, decision, org_tree, make_staff):
    from gongkai.core.status import ContentStatus
    from gongkai.review.chain_services import review_decide, review_request_for, review_submit

    x, editor = decision
    d = x.directory
    reviewers = [make_staff(Role.REVIEWER, org_tree["city"], review_level=n) for n in (1, 2, 3)]
    # no direct publication around the chain
    with pytest.raises(ValidationError, match="未经审核流程终审通过，不能发布"):
        services.directory_publish(directory=d, acting_user=editor)
    d.refresh_from_db()
    assert (d.status, d.published_date) == (ContentStatus.DRAFT, None)
    # the old staff "publish" button now leads to the review page and publishes nothing
    client.force_login(editor)
    r = client.post(f"/staff/participation/directories/{d.pk}/publish/")
    assert r["Location"] == f"/staff/workflow/decision_directory/{d.pk}/"
    d.refresh_from_db()
    assert d.status == ContentStatus.DRAFT
    assert (
        "杭东市养老服务设施布局规划"
        not in client.get("/participation/decisions/?year=2026").content.decode()
    )
    review_submit(content=d, acting_user=editor)
    for reviewer in reviewers[:2]:
        review_decide(request=review_request_for(d), decision="approve", acting_user=reviewer)
    d.refresh_from_db()
    assert d.status != ContentStatus.PUBLISHED
    review_decide(request=review_request_for(d), decision="approve", acting_user=reviewers[2])
    d.refresh_from_db()
    assert d.status == ContentStatus.PUBLISHED
    assert d.published_date is not None
    html = client.get("/participation/decisions/?year=2026").content.decode()
    assert "杭东市养老服务设施布局规划" in html
    # the first publication starts the directory's history
    assert list(DecisionVersion.objects.values_list("title", "valid_to")) == [
        ("杭东市养老服务设施布局规划", None)
    ]


def test_empty_directory_cannot_be_submitted(org_tree, make_staff):
    from gongkai.review.chain_services import review_submit

    editor = make_staff(Role.EDITOR, org_tree["city"])
    d = DirectoryFactory(organisation=org_tree["city"], year=2027)
    with pytest.raises(ValidationError, match="目录中还没有决策事项"):
        review_submit(content=d, acting_user=editor)
