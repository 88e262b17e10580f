"""The case's statutory clock: the deadline engine's view of its events and the stored due date."""

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from gongkai.workdays.calendar import format_date

from .. import deadlines
from ..models import (
    Case,
    CaseEvent,
    Consultation,
    FeeNotice,
    InternalTarget,
)
from ..selectors import reply_deferral
from .base import _load_calendar

E = CaseEvent.Type

PAUSE_REASONS: dict[frozenset[str], str] = {
    frozenset({Consultation.Kind.THIRD_PARTY}): "征求第三方意见",
    frozenset({Consultation.Kind.AGENCY}): "征求其他行政机关意见",
    frozenset({Consultation.Kind.THIRD_PARTY, Consultation.Kind.AGENCY}): (
        "征求第三方及其他行政机关意见"
    ),
}


FEE_WAIT = "fee_wait"


EXPLANATION_WAIT = "explanation"


# 第三十五条: the time the applicant takes to explain a very large request (ADR 0003 addendum).
EXPLANATION_REASON = "要求申请人说明理由"


EXPLANATION_BASIS = "条例第三十五条"


def _pause_label(kinds: set[str]) -> tuple[str, str | None]:
    """(reason, basis) of one merged pause, from the kinds of wait it joins."""
    consult = frozenset(k for k in kinds if k in Consultation.Kind.values)
    reasons: list[str] = [PAUSE_REASONS[consult]] if consult else []
    bases: list[str] = [deadlines.DEFAULT_PAUSE_BASIS] if consult else []
    if EXPLANATION_WAIT in kinds:
        reasons.append(EXPLANATION_REASON)
        bases.append(EXPLANATION_BASIS)
    if FEE_WAIT in kinds:
        reasons.append(deadlines.FEE_WAIT_REASON)
        bases.append(deadlines.FEE_WAIT_BASIS)
    # A consultation-only pause keeps the engine's default citation (unchanged explanations).
    basis = None if bases == [deadlines.DEFAULT_PAUSE_BASIS] else "；".join(bases)
    return "、".join(reasons), basis


_Dated = tuple[date, int, deadlines.DeadlineEvent]
_Wait = tuple[date, date | None, str]


def _supplement_and_extension_events(
    case: Case,
) -> tuple[list[_Dated], list[deadlines.DeadlineEvent]]:
    """Step 1: the dated 补正 events, and the 延期 events (which carry days, not a date)."""
    dated: list[_Dated] = []
    extensions: list[deadlines.DeadlineEvent] = []
    for ev in case.events.filter(
        type__in=[E.SUPPLEMENT_REQUESTED, E.SUPPLEMENT_RECEIVED, E.EXTENDED]
    ).order_by("date", "id"):
        if ev.type == E.EXTENDED:
            extensions.append(deadlines.DeadlineEvent("extended", days=int(ev.data["days"])))
        else:
            kind: deadlines.EventType = (
                "supplement_requested"
                if ev.type == E.SUPPLEMENT_REQUESTED
                else "supplement_received"
            )
            dated.append((ev.date, ev.id, deadlines.DeadlineEvent(kind, date=ev.date)))
    return dated, extensions


def _waits(case: Case) -> list[_Wait]:
    """Step 2: every wait that stops the clock, (start, end or None if still waiting, kind)."""
    waits: list[_Wait] = [
        (c.sent_date, c.replied_date, c.kind)
        for c in case.consultations.order_by("sent_date", "id")
    ]
    for n in case.fee_notices.filter(wait_excluded=True).order_by("issued_date", "id"):
        if n.state != FeeNotice.State.UNPAID:
            waits.append((n.issued_date, n.paid_date, FEE_WAIT))
    asked: date | None = None
    for ev in case.events.filter(
        type__in=[E.EXPLANATION_REQUESTED, E.EXPLANATION_RECEIVED]
    ).order_by("date", "id"):
        if ev.type == E.EXPLANATION_REQUESTED:
            asked = ev.date
        elif asked is not None:
            waits.append((asked, ev.date, EXPLANATION_WAIT))
            asked = None
    if asked is not None:
        waits.append((asked, None, EXPLANATION_WAIT))
    return waits


def _merged_pauses(waits: list[_Wait]) -> list[list[Any]]:
    """Step 3: overlapping waits joined into [start, end or None, kinds] pauses."""
    intervals: list[list[Any]] = []
    for begin, end, wait_kind in sorted(waits, key=lambda w: w[0]):
        if intervals and (intervals[-1][1] is None or begin <= intervals[-1][1]):
            last = intervals[-1]
            last[1] = None if (last[1] is None or end is None) else max(last[1], end)
            last[2].add(wait_kind)
        else:
            intervals.append([begin, end, {wait_kind}])
    return intervals


