"""Fee pay-by counted from the applicant's receipt of the notice (处理费办法 as restated by the
provinces: 20 working days from the day after receiving it) — hand-worked dates.

2025 国庆/中秋: Oct 1–8 off; Sun Sep 28 and Sat Oct 11 are working days (调休).
"""

from datetime import date

import pytest
from docx import Document

from gongkai.core.models import AuditEntry
from gongkai.foi import services
from gongkai.foi.models import CaseDocument, CaseEvent, FeeNotice, Status


def _notice_text(case):
    doc = CaseDocument.objects.get(case=case, kind=CaseDocument.Kind.FEE_NOTICE)
    return "\n".join(p.text for p in Document(doc.file.path).paragraphs)


def _issued(record_case, handler, delivery, received=date(2025, 9, 22), on=date(2025, 9, 26)):
    case = record_case(received)
    case = services.case_assign(case=case, handler=handler, on=received, acting_user=handler)
    notice = services.fee_notice_issue(
        case=case, method="pages", pages=40, on=on, delivery=delivery, acting_user=handler
    )
    case.refresh_from_db()
    return case, notice


def test_online_notice_is_received_the_day_it_is_issued(settings, record_case, handler):
    settings.GONGKAI_FOI_FEE_WAIT_EXCLUDED = True
    # Issued (and received) Fri 09-26: Sun 09-28 (1, 调休), 09-29, 09-30 (2, 3), 10-01 … 10-08
    # off, 10-09, 10-10 (4, 5), Sat 10-11 (6, 调休), 10-13 … 10-17 (7–11), 10-20 … 10-24
    # (12–16), 10-27 … 10-30 (17–20).
    case, notice = _issued(record_case, handler, FeeNotice.Delivery.ONLINE)
    assert (notice.received_date, notice.pay_due) == (date(2025, 9, 26), date(2025, 10, 30))
    assert "请于2025年10月30日前缴纳；逾期未缴纳的，视为放弃申请" in _notice_text(case)
    assert (
        "2025年9月26日（星期五）发出收费通知，申请人于2025年9月26日（星期五）收到；缴费期限自"
        "2025年9月26日（星期五）次日起计算20个工作日，第20个工作日为2025年10月30日（星期四）"
        "（《政府信息公开信息处理费管理办法》）。"
    ) in case.deadline_note.split("\n")


def test_posted_notice_pay_by_counts_from_receipt(settings, record_case, handler):
    settings.GONGKAI_FOI_FEE_WAIT_EXCLUDED = True
    case, notice = _issued(record_case, handler, FeeNotice.Delivery.POST)
    # Not yet signed for: no pay-by date is guessed, the notice states the period.
    assert (notice.received_date, notice.pay_due) == (None, None)
    assert "请自收到本通知之次日起20个工作日内缴纳；逾期未缴纳的，视为放弃申请" in _notice_text(
        case
    )
    assert "尚未登记申请人收到日期" in case.deadline_note
    with pytest.raises(services.CaseError, match="尚未登记申请人收到日期"):
        services.fee_unpaid(case=case, on=date(2025, 12, 1), acting_user=handler)

    # Signed for Tue 09-30: 10-01 … 10-08 off (国庆节、中秋节), 10-09, 10-10 (1, 2),
    # Sat 10-11 (3, 调休), 10-13 … 10-17 (4–8), 10-20 … 10-24 (9–13), 10-27 … 10-31 (14–18),
    # 11-03 (19), 11-04 (20). (Counted from the issue day it would be 10-30, using 09-28.)
    audits = AuditEntry.objects.count()
    services.fee_notice_receipt_record(
        notice=notice, received_date=date(2025, 9, 30), acting_user=handler
    )
    notice.refresh_from_db()
    case.refresh_from_db()
    assert (notice.received_date, notice.pay_due) == (date(2025, 9, 30), date(2025, 11, 4))
    event = case.events.get(type=CaseEvent.Type.FEE_NOTICE_RECEIVED)
    assert (event.date, event.data["pay_due"]) == (date(2025, 9, 30), "2025-11-04")
    assert AuditEntry.objects.count() == audits + 1
    assert (
        "2025年9月26日（星期五）发出收费通知，申请人于2025年9月30日（星期二）收到；缴费期限自"
        "2025年9月30日（星期二）次日起计算20个工作日，第20个工作日为2025年11月4日（星期二）"
        "（《政府信息公开信息处理费管理办法》）。"
    ) in case.deadline_note.split("\n")
    # The clock is still stopped while the fee is unpaid (the wait runs from the notice).
    assert (case.status, case.due_date) == (Status.AWAITING_FEE, None)

    # 逾期未缴费 only after the pay-by date counted from receipt.
    with pytest.raises(services.CaseError, match="缴费期限2025-11-04尚未届满"):
        services.fee_unpaid(case=case, on=date(2025, 11, 4), acting_user=handler)


