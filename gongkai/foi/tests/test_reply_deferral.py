"""条例第三十五条: a reasonable later deadline, once the applicant's explanation of a very large
request was found reasonable (ADR 0003 addendum) — hand-worked dates.

2026 春节: Feb 15–23 off; Sat Feb 14 and Sat Feb 28 are working days.
"""

from datetime import date

import pytest
from docx import Document

from gongkai.core.models import AuditEntry
from gongkai.foi import services
from gongkai.foi.models import CaseDocument, CaseEvent, Status

pytestmark = pytest.mark.django_db


def _explained(record_case, handler, explained=True):
    case = record_case(date(2026, 2, 9))
    case = services.case_assign(
        case=case, handler=handler, on=date(2026, 2, 9), acting_user=handler
    )
    case = services.case_request_explanation(
        case=case,
        points=["本月提交的86件申请各自的用途"],
        reply_by=date(2026, 2, 27),
        on=date(2026, 2, 11),
        acting_user=handler,
    )
    on = date(2026, 3, 2) if explained else date(2026, 3, 3)
    return services.case_receive_explanation(
        case=case, on=on, note="用于课题研究", explained=explained, acting_user=handler
    )


def test_deferral_sets_the_due_date_and_tells_the_applicant(record_case, handler):
    case = _explained(record_case, handler)
    # 02-10 (1), 02-11 (2); 02-12 … 03-02 paused; 03-03 … 03-06 (3–6), 03-09 … 03-13 (7–11),
    # 03-16 … 03-20 (12–16), 03-23 … 03-26 (17–20).
    assert case.due_date == date(2026, 3, 26)
    audits = AuditEntry.objects.count()
    case = services.case_reply_deferral_set(
        case=case,
        due_date=date(2026, 4, 24),
        reason="需调取2015年以来的86卷档案逐件审查",
        on=date(2026, 3, 10),
        acting_user=handler,
    )
    case.refresh_from_db()
    assert (case.status, case.due_date) == (Status.IN_PROGRESS, date(2026, 4, 24))
    event = case.events.get(type=CaseEvent.Type.REPLY_DEFERRED)
    assert (event.date, event.data["due"], event.data["previous_due"]) == (
        date(2026, 3, 10),
        "2026-04-24",
        "2026-03-26",
    )
    assert AuditEntry.objects.count() == audits + 1
    lines = case.deadline_note.split("\n")
    # The 第三十三条 count stays visible, then why the due date is later.
    assert (
        "自2026年2月9日（星期一）次日起计算20个工作日，第20个工作日为2026年3月26日（星期四），"
        "即答复期限（条例第三十三条）。"
    ) in lines
    assert lines[-1] == (
        "2026年3月10日（星期二）确定延迟答复的合理期限：申请人说明的理由合理，但无法在条例第三十三条"
        "规定的期限内答复，答复期限确定为2026年4月24日（星期五）（条例第三十五条）。"
        "理由：需调取2015年以来的86卷档案逐件审查"
    )
    doc = CaseDocument.objects.get(case=case, kind=CaseDocument.Kind.DEFERRAL_NOTICE)
    text = "\n".join(p.text for p in Document(doc.file.path).paragraphs)
    assert "延迟答复告知书" in text
    assert (
        f"本机关于2026年2月9日收到您的政府信息公开申请（申请编号：{case.reference}）。经审查，"
        "您说明的理由合理，但因需调取2015年以来的86卷档案逐件审查，本机关无法在《中华人民共和国"
        "政府信息公开条例》第三十三条规定的期限内答复。根据该条例第三十五条，本机关确定延迟答复"
        "的合理期限为2026年4月24日，将于该日前作出答复。"
    ) in text


@pytest.mark.parametrize(
    ("due", "reason", "message"),
    [
        (date(2026, 3, 26), "档案量大", r"延迟答复的期限2026-03-26应晚于当前答复期限2026-03-26"),
        (date(2026, 3, 20), "档案量大", r"延迟答复的期限2026-03-20应晚于当前答复期限2026-03-26"),
        (date(2026, 4, 24), "  ", "请写明无法在规定期限内答复的原因"),
    ],
)
def test_deferral_refused_changes_nothing(record_case, handler, due, reason, message):
    case = _explained(record_case, handler)
    events = case.events.count()
    with pytest.raises(services.CaseError, match=message):
        services.case_reply_deferral_set(
            case=case, due_date=due, reason=reason, on=date(2026, 3, 10), acting_user=handler
        )
    case.refresh_from_db()
    assert case.due_date == date(2026, 3, 26)
    assert case.events.count() == events
    assert not CaseDocument.objects.filter(case=case, kind=CaseDocument.Kind.DEFERRAL_NOTICE)


def test_deferral_needs_an_accepted_explanation(record_case, handler):
    plain = record_case(date(2026, 2, 9))
    plain = services.case_assign(
        case=plain, handler=handler, on=date(2026, 2, 9), acting_user=handler
    )
    not_explained = _explained(record_case, handler, explained=False)
    for case in (plain, not_explained):
        due = case.due_date
        with pytest.raises(services.CaseError, match="申请人已说明理由后，才能确定延迟答复"):
            services.case_reply_deferral_set(
                case=case,
                due_date=date(2026, 4, 24),
                reason="档案量大",
                on=date(2026, 3, 10),
                acting_user=handler,
            )
        case.refresh_from_db()
        assert case.due_date == due
        assert not case.events.filter(type=CaseEvent.Type.REPLY_DEFERRED).exists()
