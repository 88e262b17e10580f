"""先审后发 for 依申请公开 reply letters: the handler submits the drafted letter to the review
chain of the case's organisation; delivery waits for the final approval (issue 5)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.accounts.models import Role, User
from gongkai.accounts.tests.factories import RoleAssignmentFactory
from gongkai.core.models import AuditEntry
from gongkai.foi import services
from gongkai.foi.models import Case, CaseDocument, CaseEvent, Status
from gongkai.foi.tests.factories import CaseDocumentFactory
from gongkai.review import chain_services as cs
from gongkai.review.chain_models import ContentVersion, ReviewDecision, ReviewRequest

pytestmark = pytest.mark.django_db

E = CaseEvent.Type
THIRD_PARTY_ID = "330106198503152310"


def _drafted(record_case, handler, detail: str = "见附件。") -> tuple[Case, CaseDocument]:
    case = record_case(date(2025, 9, 26))
    case = services.case_assign(
        case=case, handler=handler, on=date(2025, 9, 26), acting_user=handler
    )
    letter = services.case_reply(
        case=case, outcome="1", detail=detail, on=date(2025, 10, 20), acting_user=handler
    )
    case.refresh_from_db()
    return case, letter


def _snapshot(case: Case, letter: CaseDocument) -> tuple:
    """Everything a refused step must leave unchanged."""
    case.refresh_from_db()
    letter.refresh_from_db()
    return (
        case.status,
        case.due_date,
        letter.review_status,
        letter.reviewed,
        letter.reviewed_by_id,
        list(case.events.values_list("type", flat=True)),
        AuditEntry.objects.count(),
        list(ReviewRequest.objects.values_list("state", "level", "round")),
        ReviewDecision.objects.count(),
    )


def _set_chain(org, levels: int, head) -> None:
    cs.review_chain_set(
        organisation=org, content_kind="reply_letter", levels=levels, acting_user=head
    )


def test_handler_drafts_and_submits(record_case, handler, reviewers):
    case, letter = _drafted(record_case, handler)
    due = case.due_date
    assert letter.kind == CaseDocument.Kind.REPLY
    assert letter.review_status == "draft"
    assert letter.created_by == handler
    assert not letter.reviewed

    request = cs.review_submit(content=letter, acting_user=handler)

    assert (request.content_kind, request.levels, request.level, request.state) == (
        "reply_letter",
        3,  # no chain configured: the platform default (三审)
        1,
        "in_review",
    )
    assert request.organisation == case.organisation
    info = "2025年城市道路养护资金使用情况，杭东财〔2025〕12号"
    assert request.title == f"答复书：{case.reference}（{info}）"
    assert request.submitted_by == handler
    assert request.round == 1
    letter.refresh_from_db()
    assert letter.review_status == "in_review"
    # The statutory clock keeps running: the case stays 答复待审核 with the same due date.
    case.refresh_from_db()
    assert case.status == Status.REPLY_REVIEW
    assert case.due_date == due
    event = case.events.get(type=E.REPLY_SUBMITTED)
    assert event.actor == handler
    assert event.actor_name == handler.get_full_name()
    assert event.data == {"document": letter.pk, "request": request.pk, "round": 1, "levels": 3}
    submit = AuditEntry.objects.get(action=AuditEntry.Action.SUBMIT)
    assert (submit.target_type, submit.target_id) == ("foi.casedocument", str(letter.pk))
    assert submit.organisation == case.organisation
    assert submit.actor == handler
    assert submit.target_label == request.title
    assert submit.detail == {
        "request": request.pk,
        "round": 1,
        "levels": 3,
        "version": 1,
        "blocking": [],
        "override_request": "",
    }
    transition = AuditEntry.objects.filter(target_type="foi.case").latest("id")
    assert transition.action == AuditEntry.Action.TRANSITION
    assert transition.detail["event"] == "reply_submitted"
    assert ContentVersion.objects.filter(object_id=letter.pk).count() == 1


def test_only_a_handler_of_the_case_organisation_submits(
    record_case, handler, org_tree, make_staff, other_handler, reviewers
):
    case, letter = _drafted(record_case, handler)
    before = _snapshot(case, letter)
    editor = make_staff(Role.EDITOR, org_tree["finance"], username="editor_fin")
    for user in (editor, reviewers[1], other_handler):
        with pytest.raises(PermissionDenied, match="没有在“杭东市财政局”提交审核的权限"):
            cs.review_submit(content=letter, acting_user=user)
    assert _snapshot(case, letter) == before
    assert ReviewRequest.objects.count() == 0
    # Another handler of the same bureau may submit it (the drafter stays the author).
    colleague = make_staff(Role.FOI_HANDLER, org_tree["finance"], username="handler2_fin")
    request = cs.review_submit(content=letter, acting_user=colleague)
    assert request.submitted_by == colleague


def test_the_drafter_never_approves_even_as_superuser(record_case, handler, org_tree, reviewers):
    root = User.objects.create_superuser(username="root", password="pass-1234-abcd")
    RoleAssignmentFactory.create(
        user=root, organisation=org_tree["finance"], role=Role.REVIEWER, review_level=1
    )
    case = record_case(date(2025, 9, 26))
    letter = services.case_reply(case=case, outcome="4.1", on=date(2025, 10, 20), acting_user=root)
    assert letter.created_by == root
    # Submitted by the handler: the superuser is still the letter's author.
    request = cs.review_submit(content=letter, acting_user=handler)
    before = _snapshot(case, letter)
    with pytest.raises(ValidationError, match="不能审核自己起草或提交的内容"):
        cs.review_decide(request=request, decision="approve", acting_user=root)
    # Nor the submitter, even holding the level.
    RoleAssignmentFactory.create(
        user=handler, organisation=org_tree["finance"], role=Role.REVIEWER, review_level=1
    )
    with pytest.raises(ValidationError, match="不能审核自己起草或提交的内容"):
        cs.review_decide(request=request, decision="approve", acting_user=handler)
    assert _snapshot(case, letter) == before
    cs.review_decide(request=request, decision="approve", acting_user=reviewers[1])
    assert ReviewRequest.objects.get().level == 2


@pytest.mark.parametrize("levels", [1, 2, 3])
def test_levels_in_order_then_delivery(record_case, handler, head, reviewers, org_tree, levels):
    _set_chain(org_tree["finance"], levels, head)
    case, letter = _drafted(record_case, handler)
    request = cs.review_submit(content=letter, acting_user=handler)
    assert request.levels == levels
    for level in range(1, levels + 1):
        # Delivery is refused until the final level has approved.
        before = _snapshot(case, letter)
        with pytest.raises(services.CaseError, match="答复书尚未审核通过，不能送达"):
            services.case_deliver(
                case=case, method="email", on=date(2025, 10, 21), acting_user=handler
            )
        # A reviewer of another level cannot act at this one.
        wrong = reviewers[level % 3 + 1]
        with pytest.raises(ValidationError, match=f"您不是本机构第{level}级"):
            cs.review_decide(request=request, decision="approve", acting_user=wrong)
        assert _snapshot(case, letter) == before
        outcome = cs.review_decide(
            request=request, decision="approve", acting_user=reviewers[level]
        )
        assert outcome.published is False  # a letter is never published on the portal
    request.refresh_from_db()
    letter.refresh_from_db()
    assert (request.state, request.level) == ("approved", levels)
    assert letter.review_status == "approved"
    assert letter.reviewed
    assert letter.reviewed_by == reviewers[levels]
    assert letter.reviewed_at is not None
    types = list(case.events.order_by("id").values_list("type", flat=True))
    assert types == [
        "recorded",
        "assigned",
        "reply_drafted",
        "reply_submitted",
        *["reply_level_approved"] * (levels - 1),
        "reply_approved",
    ]
    final = case.events.get(type=E.REPLY_APPROVED)
    assert final.actor == reviewers[levels]
    assert final.note == f"第{levels}级（终审）"
    if levels == 3:
        notes = case.events.filter(type=E.REPLY_LEVEL_APPROVED).values_list("note", flat=True)
        assert list(notes.order_by("id")) == ["第1级（初审）", "第2级（复审）"]
    assert final.data == {
        "document": letter.pk,
        "request": request.pk,
        "round": 1,
        "level": levels,
        "levels": levels,
        "decision": "approve",
    }
    approvals = AuditEntry.objects.filter(action=AuditEntry.Action.APPROVE).order_by("id")
    assert [(a.actor, a.detail["level"]) for a in approvals] == [
        (reviewers[n], n) for n in range(1, levels + 1)
    ]
    assert all(a.target_type == "foi.casedocument" for a in approvals)
    # The final approval does not publish anything, and the periodic job leaves it alone.
    assert cs.review_publish_due() == []
    case = services.case_deliver(
        case=case, method="email", on=date(2025, 10, 21), acting_user=handler
    )
    assert case.status == Status.REPLIED
    letter.refresh_from_db()
    assert letter.delivered_at == date(2025, 10, 21)


def test_return_redraft_and_resubmit(record_case, handler, head, reviewers, org_tree):
    _set_chain(org_tree["finance"], 2, head)
    case, letter = _drafted(record_case, handler, detail="见附件。")
    request = cs.review_submit(content=letter, acting_user=handler)
    cs.review_decide(request=request, decision="approve", acting_user=reviewers[1])
    # A return needs a comment; refused, nothing changes.
    before = _snapshot(case, letter)
    with pytest.raises(ValidationError, match="退回时必须填写退回意见"):
        cs.review_decide(request=request, decision="return", acting_user=reviewers[2])
    assert _snapshot(case, letter) == before
    # While in review the handler cannot redraft (the reviewers would judge a replaced text).
    with pytest.raises(services.CaseError, match="答复书正在审核中，不能重新拟定"):
        services.case_reply(case=case, outcome="1", on=date(2025, 10, 20), acting_user=handler)
    assert _snapshot(case, letter) == before

    cs.review_decide(
        request=request,
        decision="return",
        acting_user=reviewers[2],
        comment="请写明附件名称",
    )
    letter.refresh_from_db()
    request.refresh_from_db()
    assert letter.review_status == "returned"
    assert not letter.reviewed
    assert (request.state, request.level) == ("returned", 0)
    returned = case.events.get(type=E.REPLY_RETURNED)
    assert returned.actor == reviewers[2]
    assert returned.note == "第2级（终审）：请写明附件名称"
    assert returned.data == {
        "document": letter.pk,
        "request": request.pk,
        "round": 1,
        "level": 2,
        "levels": 2,
        "decision": "return",
    }
    audit = AuditEntry.objects.get(action=AuditEntry.Action.RETURN)
    assert audit.detail["comment"] == "请写明附件名称"
    assert audit.detail["level"] == 2
    with pytest.raises(services.CaseError, match="尚未审核通过"):
        services.case_deliver(case=case, method="email", on=date(2025, 10, 21), acting_user=handler)

    # The handler redrafts: a new letter replaces the returned one.
    second = services.case_reply(
        case=case,
        outcome="1",
        detail="请查阅附件《2025年城市道路养护资金使用情况表》。",
        on=date(2025, 10, 21),
        acting_user=handler,
    )
    letter.refresh_from_db()
    assert letter.superseded
    assert second.review_status == "draft"
    before = _snapshot(case, letter)
    with pytest.raises(ValidationError, match="已被重新拟定的答复书替代"):
        cs.review_submit(content=letter, acting_user=handler)
    assert _snapshot(case, letter) == before

    again = cs.review_submit(content=second, acting_user=handler)
    assert again.pk != request.pk
    assert (again.level, again.round) == (1, 1)
    # The reviewers see both drafts as one history, with the change highlighted.
    versions = cs.versions_for(second)
    assert [v.number for v in versions] == [1, 2]
    assert [v.note for v in versions] == ["第1稿·提交审核", "第2稿·提交审核"]
    changed = [d for d in cs.version_diff(second, versions[0], versions[1]) if d.changed]
    assert [d.name for d in changed] == ["body"]
    assert changed[0].html.endswith(
        "<del>见</del><ins>请查阅</ins>附件<ins>《2025年城市道路养护资金使用情况表》</ins>。"
    )
    for level in (1, 2):
        cs.review_decide(request=again, decision="approve", acting_user=reviewers[level])
    services.case_deliver(case=case, method="email", on=date(2025, 10, 22), acting_user=handler)
    case.refresh_from_db()
    assert case.status == Status.REPLIED


def test_checks_run_on_the_letter_body(record_case, handler, head, reviewers, org_tree):
    _set_chain(org_tree["finance"], 1, head)
    case, letter = _drafted(record_case, handler, detail=f"第三人身份证号{THIRD_PARTY_ID}。")
    findings = cs.adapter_for(letter).findings(letter)
    assert any(f.blocking and f.kind == "id_card" for f in findings)
    before = _snapshot(case, letter)
    with pytest.raises(ValidationError, match="自动检查发现阻止发布的问题"):
        cs.review_submit(content=letter, acting_user=handler)
    assert _snapshot(case, letter) == before
    request = cs.review_submit(
        content=letter, acting_user=handler, override_reason="该号码为申请人本人证件号"
    )
    with pytest.raises(ValidationError, match="存在阻止发布的检查问题"):
        cs.review_decide(request=request, decision="approve", acting_user=reviewers[1])
    cs.review_decide(
        request=request, decision="return", acting_user=reviewers[1], comment="请删除第三人证件号"
    )
    letter.refresh_from_db()
    assert letter.review_status == "returned"


def test_a_suspected_id_in_the_letter_blocks_too(record_case, handler, head, org_tree):
    # The check character of 33010619850315231 is 0: ending in 1 is a mistyped ID (issue 18).
    _set_chain(org_tree["finance"], 1, head)
    case, letter = _drafted(record_case, handler, detail="第三人身份证号330106198503152311。")
    findings = cs.adapter_for(letter).findings(letter)
    assert [(f.kind, f.match, f.blocking) for f in findings if f.kind != "word"] == [
        ("id_card_invalid", "330106198503152311", True)
    ]
    before = _snapshot(case, letter)
    with pytest.raises(ValidationError, match="自动检查发现阻止发布的问题"):
        cs.review_submit(content=letter, acting_user=handler)
    assert _snapshot(case, letter) == before


def test_a_letter_is_never_published_or_withdrawn(record_case, handler, approve_reply):
    case, letter = _drafted(record_case, handler)
    letter = approve_reply(case)
    with pytest.raises(ValidationError, match="不在网站发布"):
        cs.review_withdraw(content=letter, reason="x", acting_user=handler)
    with pytest.raises(ValidationError, match="不在网站发布"):
        cs.adapter_for(letter).publish(letter, handler, None)
    assert ReviewRequest.objects.get().state == "approved"


def test_migration_turns_signed_off_letters_into_approved(record_case, handler):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("gongkai.foi.migrations.0004_reply_letter_review")
    case, letter = _drafted(record_case, handler)
    CaseDocument.objects.filter(pk=letter.pk).update(review_status="", created_by=None)
    old = CaseDocumentFactory.create(
        case=case, kind="reply", title="答复书", reviewed=True, superseded=True
    )
    notice = CaseDocumentFactory.create(case=case, kind="supplement_notice", title="补正告知书")
    migration.forwards(apps, None)
    letter.refresh_from_db()
    old.refresh_from_db()
    notice.refresh_from_db()
    assert (letter.review_status, letter.created_by) == ("draft", handler)
    assert old.review_status == "approved"
    assert notice.review_status == ""
