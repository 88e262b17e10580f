"""Issue 20 item 3 (条例第三十五条): asking the applicant to explain a very large request —
its own notice, separate from 补正, and its effect on the clock (a pause, ADR 0003 addendum)."""

from datetime import date

import pytest
from docx import Document

from gongkai.foi import services
from gongkai.foi.models import CaseDocument, CaseEvent, Status

pytestmark = pytest.mark.django_db


def _asked(record_case, handler):
    case = record_case(date(2026, 2, 9))
    case = services.case_assign(
        case=case, handler=handler, on=date(2026, 2, 9), acting_user=handler
    )
    return services.case_request_explanation(
        case=case,
        points=["本月提交的86件申请各自的用途", "能否合并或缩小申请范围"],
        reply_by=date(2026, 2, 27),
        on=date(2026, 2, 11),
        acting_user=handler,
    )


def test_explanation_pauses_the_clock_over_the_spring_festival(record_case, handler):
    case = _asked(record_case, handler)
    assert (case.status, case.due_date) == (Status.EXPLANATION_REQUESTED, None)
    assert "暂停尚未结束" in case.deadline_note
    assert "要求申请人说明理由" in case.deadline_note
    notice = CaseDocument.objects.get(case=case, kind=CaseDocument.Kind.EXPLANATION_NOTICE)
    text = "\n".join(p.text for p in Document(notice.file.path).paragraphs)
    assert "说明理由告知书" in text
    assert "数量、频次明显超过合理范围，根据《中华人民共和国政府信息公开条例》第三十五条" in text
    assert "请于2026年2月27日前说明以下事项" in text
    assert "1. 本月提交的86件申请各自的用途" in text
    assert "自本告知书发出之日至收到您的说明之日，不计入答复期限" in text
    # Unlike 补正, the period does not restart: 02-10 (1), 02-11 (2); 02-12 … 03-02 paused
    # (春节 Feb 15–23 and the working Sat Feb 28 inside the pause); 03-03 … 03-06 (3–6),
    # 03-09 … 03-13 (7–11), 03-16 … 03-20 (12–16), 03-23 … 03-26 (17–20).
    case = services.case_receive_explanation(
        case=case, on=date(2026, 3, 2), note="用于课题研究，同意缩小到2025年", acting_user=handler
    )
    assert (case.status, case.due_date) == (Status.IN_PROGRESS, date(2026, 3, 26))
    lines = case.deadline_note.split("\n")
    assert (
        "2026年2月11日（星期三）开始暂停（要求申请人说明理由），2026年3月2日（星期一）结束；"
        "其间（开始次日至结束当日）的工作日不计入期限（条例第三十五条）。"
    ) in lines
    assert (
        "2026年2月12日（星期四）至2026年3月2日（星期一）：暂停期间（要求申请人说明理由），不计入。"
        in lines
    )


def test_not_explained_before_the_time_given_is_refused(record_case, handler):
    case = _asked(record_case, handler)
    with pytest.raises(services.CaseError, match="说明期限2026-02-27尚未届满"):
        services.case_receive_explanation(
            case=case, on=date(2026, 2, 27), explained=False, acting_user=handler
        )
    case.refresh_from_db()
    assert case.status == Status.EXPLANATION_REQUESTED
    assert not case.events.filter(type=CaseEvent.Type.EXPLANATION_RECEIVED).exists()
    case = services.case_receive_explanation(
        case=case, on=date(2026, 3, 2), explained=False, acting_user=handler
    )
    event = case.events.get(type=CaseEvent.Type.EXPLANATION_RECEIVED)
    assert (event.note, event.data) == ("申请人逾期未说明理由", {"explained": False})
    doc = services.case_reply(case=case, kind="5.4", on=date(2026, 3, 3), acting_user=handler)
    case.refresh_from_db()
    assert (case.reply_kind, case.outcome) == ("5.4", "5.4")
    assert "第三十五条" in "\n".join(p.text for p in Document(doc.file.path).paragraphs)


def test_explanation_is_asked_once_and_needs_points(record_case, handler):
    case = record_case(date(2026, 2, 9))
    with pytest.raises(services.CaseError, match="请写明需要申请人说明的事项"):
        services.case_request_explanation(
            case=case,
            points=[" "],
            reply_by=date(2026, 2, 27),
            on=date(2026, 2, 11),
            acting_user=handler,
        )
    assert not CaseDocument.objects.filter(case=case).exists()
    case = _asked(record_case, handler)
    services.case_receive_explanation(case=case, on=date(2026, 2, 13), acting_user=handler)
    with pytest.raises(services.CaseError, match="不能重复要求"):
        services.case_request_explanation(
            case=case,
            points=["再次说明"],
            reply_by=date(2026, 3, 27),
            on=date(2026, 3, 2),
            acting_user=handler,
        )