def deadline_events(case: Case) -> list[deadlines.DeadlineEvent]:
    """The deadline engine's view of a case: 补正 events, pauses, extensions.

    Pauses: consultations (条例第三十三条第三款), the applicant's explanation of a very large
    request (第三十五条), and the wait for a fee notice issued while the deployment excludes it
    (``FeeNotice.wait_excluded``). Overlapping waits form one pause: the clock stops from the
    first start until the last end.
    """
    dated, extensions = _supplement_and_extension_events(case)
    for start, end, kinds in _merged_pauses(_waits(case)):
        reason, basis = _pause_label(kinds)
        dated.append(
            (
                start,
                0,
                deadlines.DeadlineEvent("pause_started", date=start, reason=_(reason), basis=basis),
            )
        )
        if end is not None:
            dated.append((end, 1, deadlines.DeadlineEvent("pause_ended", date=end)))
    dated.sort(key=lambda t: (t[0], t[1]))
    return [e for _d, _i, e in dated] + extensions


def deadline_result(case: Case) -> deadlines.DeadlineResult:
    """Compute the deadline now (raises DeadlineError / CalendarMissing)."""
    if case.received_date is None:
        raise deadlines.DeadlineSuspended(_("尚未确认收到申请，答复期限从确认收到之日起计算"))
    return deadlines.compute_deadline(case.received_date, deadline_events(case), _load_calendar())


def _fee_lines(case: Case) -> list[str]:
    """The pay-by date of each fee notice, in the day-by-day explanation: 20 working days from
    the day after the applicant received the notice (处理费办法 as restated by the provinces)."""
    lines: list[str] = []
    for n in case.fee_notices.order_by("issued_date", "id"):
        issued = format_date(n.issued_date)
        if n.received_date is None:
            lines.append(
                _(
                    "%(i)s邮寄发出收费通知，尚未登记申请人收到日期；缴费期限自申请人收到通知之次日"
                    "起计算20个工作日（《政府信息公开信息处理费管理办法》）。"
                )
                % {"i": issued}
            )
        elif n.pay_due is not None:
            lines.append(
                _(
                    "%(i)s发出收费通知，申请人于%(r)s收到；缴费期限自%(r)s次日起计算20个工作日，"
                    "第20个工作日为%(p)s（《政府信息公开信息处理费管理办法》）。"
                )
                % {"i": issued, "r": format_date(n.received_date), "p": format_date(n.pay_due)}
            )
    return lines


def _deferral_line(event: CaseEvent) -> str:
    return _(
        "%(d)s确定延迟答复的合理期限：申请人说明的理由合理，但无法在条例第三十三条规定的期限内"
        "答复，答复期限确定为%(due)s（条例第三十五条）。理由：%(why)s"
    ) % {
        "d": format_date(event.date),
        "due": format_date(date.fromisoformat(event.data["due"])),
        "why": event.data.get("reason", ""),
    }


def _recompute(case: Case) -> None:
    from gongkai.workdays.calendar import CalendarMissing

    if not case.is_open:
        # A closed case keeps the due date it had; it no longer moves.
        return
    deferral = reply_deferral(case) if case.pk else None
    fee_lines = _fee_lines(case) if case.pk else []
    try:
        result = deadline_result(case)
    except (deadlines.DeadlineError, CalendarMissing) as exc:
        case.due_date = None
        case.internal_due_date = None
        case.deadline_note = "\n".join([str(exc), *fee_lines])
        return
    case.due_date = result.due
    case.calendar_version = result.calendar_version
    case.deadline_note = "\n".join([*result.explanation, *fee_lines])
    case.internal_due_date = _internal_due(case, result)
    if deferral is not None:
        # 第三十五条: the agency fixed a later, reasonable deadline and told the applicant; it
        # replaces the 第三十三条 date (ADR 0003 addendum).
        case.due_date = date.fromisoformat(deferral.data["due"])
        case.deadline_note += "\n" + _deferral_line(deferral)


def internal_target_days(case: Case) -> int | None:
    """The organisation's internal target for this case (一般 or 疑难), or None when it set none."""
    target = InternalTarget.objects.filter(organisation_id=case.organisation_id).first()
    if target is None:
        return None
    return target.difficult_days if case.difficult else target.normal_days


def _internal_due(case: Case, result: deadlines.DeadlineResult) -> date | None:
    days = internal_target_days(case)
    if days is None:
        return None
    return deadlines.internal_target_date(result, days, _load_calendar())


def due_with_extension(case: Case, days: int) -> date | None:
    """The due date ``_recompute`` will store once an extension of ``days`` is recorded: the
    extension notice states it, and is composed before the extension is saved."""
    from gongkai.workdays.calendar import CalendarMissing

    if not case.is_open:
        return case.due_date
    if case.received_date is None:
        return None
    events = [*deadline_events(case), deadlines.DeadlineEvent("extended", days=days)]
    try:
        return deadlines.compute_deadline(case.received_date, events, _load_calendar()).due
    except (deadlines.DeadlineError, CalendarMissing):
        return None


def _save(case: Case) -> None:
    _recompute(case)
    case.save()
