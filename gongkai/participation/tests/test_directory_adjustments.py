"""Adjustments of a published 重大行政决策事项目录 are a reviewed content kind (issue 13): a
draft (新增, 调整 or 调出 one decision, with its reason) changes nothing public; the chain's
final approval publishes it and only then is it applied — the directory as it stands, its
history (``directory_as_of``) and the audit trail follow."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from gongkai.accounts.models import Role
from gongkai.core.models import AuditEntry
from gongkai.core.status import ContentStatus
from gongkai.participation import selectors, services
from gongkai.participation.models import DecisionVersion, DirectoryAdjustment
from gongkai.review.chain_services import review_decide, review_request_for, review_submit

from .factories import DirectoryFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def published(org_tree, make_staff):
    editor = make_staff(Role.EDITOR, org_tree["city"])
    reviewers = [make_staff(Role.REVIEWER, org_tree["city"], review_level=n) for n in (1, 2, 3)]
    d = DirectoryFactory(organisation=org_tree["city"], year=2026)
    first = services.decision_add(
        directory=d,
        title="杭东市养老服务设施布局规划",
        owner=org_tree["office"],
        legal_basis="《重大行政决策程序暂行条例》",
        planned_time="2026年10月",
        acting_user=editor,
    )
    second = services.decision_add(
        directory=d,
        title="杭东市公共交通票价调整",
        owner=org_tree["finance"],
        legal_basis="《价格法》",
        planned_time="2026年6月",
        acting_user=editor,
    )
    services.directory_publish(
        directory=d, acting_user=editor, on=D(2026, 2, 1), without_review="测试"
    )
    return {"d": d, "editor": editor, "reviewers": reviewers, "first": first, "second": second}


def approve(obj, w, on=None):
    review_submit(content=obj, acting_user=w["editor"])
    for reviewer in w["reviewers"]:
        review_decide(request=review_request_for(obj), decision="approve", acting_user=reviewer)
    obj.refresh_from_db()


def current(d):
    return [
        (x.number, x.title, x.owner.name, x.planned_time)
        for x in selectors.directory_decisions(d).filter(removed=False)
    ]


def test_a_draft_changes_nothing_until_the_chain_publishes_it(published, org_tree, client):
    w, d = published, published["d"]
    before = current(d)
    draft = services.directory_adjustment_create(
        directory=d,
        action="add",
        title="杭东市生活垃圾分类管理办法",
        owner=org_tree["office"],
        legal_basis="《固体废物污染环境防治法》",
        planned_time="2026年12月",
        reason="市政府常务会议决定增补",
        acting_user=w["editor"],
    )
    assert (draft.status, draft.decision) == (ContentStatus.DRAFT, None)
    assert current(d) == before
    assert (
        "杭东市生活垃圾分类管理办法"
        not in client.get("/participation/decisions/?year=2026").content.decode()
    )
    with pytest.raises(ValidationError, match="未经审核流程终审通过，不能发布"):
        services.directory_adjustment_publish(adjustment=draft, acting_user=w["editor"])
    assert current(d) == before
    review_submit(content=draft, acting_user=w["editor"])
    for reviewer in w["reviewers"][:2]:
        review_decide(request=review_request_for(draft), decision="approve", acting_user=reviewer)
    assert current(d) == before  # approved at levels 1–2: still nothing public
    review_decide(
        request=review_request_for(draft), decision="approve", acting_user=w["reviewers"][2]
    )
    draft.refresh_from_db()
    assert draft.status == ContentStatus.PUBLISHED
    assert draft.decision is not None
    assert current(d) == [
        *before,
        (3, "杭东市生活垃圾分类管理办法", "杭东市人民政府办公厅", "2026年12月"),
    ]
    assert draft.decision.stages.count() == 8
    audit = list(
        AuditEntry.objects.filter(
            target_type="participation.directoryadjustment", target_id=str(draft.pk)
        )
        .order_by("id")
        .values_list("action", "organisation")
    )
    assert audit[0] == ("create", org_tree["city"].pk)
    assert audit[-1] == ("publish", org_tree["city"].pk)


def test_change_and_remove_keep_the_history_day_by_day(published, org_tree):
    w, d = published, published["d"]
    change = services.directory_adjustment_create(
        directory=d,
        action="change",
        decision=w["second"],
        title="杭东市公共交通票价调整",
        owner=org_tree["finance"],
        legal_basis="《价格法》《政府制定价格听证办法》",
        planned_time="2026年9月",
        reason="需要增加听证环节，推迟完成时间",
        acting_user=w["editor"],
    )
    approve(change, w)
    DirectoryAdjustment.objects.filter(pk=change.pk).update(published_date=D(2026, 5, 10))
    DecisionVersion.objects.filter(adjustment=change).update(valid_from=D(2026, 5, 10))
    DecisionVersion.objects.filter(decision=w["second"], adjustment=None).update(
        valid_to=D(2026, 5, 10)
    )
    remove = services.directory_adjustment_create(
        directory=d,
        action="remove",
        decision=w["first"],
        reason="上级政府统筹实施，不再列入本级目录",
        acting_user=w["editor"],
    )
    # 调出 carries what leaves the directory
    assert (remove.title, remove.owner) == ("杭东市养老服务设施布局规划", org_tree["office"])
    review_submit(content=remove, acting_user=w["editor"])
    for reviewer in w["reviewers"]:
        review_decide(request=review_request_for(remove), decision="approve", acting_user=reviewer)
    remove.refresh_from_db()
    w["first"].refresh_from_db()
    assert w["first"].removed
    assert current(d) == [(2, "杭东市公共交通票价调整", "杭东市财政局", "2026年9月")]

    def as_of(day):
        return [(v.decision.number, v.planned_time) for v in selectors.directory_as_of(d, day)]

    assert as_of(D(2026, 1, 31)) == []
    assert as_of(D(2026, 2, 1)) == [(1, "2026年10月"), (2, "2026年6月")]
    assert as_of(D(2026, 5, 9)) == [(1, "2026年10月"), (2, "2026年6月")]
    assert as_of(D(2026, 5, 10)) == [(1, "2026年10月"), (2, "2026年9月")]
    assert as_of(remove.published_date) == [(2, "2026年9月")]
    assert [(a.action, a.reason) for a in selectors.directory_adjustment_history(d)] == [
        ("change", "需要增加听证环节，推迟完成时间"),
        ("remove", "上级政府统筹实施，不再列入本级目录"),
    ]


def test_bad_adjustments_are_refused_and_nothing_is_saved(published, org_tree):
    w, d = published, published["d"]
    with pytest.raises(ValidationError, match="请填写调整理由"):
        services.directory_adjustment_create(
            directory=d, action="remove", decision=w["first"], reason=" ", acting_user=w["editor"]
        )
    with pytest.raises(ValidationError, match="请选择本目录中要调整或调出的事项"):
        services.directory_adjustment_create(
            directory=d, action="remove", reason="理由", acting_user=w["editor"]
        )
    with pytest.raises(ValidationError, match="调整后的内容与现行内容相同"):
        services.directory_adjustment_create(
            directory=d,
            action="change",
            decision=w["first"],
            title="杭东市养老服务设施布局规划",
            owner=org_tree["office"],
            legal_basis="《重大行政决策程序暂行条例》",
            planned_time="2026年10月",
            reason="理由",
            acting_user=w["editor"],
        )
    with pytest.raises(ValidationError, match="请填写决策依据"):
        services.directory_adjustment_create(
            directory=d,
            action="add",
            title="新事项",
            owner=org_tree["office"],
            planned_time="2026年12月",
            reason="理由",
            acting_user=w["editor"],
        )
    unpublished = DirectoryFactory(organisation=org_tree["city"], year=2027)
    with pytest.raises(ValidationError, match="目录尚未公布"):
        services.directory_adjustment_create(
            directory=unpublished,
            action="add",
            title="新事项",
            owner=org_tree["office"],
            legal_basis="依据",
            planned_time="2027年",
            reason="理由",
            acting_user=w["editor"],
        )
    assert not DirectoryAdjustment.objects.exists()
    assert not AuditEntry.objects.filter(target_type="participation.directoryadjustment").exists()


def test_a_second_removal_of_the_same_decision_is_refused_at_publication(published):
    w, d = published, published["d"]
    drafts = [
        services.directory_adjustment_create(
            directory=d,
            action="remove",
            decision=w["first"],
            reason=f"理由{n}",
            acting_user=w["editor"],
        )
        for n in (1, 2)
    ]
    approve(drafts[0], w)
    assert drafts[0].status == ContentStatus.PUBLISHED
    with pytest.raises(ValidationError, match="该事项已调出目录"):
        review_submit(content=drafts[1], acting_user=w["editor"])
    drafts[1].refresh_from_db()
    assert drafts[1].status == ContentStatus.DRAFT
    assert DecisionVersion.objects.filter(decision=w["first"], valid_to__isnull=True).count() == 0


def test_only_editors_of_the_government_draft_adjustments(published, org_tree, make_staff):
    w, d = published, published["d"]
    outsider = make_staff(Role.EDITOR, org_tree["finance"])
    with pytest.raises(Exception, match="没有在“杭东市人民政府”办理此项操作的权限"):
        services.directory_adjustment_create(
            directory=d, action="remove", decision=w["first"], reason="理由", acting_user=outsider
        )
    assert not DirectoryAdjustment.objects.exists()
