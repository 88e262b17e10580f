"""Issue 20 item 2: the wait for the 信息处理费 is left out of the reply period behind the
deployment setting GONGKAI_FOI_FEE_WAIT_EXCLUDED — hand-worked dates on the real calendar.

2025 国庆/中秋: Oct 1–8 off; Sun Sep 28 and Sat Oct 11 are working days.
2026 春节: Feb 15–23 off; Sat Feb 14 and Sat Feb 28 are working days.
"""

from datetime import date

import pytest
from docx import Document

from gongkai.foi import services
from gongkai.foi.models import CaseDocument, FeeNotice, Status

PAUSE_SENTENCE = "本通知发出后至您缴纳费用之日的期间，不计入答复期限。"


def _notice_text(case):
    doc = CaseDocument.objects.get(case=case, kind=CaseDocument.Kind.FEE_NOTICE)
    return "\n".join(p.text for p in Document(doc.file.path).paragraphs)


def _with_fee(record_case, handler, received, issued, paid):
    case = record_case(received)
    case = services.case_assign(case=case, handler=handler, on=received, acting_user=handler)
    notice = services.fee_notice_issue(
        case=case, method="pages", pages=40, on=issued, acting_user=handler
    )
    case.refresh_from_db()
    before_payment = (case.status, case.due_date)
    services.fee_paid(case=case, on=paid, acting_user=handler)
    case.refresh_from_db()
    notice.refresh_from_db()
    return case, notice, before_payment


def test_national_day_fee_wait_excluded(settings, record_case, handler):
    settings.GONGKAI_FOI_FEE_WAIT_EXCLUDED = True
    # Received Mon 2025-09-22; notice Wed 09-24; paid Fri 10-10.
    # Counted: 09-23 (1), 09-24 (2); 09-25 … 10-10 paused; Sat 10-11 (3), 10-13 … 10-17 (4–8),
    # 10-20 … 10-24 (9–13), 10-27 … 10-31 (14–18), 11-03 (19), 11-04 (20).
    case, notice, (status, due) = _with_fee(
        record_case, handler, date(2025, 9, 22), date(2025, 9, 24), date(2025, 10, 10)
    )
    assert notice.wait_excluded is True
    # Unpaid so far: the clock is stopped and no due date is shown.
    assert (status, due) == (Status.AWAITING_FEE, None)
    # Pay within 20 working days from the day after the notice: 09-25 (1) … 10-28 (20).
    assert notice.pay_due == date(2025, 10, 28)
    assert case.due_date == date(2025, 11, 4)
    # The applicant is told the pay-by date, the abandonment, and that the wait is not counted.
    text = _notice_text(case)
    # 40 pages: 31–40 at 10 元 (处理费办法第五条); the method label is not doubled ("按按量").
    assert (
        f"根据《政府信息公开信息处理费管理办法》，您的申请（申请编号：{case.reference}）按量计收，"
        "应缴纳信息处理费100元（计费数量：40）。请于2025年10月28日前缴纳；逾期未缴纳的，"
        "视为放弃申请，本机关不再处理该政府信息公开申请。" + PAUSE_SENTENCE
    ) in text
    lines = case.deadline_note.split("\n")
    assert (
        "2025年9月24日（星期三）开始暂停（等待缴纳信息处理费），2025年10月10日（星期五）结束；其间（开始次日至结束"
        "当日）的工作日不计入期限（《政府信息公开信息处理费管理办法》）。"
    ) in lines
    assert (
        "2025年9月25日（星期四）至2025年10月10日（星期五）：暂停期间（等待缴纳信息处理费），不计入。"
        in lines
    )
    assert "2025年10月11日（星期六）：调休上班日（国庆节），计入期限。" in lines
    assert (
        "自2025年9月22日（星期一）次日起计算20个工作日，第20个工作日为2025年11月4日（星期二），即答复期限（条例第三十三条）。"
    ) in lines


def test_national_day_fee_wait_counted(settings, record_case, handler):
    settings.GONGKAI_FOI_FEE_WAIT_EXCLUDED = False
    # Same dates; nothing paused: 09-23 … 09-26 (1–4), Sun 09-28 (5), 09-29, 09-30 (6, 7),
    # 10-01 … 10-08 off, 10-09, 10-10 (8, 9), Sat 10-11 (10), 10-13 … 10-17 (11–15),
    # 10-20 … 10-24 (16–20).
    case, notice, (status, due) = _with_fee(
        record_case, handler, date(2025, 9, 22), date(2025, 9, 24), date(2025, 10, 10)
    )
    assert notice.wait_excluded is False
    assert (status, due) == (Status.AWAITING_FEE, date(2025, 10, 24))
    assert case.due_date == date(2025, 10, 24)
    assert "等待缴纳信息处理费" not in case.deadline_note
    text = _notice_text(case)
    assert "请于2025年10月28日前缴纳；逾期未缴纳的，视为放弃申请" in text
    assert PAUSE_SENTENCE not in text


