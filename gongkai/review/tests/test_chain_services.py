"""The review chain on real items, interpretations and Q&A: levels, self-approval, returns,
overrides, scheduled publishing, versions and the audit rows of every step."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gongkai.accounts.models import Role
from gongkai.accounts.tests.factories import RoleAssignmentFactory
from gongkai.catalogue.models import InformationItem
from gongkai.catalogue.services import item_create, item_update
from gongkai.checks.tests.factories import WordlistEntryFactory
from gongkai.core.models import AuditEntry
from gongkai.policies.models import Interpretation
from gongkai.policies.services import interpretation_create, qa_create
from gongkai.review import chain_services as cs
from gongkai.review.models import ContentVersion, ReviewDecision, ReviewRequest
from gongkai.review.tests.factories import ReviewChainFactory

ID_NUMBER = "11010519491231002X"  # valid check character (GB 11643)


@pytest.fixture
def finance(org_tree):
    return org_tree["finance"]


@pytest.fixture
def editor(finance, make_staff):
    return make_staff(Role.EDITOR, finance, username="editor")


@pytest.fixture
def reviewers(finance, make_staff):
    return {
        n: make_staff(Role.REVIEWER, finance, username=f"rev{n}", review_level=n) for n in (1, 2, 3)
    }


def _item(editor, finance, **extra):
    data = {
        "title": "关于开展2026年春季植树活动的通知",
        "written_date": timezone.localdate(),
        "summary": "部署春季植树工作。",
        "body": "<p>各单位：请按要求组织植树。</p>",
        "genre": "notice",
    }
    data.update(extra)
    return item_create(organisation=finance, data=data, acting_user=editor)


def _actions(item):
    return list(
        AuditEntry.objects.filter(target_type="catalogue.informationitem", target_id=str(item.pk))
        .order_by("id")
        .values_list("action", "actor_name")
    )


def _approve(request, user, comment=""):
    return cs.review_decide(request=request, decision="approve", acting_user=user, comment=comment)


def test_three_levels_then_published_with_audit_rows(editor, finance, reviewers):
    item = _item(editor, finance)
    request = cs.review_submit(content=item, acting_user=editor)
    item.refresh_from_db()
    assert (request.state, request.level, request.levels, request.round) == ("in_review", 1, 3, 1)
    assert item.status == "in_review"
    assert request.position_label == "审核中（第1级·初审）"

    assert _approve(request, reviewers[1]).published is False
    request.refresh_from_db()
    assert (request.state, request.level) == ("in_review", 2)
    _approve(request, reviewers[2])
    request.refresh_from_db()
    assert request.position_label == "审核中（第3级·终审）"
    outcome = _approve(request, reviewers[3], "同意发布")
    assert outcome.published is True
    item.refresh_from_db()
    request.refresh_from_db()
    assert (item.status, item.published_date) == ("published", timezone.localdate())
    assert (request.state, request.level) == ("published", 3)
    assert _actions(item) == [
        ("create", "编辑1"),
        ("submit", "编辑1"),
        ("approve", "审核人2"),
        ("approve", "审核人3"),
        ("approve", "审核人4"),
        ("publish", ""),
    ]
    assert list(
        ReviewDecision.objects.order_by("id").values_list("level", "decision", "comment")
    ) == [(1, "approve", ""), (2, "approve", ""), (3, "approve", "同意发布")]
    approve3 = AuditEntry.objects.filter(action="approve").order_by("-id").first()
    assert approve3.detail == {
        "request": request.pk,
        "round": 1,
        "level": 3,
        "levels": 3,
        "comment": "同意发布",
        "blocking": [],
    }


def test_author_can_never_approve_own_draft_even_as_superuser(editor, finance, reviewers):
    editor.is_superuser = True
    editor.save()
    for n in (1, 2, 3):
        RoleAssignmentFactory.create(
            user=editor, organisation=finance, role=Role.REVIEWER, review_level=n
        )
    item = _item(editor, finance)
    request = cs.review_submit(content=item, acting_user=editor)
    before = AuditEntry.objects.count()
    for decision in ("approve", "override", "return"):
        with pytest.raises(ValidationError, match="不能审核自己起草或提交的内容") as exc:
            cs.review_decide(request=request, decision=decision, acting_user=editor, comment="自审")
        assert exc.value.messages == ["不能审核自己起草或提交的内容"]
    request.refresh_from_db()
    item.refresh_from_db()
    assert (request.state, request.level, item.status) == ("in_review", 1, "in_review")
    assert AuditEntry.objects.count() == before
    assert ReviewDecision.objects.count() == 0


def test_submitter_other_than_creator_cannot_review_either(finance, make_staff, editor, reviewers):
    other_editor = make_staff(Role.EDITOR, finance, username="ed2")
    RoleAssignmentFactory.create(
        user=other_editor, organisation=finance, role=Role.REVIEWER, review_level=1
    )
    item = _item(editor, finance)
    request = cs.review_submit(content=item, acting_user=other_editor)
    with pytest.raises(ValidationError, match="不能审核自己起草或提交的内容"):
        _approve(request, other_editor)


def test_an_editor_of_the_draft_cannot_approve_it_either(finance, make_staff, editor, reviewers):
    # Issue 19: 编辑 + 审核人 edits a colleague's draft, the colleague submits, and the editor
    # must not approve it at level 1 as if someone else had written it.
    both = make_staff(Role.EDITOR, finance, username="both")
    RoleAssignmentFactory.create(
        user=both, organisation=finance, role=Role.REVIEWER, review_level=1
    )
    item = _item(editor, finance)
    item_update(item=item, data={"summary": "部署春季植树和养护工作。"}, acting_user=both)
    request = cs.review_submit(content=item, acting_user=editor)
    decisions = ReviewDecision.objects.count()
    with pytest.raises(ValidationError, match="不能审核自己起草或提交的内容"):
        _approve(request, both)
    request.refresh_from_db()
    assert (request.state, request.level) == ("in_review", 1)
    assert ReviewDecision.objects.count() == decisions
    # The level's other reviewer still may.
    _approve(request, reviewers[1])
    request.refresh_from_db()
    assert request.level == 2


def test_wrong_level_and_wrong_organisation_refused(
    editor, finance, reviewers, org_tree, make_staff
):
    item = _item(editor, finance)
    request = cs.review_submit(content=item, acting_user=editor)
    with pytest.raises(
        ValidationError, match="您不是本机构第1级（初审）审核人，不能在此级审核"
    ) as exc:
        _approve(request, reviewers[2])
    assert exc.value.messages == ["您不是本机构第1级（初审）审核人，不能在此级审核"]
    office_reviewer = make_staff(Role.REVIEWER, org_tree["office"], review_level=1)
    with pytest.raises(ValidationError, match="您不是本机构第1级"):
        _approve(request, office_reviewer)
    admin = make_staff(Role.ADMIN, finance)
    with pytest.raises(ValidationError, match="您不是本机构第1级"):
        _approve(request, admin)
    request.refresh_from_db()
    assert (request.state, request.level) == ("in_review", 1)


def test_reviewer_of_parent_with_descendants_may_review(editor, finance, org_tree, make_staff):
    city_reviewer = make_staff(
        Role.REVIEWER, org_tree["city"], review_level=1, include_descendants=True
    )
    ReviewChainFactory.create(organisation=finance, content_kind="item", levels=1)
    item = _item(editor, finance)
    request = cs.review_submit(content=item, acting_user=editor)
    assert request.levels == 1
    assert _approve(request, city_reviewer).published is True


def test_return_then_resubmit_restarts_at_level_one(editor, finance, reviewers):
    item = _item(editor, finance)
    request = cs.review_submit(content=item, acting_user=editor)
    _approve(request, reviewers[1])
    _approve(request, reviewers[2])
    with pytest.raises(ValidationError, match="退回时必须填写退回意见"):
        cs.review_decide(request=request, decision="return", acting_user=reviewers[3])
    cs.review_decide(
        request=request, decision="return", acting_user=reviewers[3], comment="标题不规范"
    )
    item.refresh_from_db()
    request.refresh_from_db()
    assert (item.status, request.state, request.level) == ("returned", "returned", 0)
    with pytest.raises(ValidationError, match="该内容当前不在审核中"):
        _approve(request, reviewers[3])
    item_update(item=item, data={"title": "关于开展春季植树活动的通知"}, acting_user=editor)
    request = cs.review_submit(content=item, acting_user=editor)
    assert (request.state, request.level, request.round) == ("in_review", 1, 2)
    with pytest.raises(ValidationError, match="第1级"):
        _approve(request, reviewers[3])
    assert [a for a, _n in _actions(item)] == [
        "create",
        "submit",
        "approve",
        "approve",
        "return",
        "edit",
        "submit",
    ]
    ret = AuditEntry.objects.get(action="return")
    assert (ret.detail["level"], ret.detail["comment"]) == (3, "标题不规范")


def test_blocking_findings_refuse_submission_and_override_is_recorded(editor, finance, reviewers):
    item = _item(editor, finance, body=f"<p>联系人身份证号码 {ID_NUMBER}。</p>")
    with pytest.raises(
        ValidationError,
        match="自动检查发现阻止发布的问题，请先修改；如确属误报，请填写申请强制通过的理由，由终审人员决定",
    ) as exc:
        cs.review_submit(content=item, acting_user=editor)
    assert exc.value.messages == [
        "自动检查发现阻止发布的问题，请先修改；如确属误报，请填写申请强制通过的理由，由终审人员决定"
    ]
    item.refresh_from_db()
    assert item.status == "draft"
    assert not ReviewRequest.objects.filter(object_id=item.pk, state="in_review").exists()
    assert AuditEntry.objects.filter(action="submit").count() == 0

    request = cs.review_submit(
        content=item, acting_user=editor, override_reason="该号码为公开的示例号码"
    )
    assert request.override_request == "该号码为公开的示例号码"
    submit = AuditEntry.objects.get(action="submit")
    assert submit.detail["blocking"] == [
        f"正文：含有身份证号码“{ID_NUMBER}”，公开前应遮蔽为“11*************02X”"
    ]
    _approve(request, reviewers[1])
    _approve(request, reviewers[2])
    with pytest.raises(ValidationError, match="终审只能退回，或填写理由后强制通过"):
        _approve(request, reviewers[3])
    with pytest.raises(ValidationError, match="强制通过必须填写理由"):
        cs.review_decide(request=request, decision="override", acting_user=reviewers[3])
    outcome = cs.review_decide(
        request=request, decision="override", acting_user=reviewers[3], comment="经核实可公开"
    )
    assert outcome.published is True
    override = AuditEntry.objects.get(action="override")
    assert (override.actor, override.detail["comment"], override.detail["level"]) == (
        reviewers[3],
        "经核实可公开",
        3,
    )
    assert override.detail["blocking"] == submit.detail["blocking"]
    decision = ReviewDecision.objects.get(decision="override")
    assert (decision.level, decision.comment) == (3, "经核实可公开")


def test_override_only_at_final_level(editor, finance, reviewers):
    item = _item(editor, finance)
    request = cs.review_submit(content=item, acting_user=editor)
    with pytest.raises(ValidationError, match="只有终审人员可以强制通过"):
        cs.review_decide(
            request=request, decision="override", acting_user=reviewers[1], comment="理由"
        )
    assert ReviewDecision.objects.count() == 0


def test_blocking_word_added_during_review_blocks_approval(editor, finance, reviewers):
    item = _item(editor, finance, summary="部署植树工作，落实某某错误提法。")
    request = cs.review_submit(content=item, acting_user=editor)
    WordlistEntryFactory.create(word="某某错误提法", category="wrong_expression", is_blocking=True)
    with pytest.raises(ValidationError, match="存在阻止发布的检查问题，请退回修改"):
        _approve(request, reviewers[1])


def test_edit_during_review_blocks_approval(editor, finance, reviewers):
    item = _item(editor, finance)
    request = cs.review_submit(content=item, acting_user=editor)
    item_update(item=item, data={"summary": "偷偷修改的概述"}, acting_user=editor)
    with pytest.raises(ValidationError, match="内容在提交审核后被修改过"):
        _approve(request, reviewers[1])


def test_submit_needs_editor_role(finance, reviewers, editor):
    item = _item(editor, finance)
    with pytest.raises(PermissionDenied, match="您没有在“杭东市财政局”提交审核的权限"):
        cs.review_submit(content=item, acting_user=reviewers[1])
    item.refresh_from_db()
    assert item.status == "draft"


def test_scheduled_publication_waits_for_its_time(editor, finance, reviewers):
    when = timezone.now() + datetime.timedelta(days=3)
    item = _item(editor, finance, scheduled_at=when)
    request = cs.review_submit(content=item, acting_user=editor)
    for n in (1, 2, 3):
        _approve(request, reviewers[n])
    item.refresh_from_db()
    request.refresh_from_db()
    assert (item.status, request.state, item.published_date) == ("approved", "approved", None)
    assert cs.review_publish_due(now=when - datetime.timedelta(minutes=1)) == []
    item.refresh_from_db()
    assert item.status == "approved"
    done = cs.review_publish_due(now=when + datetime.timedelta(minutes=1))
    assert [r.pk for r in done] == [request.pk]
    item.refresh_from_db()
    request.refresh_from_db()
    assert (item.status, request.state) == ("published", "published")
    assert item.published_date == timezone.localtime(when).date()
    assert cs.review_publish_due(now=when + datetime.timedelta(days=1)) == []


def test_withdraw_with_reason_then_resubmit(editor, finance, reviewers):
    item = _item(editor, finance)
    request = cs.review_submit(content=item, acting_user=editor)
    for n in (1, 2, 3):
        _approve(request, reviewers[n])
    with pytest.raises(ValidationError, match="撤回必须填写理由"):
        cs.review_withdraw(content=item, reason=" ", acting_user=editor)
    item.refresh_from_db()
    assert item.status == "published"
    cs.review_withdraw(content=item, reason="政策已调整", acting_user=editor)
    item.refresh_from_db()
    request.refresh_from_db()
    assert (item.status, request.state) == ("withdrawn", "withdrawn")
    assert AuditEntry.objects.get(action="withdraw").detail == {"reason": "政策已调整"}
    request = cs.review_submit(content=item, acting_user=editor)
    assert (request.level, request.round) == (1, 2)


def test_versions_and_readable_diff(editor, finance, reviewers):
    item = _item(editor, finance)
    item_update(item=item, data={"title": "关于开展2026年秋季植树活动的通知"}, acting_user=editor)
    cs.review_submit(content=item, acting_user=editor)
    versions = cs.versions_for(item)
    assert [(v.number, v.note) for v in versions] == [(1, "创建"), (2, "保存")]
    # Submitting saved nothing new: the snapshot equals version 2, so no duplicate is stored.
    request = ReviewRequest.objects.get()
    assert request.version == versions[1]
    diff = {d.name: d for d in cs.version_diff(item, versions[0], versions[1])}
    assert diff["title"].changed is True
    assert diff["title"].html == "关于开展2026年<del>春</del><ins>秋</ins>季植树活动的通知"
    assert diff["summary"].changed is False
    assert versions[1].snapshot["body"] == "各单位：请按要求组织植树。"
    assert versions[1].snapshot["body_html"] == "<p>各单位：请按要求组织植树。</p>"
    assert versions[1].snapshot["organisation"] == "杭东市财政局"


def test_status_changes_do_not_create_versions(editor, finance, reviewers):
    item = _item(editor, finance)
    request = cs.review_submit(content=item, acting_user=editor)
    for n in (1, 2, 3):
        _approve(request, reviewers[n])
    assert ContentVersion.objects.count() == 1


def test_mask_privacy_through_the_item_service(editor, finance, reviewers):
    item = _item(
        editor,
        finance,
        summary="联系电话13812345678。",
        body=f"<p>身份证 {ID_NUMBER}</p>",
    )
    assert cs.content_mask_privacy(content=item, acting_user=editor) == 2
    item.refresh_from_db()
    assert item.summary == "联系电话138****5678。"
    assert item.body == "<p>身份证 11*************02X</p>"
    assert cs.content_mask_privacy(content=item, acting_user=editor) == 0
    request = cs.review_submit(content=item, acting_user=editor)
    assert request.state == "in_review"
    with pytest.raises(ValidationError, match="审核中或已发布的内容不能直接修改"):
        cs.content_mask_privacy(content=item, acting_user=editor)


def test_mask_privacy_masks_a_suspected_id_too(editor, finance, reviewers):
    # 110105194912310021: an ID with a wrong check character (issue 18), still personal data.
    item = _item(editor, finance, body="<p>身份证 110105194912310021</p>")
    assert cs.content_mask_privacy(content=item, acting_user=editor) == 1
    item.refresh_from_db()
    assert item.body == "<p>身份证 11*************021</p>"


def test_interpretation_and_qa_go_through_the_chain(editor, finance, reviewers, org_tree):
    ReviewChainFactory.create(organisation=None, content_kind="interpretation", levels=2)
    interp = interpretation_create(
        organisation=finance, title="一图读懂植树活动", body="植树活动解读正文", acting_user=editor
    )
    request = cs.review_submit(content=interp, acting_user=editor)
    assert (request.levels, request.content_kind) == (2, "interpretation")
    _approve(request, reviewers[1])
    with pytest.raises(ValidationError, match="第2级"):
        _approve(request, reviewers[3])
    _approve(request, reviewers[2])
    interp.refresh_from_db()
    assert interp.status == "published"
    assert (
        AuditEntry.objects.filter(
            action="publish", target_type="policies.interpretation", actor=reviewers[2]
        ).count()
        == 1
    )

    entry = qa_create(
        organisation=finance,
        question="植树需要报名吗？",
        answer=f"请联系 {ID_NUMBER}",
        acting_user=editor,
    )
    with pytest.raises(ValidationError, match="自动检查发现阻止发布的问题"):
        cs.review_submit(content=entry, acting_user=editor)
    assert cs.content_mask_privacy(content=entry, acting_user=editor) == 1
    entry.refresh_from_db()
    assert "11*************02X" in entry.answer
    request = cs.review_submit(content=entry, acting_user=editor)
    assert request.levels == 3


def test_chain_configuration(finance, make_staff, org_tree, editor):
    admin = make_staff(Role.ADMIN, finance)
    chain = cs.review_chain_set(
        organisation=finance, content_kind="item", levels=2, acting_user=admin
    )
    assert cs.chain_levels(finance, "item") == 2
    assert cs.chain_levels(org_tree["office"], "item") == 3
    with pytest.raises(ValidationError, match="审核级数必须是 1 到 3 之间的整数") as exc:
        cs.review_chain_set(organisation=finance, content_kind="item", levels=4, acting_user=admin)
    assert exc.value.message_dict == {"levels": ["审核级数必须是 1 到 3 之间的整数"]}
    with pytest.raises(PermissionDenied, match="只有政务公开管理员可以设置审核流程"):
        cs.review_chain_set(organisation=finance, content_kind="item", levels=1, acting_user=editor)
    with pytest.raises(PermissionDenied, match="只有政务公开管理员可以设置审核流程"):
        cs.review_chain_set(organisation=None, content_kind="item", levels=1, acting_user=admin)
    chain.refresh_from_db()
    assert chain.levels == 2
    assert AuditEntry.objects.filter(target_type="review.reviewchain").count() == 1


def test_published_item_without_request_cannot_be_resubmitted(editor, finance):
    item = _item(editor, finance)
    InformationItem.objects.filter(pk=item.pk).update(status="published")
    item.refresh_from_db()
    with pytest.raises(ValidationError, match="当前状态：已发布"):
        cs.review_submit(content=item, acting_user=editor)
    assert Interpretation.objects.count() == 0


def test_publish_scheduled_command(editor, finance, reviewers, capsys):
    from django.core.management import call_command

    when = timezone.now() + datetime.timedelta(hours=2)
    item = _item(editor, finance, scheduled_at=when)
    request = cs.review_submit(content=item, acting_user=editor)
    for n in (1, 2, 3):
        _approve(request, reviewers[n])
    call_command("publish_scheduled")
    assert capsys.readouterr().out.strip() == "共发布 0 条"
    # The time comes: move the schedule into the past (a queryset update, no new version).
    InformationItem.objects.filter(pk=item.pk).update(
        scheduled_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    call_command("publish_scheduled")
    assert capsys.readouterr().out.splitlines() == [f"已发布：{item.title}", "共发布 1 条"]
    item.refresh_from_db()
    assert item.status == "published"


def test_reviewers_and_submitter_are_told_by_mail(
    editor, finance, reviewers, make_staff, org_tree, mailoutbox, django_capture_on_commit_callbacks
):
    for n, user in reviewers.items():
        user.email = f"rev{n}@finance.gov.example"
        user.save()
    editor.email = "editor@finance.gov.example"
    editor.save()
    # Level-1 reviewers of the city: with 含下级机构 they review finance too; without, not.
    above = make_staff(Role.REVIEWER, org_tree["city"], include_descendants=True, review_level=1)
    above.email = "city1@gov.example"
    above.save()
    only_city = make_staff(Role.REVIEWER, org_tree["city"], review_level=1)
    only_city.email = "city-only@gov.example"
    only_city.save()
    item = _item(editor, finance)

    with django_capture_on_commit_callbacks(execute=True):
        request = cs.review_submit(content=item, acting_user=editor)
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["city1@gov.example", "rev1@finance.gov.example"], f"【待审核】{item.title}")
    ]
    assert "等待您的第1级（初审）审核" in mailoutbox[0].body
    assert f"/staff/workflow/item/{item.pk}/" in mailoutbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        _approve(request, reviewers[1])
    assert mailoutbox[1].to == ["rev2@finance.gov.example"]
    assert "第2级（复审）" in mailoutbox[1].body

    with django_capture_on_commit_callbacks(execute=True):
        cs.review_decide(
            request=request, decision="return", acting_user=reviewers[2], comment="标题有误"
        )
    assert mailoutbox[2].to == ["editor@finance.gov.example"]
    assert mailoutbox[2].subject == f"【已退回】{item.title}"
    assert mailoutbox[2].body == (
        f"《{item.title}》被第2级（复审）审核人{reviewers[2].get_full_name()}退回：标题有误"
    )

    with django_capture_on_commit_callbacks(execute=True):
        request = cs.review_submit(content=item, acting_user=editor)
        for level in (1, 2, 3):
            _approve(request, reviewers[level])
    assert [m.to for m in mailoutbox[3:]] == [
        ["city1@gov.example", "rev1@finance.gov.example"],
        ["rev2@finance.gov.example"],
        ["rev3@finance.gov.example"],
        ["editor@finance.gov.example"],
    ]
    assert mailoutbox[-1].subject == f"【已发布】{item.title}"


def test_a_refused_decision_sends_no_mail(
    editor, finance, reviewers, mailoutbox, django_capture_on_commit_callbacks
):
    editor.email = "editor@finance.gov.example"
    editor.save()
    item = _item(editor, finance)
    request = cs.review_submit(content=item, acting_user=editor)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError, match="不能在此级审核"),
    ):
        _approve(request, reviewers[2])  # not this level
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError, match="退回时必须填写退回意见"),
    ):
        cs.review_decide(request=request, decision="return", acting_user=reviewers[1])
    assert mailoutbox == []
