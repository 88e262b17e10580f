"""The statutory case workflow, with due dates worked by hand on the 2025–2026 calendar.

2025 国庆+中秋: 10/1–10/8 off, Sun 9/28 and Sat 10/11 are 调休 working days.
2026 春节: 2/15–2/23 off, Sat 2/14 and Sat 2/28 are 调休 working days.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from gongkai.core.models import AuditEntry
from gongkai.foi import services
from gongkai.foi.models import Case, CaseDocument, CaseEvent, FeeNotice, Status

from .conftest import application

pytestmark = pytest.mark.django_db


def test_in_person_received_same_day_and_due_after_national_day(record_case):
    # Received Fri 2025-09-26. Counted: Sun 9/28 调休 (1), 9/29, 9/30 (2–3); 10/1–10/8 holiday;
    # 10/9 (4), 10/10 (5), Sat 10/11 调休 (6), 10/13–10/17 (7–11), 10/20–10/24 (12–16),
    # 10/27–10/30 (17–20).
    case = record_case(date(2025, 9, 26))
    assert case.status == Status.REGISTERED
    assert case.received_date == date(2025, 9, 26)
    assert case.due_date == date(2025, 10, 30)
    assert "国庆节" in case.deadline_note
    assert case.calendar_version
    events = list(case.events.values_list("type", flat=True))
    assert events == [CaseEvent.Type.RECORDED]


def test_signed_letter_received_on_signing_day(org_tree, handler):
    case, _ = services.case_record(
        organisation=org_tree["finance"],
        data=application(),
        channel="letter",
        letter_kind="signed",
        arrived=date(2026, 2, 10),
        acting_user=handler,
    )
    assert case.received_date == date(2026, 2, 10)
    # 2/11–2/13 (1–3), Sat 2/14 调休 (4), 2/15–2/23 春节, 2/24–2/27 (5–8), Sat 2/28 调休 (9),
    # 3/2–3/6 (10–14), 3/9–3/13 (15–19), 3/16 (20).
    assert case.due_date == date(2026, 3, 16)


def test_ordinary_letter_needs_confirmation_date(org_tree, handler):
    with pytest.raises(
        services.CaseError, match="平常信函须填写与申请人确认的日期（条例第三十一条第三项）"
    ):
        services.case_record(
            organisation=org_tree["finance"],
            data=application(),
            channel="letter",
            letter_kind="ordinary",
            arrived=date(2025, 9, 25),
            acting_user=handler,
        )
    assert Case.objects.count() == 0
    case, _ = services.case_record(
        organisation=org_tree["finance"],
        data=application(),
        channel="letter",
        letter_kind="ordinary",
        arrived=date(2025, 9, 25),
        confirmed=date(2025, 9, 26),
        acting_user=handler,
    )
    assert case.received_date == date(2025, 9, 26)
    assert case.due_date == date(2025, 10, 30)


def test_fax_waits_for_both_sides_to_confirm(org_tree, handler):
    case, _ = services.case_record(
        organisation=org_tree["finance"],
        data=application(),
        channel="fax",
        arrived=date(2025, 9, 25),
        acting_user=handler,
    )
    assert case.status == Status.SUBMITTED
    assert case.received_date is None
    assert case.due_date is None
    case = services.case_confirm_receipt(case=case, on=date(2025, 9, 26), acting_user=handler)
    assert case.status == Status.REGISTERED
    assert case.due_date == date(2025, 10, 30)


def test_online_application_clock_starts_at_staff_confirmation(online_case, handler):
    case, code = online_case(date(2025, 9, 25))
    assert len(code) == 8
    assert case.status == Status.SUBMITTED
    assert case.received_date is None
    assert case.due_date is None
    assert case.reference.startswith("YSQ-")
    # Confirmation before submission is impossible.
    with pytest.raises(services.CaseError, match="确认收到的日期不能早于申请提交日期"):
        services.case_confirm_receipt(case=case, on=date(2025, 9, 24), acting_user=handler)
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED
    case = services.case_confirm_receipt(case=case, on=date(2025, 9, 26), acting_user=handler)
    assert case.received_date == date(2025, 9, 26)
    assert case.due_date == date(2025, 10, 30)
    assert services.query_code_matches(case, code)
    assert not services.query_code_matches(case, "AAAAAAAA")


def test_personal_data_encrypted_at_rest(record_case):
    case = record_case(date(2025, 9, 26))
    row = Case.objects.filter(pk=case.pk).values("id_number_enc", "phone_enc", "address_enc").get()
    assert "110105199001011234" not in row["id_number_enc"]
    assert row["id_number_enc"].startswith("sm4:")
    assert "13812341234" not in row["phone_enc"]
    assert "文三路" not in row["address_enc"]
    case.refresh_from_db()
    assert case.id_number == "110105199001011234"
    assert case.phone_masked == "138****1234"
    assert case.id_number_masked == "11*************234"


def test_supplement_restarts_the_clock(record_case, handler):
    case = record_case(date(2025, 9, 26))
    case = services.case_request_supplement(
        case=case,
        points=["请明确所需资金使用情况的年度", "请提供身份证明复印件"],
        reply_by=date(2025, 10, 24),
        on=date(2025, 9, 30),
        acting_user=handler,
    )
    assert case.status == Status.SUPPLEMENT_REQUESTED
    assert case.due_date is None  # the clock is stopped while the 补正 is outstanding
    notice = case.documents.get(kind=CaseDocument.Kind.SUPPLEMENT_NOTICE)
    assert "请提供身份证明复印件" in notice.body
    case = services.case_receive_supplement(case=case, on=date(2025, 10, 20), acting_user=handler)
    assert case.status == Status.REGISTERED
    # Restart from Mon 10/20: 10/21–10/24 (1–4), 10/27–10/31 (5–9), 11/3–11/7 (10–14),
    # 11/10–11/14 (15–19), 11/17 (20).
    assert case.due_date == date(2025, 11, 17)


def test_supplement_notice_after_seven_working_days_refused(record_case, handler):
    case = record_case(date(2025, 9, 26))
    # 7th working day after 9/26: Sun 9/28 (调休), 9/29, 9/30, 10/9, 10/10, Sat 10/11 (调休),
    # 10/13.
    with pytest.raises(services.CaseError, match="2025-10-13"):
        services.case_request_supplement(
            case=case,
            points=["请明确年度"],
            reply_by=date(2025, 10, 30),
            on=date(2025, 10, 14),
            acting_user=handler,
        )
    case.refresh_from_db()
    assert case.status == Status.REGISTERED
    assert case.due_date == date(2025, 10, 30)
    assert not case.events.filter(type=CaseEvent.Type.SUPPLEMENT_REQUESTED).exists()
    # The last allowed day works.
    services.case_request_supplement(
        case=case,
        points=["请明确年度"],
        reply_by=date(2025, 10, 30),
        on=date(2025, 10, 13),
        acting_user=handler,
    )


def test_supplement_only_once(record_case, handler):
    case = record_case(date(2025, 9, 26))
    case = services.case_assign(case=case, handler=handler, acting_user=handler)
    services.case_request_supplement(
        case=case,
        points=["请明确年度"],
        reply_by=date(2025, 10, 24),
        on=date(2025, 9, 29),
        acting_user=handler,
    )
    case = services.case_receive_supplement(case=case, on=date(2025, 10, 9), acting_user=handler)
    assert case.status == Status.IN_PROGRESS  # back to its handler
    with pytest.raises(services.CaseError, match="一次性告知"):
        services.case_request_supplement(
            case=case,
            points=["再补正"],
            reply_by=date(2025, 10, 24),
            on=date(2025, 10, 10),
            acting_user=handler,
        )


def test_no_supplement_in_time_is_abandonment(record_case, handler):
    case = record_case(date(2025, 9, 26))
    services.case_request_supplement(
        case=case,
        points=["请明确年度"],
        reply_by=date(2025, 10, 24),
        on=date(2025, 9, 29),
        acting_user=handler,
    )
    with pytest.raises(services.CaseError, match="尚未届满"):
        services.case_mark_abandoned(case=case, on=date(2025, 10, 24), acting_user=handler)
    case.refresh_from_db()
    assert case.status == Status.SUPPLEMENT_REQUESTED
    assert case.outcome == ""
    case = services.case_mark_abandoned(case=case, on=date(2025, 10, 27), acting_user=handler)
    assert case.status == Status.ABANDONED
    assert case.outcome == "6.1"
    assert case.closed_date == date(2025, 10, 27)


def _in_progress(record_case, handler, received=date(2025, 9, 26)):
    case = record_case(received)
    return services.case_assign(case=case, handler=handler, on=received, acting_user=handler)


def test_consultation_pauses_the_clock(record_case, handler):
    case = _in_progress(record_case, handler)
    c = services.consultation_start(
        case=case,
        kind="third_party",
        party="杭东市某建设有限公司",
        sent_date=date(2025, 10, 13),
        acting_user=handler,
    )
    # 15 working days after Mon 10/13: 10/14–17 (4), 10/20–24 (9), 10/27–31 (14), 11/3 (15).
    assert c.due_date == date(2025, 11, 3)
    case.refresh_from_db()
    assert case.status == Status.CONSULTING
    assert case.due_date is None
    services.consultation_reply(
        consultation=c,
        replied_date=date(2025, 10, 17),
        reply="不同意公开",
        agrees=False,
        acting_user=handler,
    )
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS
    # 10/14–10/17 (4 working days) are not counted: 10/30 moves to 11/5.
    assert case.due_date == date(2025, 11, 5)
    assert "暂停" in case.deadline_note


def test_extension_needs_the_unit_head_and_tells_the_applicant(
    record_case, handler, head, django_capture_on_commit_callbacks
):
    case = _in_progress(record_case, handler)
    with pytest.raises(
        PermissionDenied, match="延期答复须经政府信息公开工作机构负责人（本机关管理员）批准"
    ):
        services.case_extend(
            case=case, days=5, reason="需要调取档案", on=date(2025, 10, 20), acting_user=handler
        )
    case.refresh_from_db()
    assert case.extension_days == 0
    assert case.due_date == date(2025, 10, 30)
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_extend(
            case=case, days=5, reason="需要调取档案", on=date(2025, 10, 20), acting_user=head
        )
    # 10/30 + 5 working days: 10/31, 11/3–11/6.
    assert case.due_date == date(2025, 11, 6)
    assert case.extension_days == 5
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lisi@example.cn"]
    assert "2025年11月6日" in mail.outbox[0].body
    assert case.events.filter(type=CaseEvent.Type.EXTENDED, data__days=5).exists()
    with pytest.raises(services.CaseError, match="20个工作日"):
        services.case_extend(
            case=case, days=16, reason="再延", on=date(2025, 10, 21), acting_user=head
        )
    case = services.case_extend(
        case=case, days=15, reason="再延", on=date(2025, 10, 21), acting_user=head
    )
    # 20 working days in total: 10/31 (1), 11/3–7 (6), 11/10–14 (11), 11/17–21 (16),
    # 11/24–27 (20) → 11/27.
    assert case.due_date == date(2025, 11, 27)


def test_fee_by_count_and_unpaid_leads_to_6_2(org_tree, handler):
    # Ten earlier applications from the same person to the same agency in October 2025.
    for day in range(1, 11):
        services.case_record(
            organisation=org_tree["finance"],
            data=application(),
            channel="in_person",
            arrived=date(2025, 10, 9 + (day % 3)),
            acting_user=handler,
        )
    case, _ = services.case_record(
        organisation=org_tree["finance"],
        data=application(),
        channel="in_person",
        arrived=date(2025, 10, 13),
        acting_user=handler,
    )
    case = services.case_assign(case=case, handler=handler, acting_user=handler)
    assert services.applications_before_in_month(case) == 10
    notice = services.fee_notice_issue(
        case=case, method="count", on=date(2025, 10, 14), acting_user=handler
    )
    assert notice.amount == Decimal("100.00")
    assert notice.quantity == 11
    # 20 working days from the day after 10/14: 10/15–17 (3), 10/20–24 (8), 10/27–31 (13),
    # 11/3–7 (18), 11/10 (19), 11/11 (20).
    assert notice.pay_due == date(2025, 11, 11)
    case.refresh_from_db()
    assert case.status == Status.AWAITING_FEE
    with pytest.raises(services.CaseError, match="尚未届满"):
        services.fee_unpaid(case=case, on=date(2025, 11, 11), acting_user=handler)
    services.fee_unpaid(case=case, on=date(2025, 11, 12), acting_user=handler)
    case.refresh_from_db()
    notice.refresh_from_db()
    assert case.status == Status.CLOSED
    assert case.outcome == "6.2"
    assert case.closed_date == date(2025, 11, 12)
    assert notice.state == FeeNotice.State.UNPAID


def test_fee_by_pages_and_payment(record_case, handler):
    case = _in_progress(record_case, handler)
    notice = services.fee_notice_issue(
        case=case, method="pages", pages=120, on=date(2025, 10, 13), acting_user=handler
    )
    # 1–30 free, 31–100: 70 × 10 = 700, 101–120: 20 × 20 = 400.
    assert notice.amount == Decimal("1100.00")
    services.fee_paid(case=case, on=date(2025, 10, 15), acting_user=handler)
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS


def test_free_fee_notice_refused(record_case, handler):
    case = _in_progress(record_case, handler)
    with pytest.raises(services.CaseError, match="0元"):
        services.fee_notice_issue(
            case=case, method="pages", pages=30, on=date(2025, 10, 13), acting_user=handler
        )
    assert FeeNotice.objects.count() == 0


def test_full_path_reply_letter_docx_and_pdf(record_case, handler, approve_reply, tmp_path):
    import subprocess

    from docx import Document

    case = _in_progress(record_case, handler)
    doc = services.case_reply(case=case, outcome="4.1", on=date(2025, 10, 20), acting_user=handler)
    case.refresh_from_db()
    assert case.status == Status.REPLY_REVIEW
    assert case.outcome == "4.1"
    text = "\n".join(p.text for p in Document(doc.file.path).paragraphs)
    assert "本机关不掌握相关政府信息" in text
    assert "该政府信息不存在" in text
    assert "第三十六条第（四）项" in text
    assert "60日内" in text
    assert "6个月内" in text
    pdf_text = subprocess.run(
        ["pdftotext", doc.pdf.path, "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "政府信息公开申请答复书" in pdf_text
    assert "该政府信息不存在" in pdf_text
    # Delivery needs the review chain's final approval first (three levels by default).
    with pytest.raises(services.CaseError, match="审核"):
        services.case_deliver(case=case, method="email", on=date(2025, 10, 21), acting_user=handler)
    approve_reply(case)
    case = services.case_deliver(
        case=case, method="email", on=date(2025, 10, 21), acting_user=handler
    )
    assert case.status == Status.REPLIED
    assert case.closed_date == date(2025, 10, 21)
    case = services.case_archive(case=case, acting_user=handler)
    assert case.status == Status.ARCHIVED
    types = list(case.events.order_by("id").values_list("type", flat=True))
    assert types == [
        "recorded",
        "assigned",
        "reply_drafted",
        "reply_submitted",
        "reply_level_approved",
        "reply_level_approved",
        "reply_approved",
        "delivered",
        "archived",
    ]
    # Each step also wrote an audit row.
    assert AuditEntry.objects.filter(target_type="foi.case", target_id=str(case.pk)).count() == 9


def test_archived_case_is_read_only(record_case, handler, head, approve_reply):
    case = _in_progress(record_case, handler)
    services.case_reply(case=case, outcome="1", on=date(2025, 10, 20), acting_user=handler)
    approve_reply(case)
    services.case_deliver(case=case, method="post", on=date(2025, 10, 21), acting_user=handler)
    case = services.case_archive(case=case, acting_user=handler)
    before = Case.objects.filter(pk=case.pk).values().get()
    n_events = case.events.count()
    attempts = [
        lambda: services.case_confirm_receipt(
            case=case, on=date(2025, 10, 22), acting_user=handler
        ),
        lambda: services.case_request_supplement(
            case=case,
            points=["x"],
            reply_by=date(2025, 11, 1),
            on=date(2025, 10, 22),
            acting_user=handler,
        ),
        lambda: services.case_receive_supplement(
            case=case, on=date(2025, 10, 22), acting_user=handler
        ),
        lambda: services.case_mark_abandoned(case=case, on=date(2025, 10, 22), acting_user=handler),
        lambda: services.case_assign(case=case, handler=handler, acting_user=handler),
        lambda: services.consultation_start(
            case=case,
            kind="agency",
            party="市自然资源局",
            sent_date=date(2025, 10, 22),
            acting_user=handler,
        ),
        lambda: services.case_extend(
            case=case, days=1, reason="x", on=date(2025, 10, 22), acting_user=head
        ),
        lambda: services.fee_notice_issue(
            case=case, method="pages", pages=100, on=date(2025, 10, 22), acting_user=handler
        ),
        lambda: services.fee_paid(case=case, on=date(2025, 10, 22), acting_user=handler),
        lambda: services.fee_unpaid(case=case, on=date(2025, 10, 22), acting_user=handler),
        lambda: services.case_reply(case=case, outcome="1", acting_user=handler),
        lambda: services.case_deliver(
            case=case, method="post", on=date(2025, 10, 22), acting_user=handler
        ),
        lambda: services.case_archive(case=case, acting_user=handler),
    ]
    for attempt in attempts:
        with pytest.raises(services.CaseError, match="已归档"):
            attempt()
    assert Case.objects.filter(pk=case.pk).values().get() == before
    assert case.events.count() == n_events


@pytest.mark.parametrize(
    ("status", "step"),
    [
        ("submitted", "request_supplement"),
        ("submitted", "assign"),
        ("submitted", "reply"),
        ("registered", "confirm_receipt"),
        ("registered", "receive_supplement"),
        ("registered", "mark_abandoned"),
        ("registered", "consultation_start"),
        ("registered", "fee_notice_issue"),
        ("registered", "deliver"),
        ("registered", "archive"),
        ("supplement_requested", "reply"),
        ("supplement_requested", "assign"),
        ("supplement_requested", "extend"),
        ("in_progress", "deliver"),
        ("in_progress", "archive"),
        ("in_progress", "fee_paid"),
        ("consulting", "reply"),
        ("consulting", "fee_notice_issue"),
        ("awaiting_fee", "reply"),
        ("awaiting_fee", "consultation_start"),
        ("reply_review", "extend"),
        ("reply_review", "archive"),
        ("replied", "reply"),
        ("replied", "extend"),
        ("abandoned", "reply"),
        ("abandoned", "receive_supplement"),
        ("closed", "fee_paid"),
    ],
)
def test_illegal_transitions_refused(record_case, handler, status, step):
    case = record_case(date(2025, 9, 26))
    Case.objects.filter(pk=case.pk).update(status=status)
    case.refresh_from_db()
    with pytest.raises(services.CaseError, match="不能执行"):
        services._check_step(case, step)


def test_illegal_transition_through_a_service_changes_nothing(record_case, handler):
    case = record_case(date(2025, 9, 26))
    with pytest.raises(services.CaseError, match="当前状态为“已登记”，不能执行“送达答复”"):
        services.case_deliver(case=case, method="post", on=date(2025, 10, 1), acting_user=handler)
    with pytest.raises(services.CaseError, match="不能执行“归档”"):
        services.case_archive(case=case, acting_user=handler)
    case.refresh_from_db()
    assert case.status == Status.REGISTERED
    assert case.events.count() == 1


def test_handler_of_another_org_cannot_act(record_case, other_handler):
    case = record_case(date(2025, 9, 26))
    with pytest.raises(PermissionDenied, match="您没有办理该机关依申请公开事项的权限"):
        services.case_assign(case=case, handler=other_handler, acting_user=other_handler)
    with pytest.raises(PermissionDenied, match="您没有办理该机关依申请公开事项的权限"):
        services.case_view_personal(case=case, acting_user=other_handler)
    case.refresh_from_db()
    assert case.status == Status.REGISTERED
    assert case.handler is None


def test_partial_disclosure_needs_reasons_and_can_be_proposed_proactive(
    record_case, handler, head, approve_reply
):
    case = _in_progress(record_case, handler)
    with pytest.raises(
        services.CaseError,
        match="部分公开或不予公开的，须在答复中说明理由（条例第三十六条、第三十七条）",
    ):
        services.case_reply(case=case, outcome="2", on=date(2025, 10, 20), acting_user=handler)
    services.case_reply(
        case=case,
        outcome="2",
        detail="其中涉及个人隐私的部分已作遮盖处理。",
        on=date(2025, 10, 20),
        acting_user=handler,
    )
    with pytest.raises(
        services.CaseError, match="只有已答复“予以公开”或“部分公开”的申请才能建议转为主动公开"
    ):
        services.case_propose_proactive(case=case, reason="多人申请", acting_user=handler)
    approve_reply(case)
    services.case_deliver(case=case, method="email", on=date(2025, 10, 21), acting_user=handler)
    services.case_archive(case=case, acting_user=handler)
    proposal = services.case_propose_proactive(
        case=case, reason="同类申请较多，建议主动公开", acting_user=handler
    )
    assert proposal.state == "pending"
    services.proactive_proposal_decide(proposal=proposal, accept=True, acting_user=head)
    proposal.refresh_from_db()
    assert proposal.state == "accepted"


def test_refused_outcome_cannot_be_proposed(record_case, handler, approve_reply):
    case = _in_progress(record_case, handler)
    services.case_reply(case=case, outcome="4.1", on=date(2025, 10, 20), acting_user=handler)
    approve_reply(case)
    services.case_deliver(case=case, method="email", on=date(2025, 10, 21), acting_user=handler)
    with pytest.raises(services.CaseError, match="予以公开"):
        services.case_propose_proactive(case=case, reason="x", acting_user=handler)


def test_unclear_after_supplement_only_after_supplement(record_case, handler):
    case = _in_progress(record_case, handler)
    with pytest.raises(
        services.CaseError, match="“补正后申请内容仍不明确”仅适用于已告知补正并收到补正材料的申请"
    ):
        services.case_reply(case=case, outcome="4.3", on=date(2025, 10, 20), acting_user=handler)


def test_view_personal_is_audited(record_case, handler):
    case = record_case(date(2025, 9, 26))
    data = services.case_view_personal(case=case, acting_user=handler, ip_address="10.0.0.1")
    assert data == {
        "id_number": "110105199001011234",
        "phone": "13812341234",
        "address": "浙江省杭东市西湖区文三路100号",
    }
    entry = AuditEntry.objects.get(action=AuditEntry.Action.VIEW_PERSONAL)
    assert entry.actor == handler
    assert entry.target_id == str(case.pk)
    assert entry.ip_address == "10.0.0.1"


def test_reminders(record_case, handler, django_capture_on_commit_callbacks):
    handler.email = "handler@example.cn"
    handler.save()
    case = _in_progress(record_case, handler)  # due 2025-10-30
    # 2 working days before: 10/28 (left: 10/29, 10/30).
    with django_capture_on_commit_callbacks(execute=True):
        assert services.foi_reminders_send(today=date(2025, 10, 28)) == 1
    assert mail.outbox[-1].to == ["handler@example.cn"]
    assert "还剩2个工作日" in mail.outbox[-1].subject
    # Once per day and threshold.
    assert services.foi_reminders_send(today=date(2025, 10, 28)) == 0
    # 10/27 is 3 working days before: not a threshold.
    assert services.foi_reminders_send(today=date(2025, 10, 27)) == 0
    assert services.foi_reminders_send(today=date(2025, 10, 31)) == 1
    assert case.events.filter(type="reminder_sent", data__key="overdue").exists()


def test_admin_review_records_for_table_four(record_case, handler, head, approve_reply):
    from gongkai.foi.models import AdminReview

    case = _in_progress(record_case, handler)
    with pytest.raises(services.CaseError, match="尚未办结"):
        services.admin_review_record(
            case=case, kind="review", filed_date=date(2025, 11, 1), acting_user=handler
        )
    services.case_reply(case=case, outcome="4.1", on=date(2025, 10, 20), acting_user=handler)
    approve_reply(case)
    services.case_deliver(case=case, method="post", on=date(2025, 10, 21), acting_user=handler)
    services.case_archive(case=case, acting_user=handler)
    with pytest.raises(services.CaseError, match="已审结的，请填写审结日期"):
        services.admin_review_record(
            case=case,
            kind="review",
            result="upheld",
            filed_date=date(2025, 11, 1),
            acting_user=handler,
        )
    services.admin_review_record(
        case=case,
        kind="review",
        result="upheld",
        filed_date=date(2025, 11, 1),
        decided_date=date(2025, 12, 20),
        acting_user=handler,
    )
    assert list(AdminReview.objects.values_list("kind", "result")) == [("review", "upheld")]


def test_every_step_refused_outside_its_statuses(record_case):
    """The full status × step matrix: each step runs only from the statuses it lists."""
    case = record_case(date(2025, 9, 26))
    allowed_pairs = 0
    for status in Status.values:
        for step, (allowed, _target) in services.TRANSITIONS.items():
            case.status = status
            if status in allowed:
                assert services._check_step(case, step) is not None
                allowed_pairs += 1
            else:
                with pytest.raises(
                    services.CaseError,
                    match=(
                        r"^\['申请 YSQ-2025-\d+-000001 (当前状态为“[^”]+”，"
                        r"不能执行“[^”]+”|已归档，不能再修改)'\]$"
                    ),
                ):
                    services._check_step(case, step)
    # Hand count of the table: 1+2+1+1+5+2+1+5+1+1+1+2+1+4+3+1+1+3 (defer_reply: 4).
    assert allowed_pairs == 36