@pytest.mark.parametrize(
    ("excluded", "expected"), [(True, date(2026, 3, 26)), (False, date(2026, 3, 13))]
)
def test_spring_festival_2026_both_ways(settings, record_case, handler, excluded, expected):
    """Received Mon 2026-02-09; notice Wed 02-11; paid Mon 03-02.

    Excluded: 02-10 (1), 02-11 (2); 02-12 … 03-02 paused; 03-03 … 03-06 (3–6), 03-09 … 03-13
    (7–11), 03-16 … 03-20 (12–16), 03-23 … 03-26 (17–20) → 2026-03-26.
    Counted: 02-10 … 02-13 (1–4), Sat 02-14 (5), 02-15 … 02-23 off, 02-24 … 02-27 (6–9),
    Sat 02-28 (10), 03-02 … 03-06 (11–15), 03-09 … 03-13 (16–20) → 2026-03-13.
    """
    settings.GONGKAI_FOI_FEE_WAIT_EXCLUDED = excluded
    case, notice, _before = _with_fee(
        record_case, handler, date(2026, 2, 9), date(2026, 2, 11), date(2026, 3, 2)
    )
    # Pay by: 02-12, 02-13 (1, 2), Sat 02-14 (3), 02-24 … 02-28 (4–8), 03-02 … 03-06 (9–13),
    # 03-09 … 03-13 (14–18), 03-16, 03-17 (19, 20).
    assert notice.pay_due == date(2026, 3, 17)
    assert case.due_date == expected


def test_changing_the_setting_moves_no_issued_notice(settings, record_case, handler):
    settings.GONGKAI_FOI_FEE_WAIT_EXCLUDED = False
    case = record_case(date(2025, 9, 22))
    case = services.case_assign(
        case=case, handler=handler, on=case.received_date, acting_user=handler
    )
    services.fee_notice_issue(
        case=case, method="pages", pages=40, on=date(2025, 9, 24), acting_user=handler
    )
    settings.GONGKAI_FOI_FEE_WAIT_EXCLUDED = True
    services.fee_paid(case=case, on=date(2025, 10, 10), acting_user=handler)
    case.refresh_from_db()
    assert case.due_date == date(2025, 10, 24)
    assert FeeNotice.objects.get(case=case).wait_excluded is False


def test_unpaid_after_20_working_days_is_abandoned_other_2(settings, record_case, handler):
    settings.GONGKAI_FOI_FEE_WAIT_EXCLUDED = True
    case = record_case(date(2025, 9, 22))
    case = services.case_assign(
        case=case, handler=handler, on=case.received_date, acting_user=handler
    )
    services.fee_notice_issue(
        case=case, method="pages", pages=40, on=date(2025, 9, 24), acting_user=handler
    )
    with pytest.raises(services.CaseError, match="缴费期限2025-10-28尚未届满"):
        services.fee_unpaid(case=case, on=date(2025, 10, 28), acting_user=handler)
    case.refresh_from_db()
    assert (case.status, case.outcome) == (Status.AWAITING_FEE, "")
    services.fee_unpaid(case=case, on=date(2025, 10, 29), acting_user=handler)
    case.refresh_from_db()
    assert (case.status, case.outcome, case.closed_date) == (
        Status.CLOSED,
        "6.2",
        date(2025, 10, 29),
    )


def test_a_notice_that_charges_nothing_is_refused_and_nothing_changes(record_case, handler):
    """30 pages are free (处理费办法第五条): no notice, no pause, the clock runs on."""
    case = record_case(date(2025, 9, 22))
    case = services.case_assign(
        case=case, handler=handler, on=case.received_date, acting_user=handler
    )
    due = case.due_date
    with pytest.raises(services.CaseError, match="按量计收应收金额为0元（未超过免费标准）"):
        services.fee_notice_issue(
            case=case, method="pages", pages=30, on=date(2025, 9, 24), acting_user=handler
        )
    case.refresh_from_db()
    assert (case.status, case.due_date) == (Status.IN_PROGRESS, due)
    assert not FeeNotice.objects.filter(case=case).exists()
    assert not CaseDocument.objects.filter(case=case, kind=CaseDocument.Kind.FEE_NOTICE).exists()