def test_fee_wait_still_runs_from_the_notice_to_payment(settings, record_case, handler):
    settings.GONGKAI_FOI_FEE_WAIT_EXCLUDED = True
    case, notice = _issued(record_case, handler, FeeNotice.Delivery.POST)
    services.fee_notice_receipt_record(
        notice=notice, received_date=date(2025, 9, 30), acting_user=handler
    )
    services.fee_paid(case=case, on=date(2025, 10, 10), acting_user=handler)
    case.refresh_from_db()
    # Received Mon 09-22: 09-23 … 09-26 (1–4); 09-27 … 10-10 paused (from the notice, not from
    # its receipt); Sat 10-11 (5), 10-13 … 10-17 (6–10), 10-20 … 10-24 (11–15),
    # 10-27 … 10-31 (16–20).
    assert case.due_date == date(2025, 10, 31)
    lines = case.deadline_note.split("\n")
    assert (
        "2025年9月27日（星期六）至2025年10月10日（星期五）：暂停期间（等待缴纳信息处理费），不计入。"
        in lines
    )


@pytest.mark.parametrize(
    ("received", "message"),
    [
        (date(2025, 9, 25), "申请人收到收费通知的日期2025-09-25不能早于通知发出日期2025-09-26"),
        (date(2099, 1, 5), "申请人收到收费通知的日期2099-01-05不能晚于今天"),
    ],
)
def test_receipt_date_refused_changes_nothing(settings, record_case, handler, received, message):
    settings.GONGKAI_FOI_FEE_WAIT_EXCLUDED = True
    case, notice = _issued(record_case, handler, FeeNotice.Delivery.POST)
    events = case.events.count()
    with pytest.raises(services.CaseError, match=message):
        services.fee_notice_receipt_record(
            notice=notice, received_date=received, acting_user=handler
        )
    notice.refresh_from_db()
    assert (notice.received_date, notice.pay_due) == (None, None)
    assert case.events.count() == events


def test_receipt_after_payment_or_for_an_online_notice_is_refused(settings, record_case, handler):
    settings.GONGKAI_FOI_FEE_WAIT_EXCLUDED = True
    _case, notice = _issued(record_case, handler, FeeNotice.Delivery.ONLINE)
    with pytest.raises(services.CaseError, match="发出之日即为收到之日，无需登记收到日期"):
        services.fee_notice_receipt_record(
            notice=notice, received_date=date(2025, 9, 30), acting_user=handler
        )
    posted_case, posted = _issued(record_case, handler, FeeNotice.Delivery.POST)
    services.fee_paid(case=posted_case, on=date(2025, 10, 10), acting_user=handler)
    events = posted_case.events.count()
    with pytest.raises(services.CaseError, match="已是“已缴费”状态，不能再登记申请人收到日期"):
        services.fee_notice_receipt_record(
            notice=posted, received_date=date(2025, 9, 30), acting_user=handler
        )
    posted.refresh_from_db()
    assert (posted.received_date, posted.pay_due, posted.paid_date) == (
        None,
        None,
        date(2025, 10, 10),
    )
    assert posted_case.events.count() == events
