"""Statutory deadlines for 依申请公开 — pure functions over a ``WorkCalendar`` (no ORM).

Sources: 《中华人民共和国政府信息公开条例》(国务院令第711号, 2019) = 条例;
《政府信息公开信息处理费管理办法》(国办函〔2020〕109号) = 处理费办法, with the payment procedure as
restated by the 四川省财政厅、发展改革委 notice.
See ``shared/domain/ogi-rules.md`` §1.2–1.5, §2, §7.

Semantics (issue 4, used everywhere in the platform):

* The start day is the date of receipt (条例第三十一条), or the date the completed application
  arrived after a 补正 — the period then runs again in full (条例第三十条: "答复期限自行政机关
  收到补正的申请之日起计算").
* The start day itself is not counted (the usual convention of Chinese procedural law; the
  rules note marks it as to be confirmed with client agencies).
* A working day d inside a pause (pause start < d ≤ pause end) is not counted: the time spent
  consulting a third party (第三十二条) or other agencies (第三十四条) is excluded
  (第三十三条第三款).
* The due date is the day on which the (20 + approved extension)-th counted working day falls
  (第三十三条第二款: 20 working days; extension ≤ 20 working days in total, approved by the head
  of the GI work unit).
* The 补正 notice is due on the 7th working day after receipt (第三十条: "收到申请之日起7个
  工作日内一次性告知").
* While a 补正 is outstanding (requested, not yet received) the clock is stopped, and while a
  pause is open the end of the pause is unknown: in both cases the due date cannot be
  determined, and ``compute_deadline`` raises ``DeadlineSuspended`` (a ``DeadlineError``) with
  a Chinese message saying so, rather than guessing (e.g. "paused until today"), so that no
  screen ever shows a due date that will silently move.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from django.utils.translation import gettext as _

from gongkai.workdays.calendar import (
    CalendarMissing,
    Pause,
    WorkCalendar,
    format_date,
    in_pause,
)

__all__ = [
    "BASE_REPLY_DAYS",
    "FEE_PAYMENT_DAYS",
    "MAX_EXTENSION_DAYS",
    "SUPPLEMENT_NOTICE_DAYS",
    "THIRD_PARTY_REPLY_DAYS",
    "CalendarMissing",
    "DeadlineError",
    "DeadlineEvent",
    "DeadlineResult",
    "DeadlineSuspended",
    "EventType",
    "compute_deadline",
    "fee_payment_deadline",
    "supplement_notice_deadline",
    "third_party_reply_deadline",
    "workdays_left",
]

# 条例第三十三条第二款: "自收到申请之日起20个工作日内予以答复".
BASE_REPLY_DAYS = 20
# 条例第三十三条第二款: "延长的期限最长不得超过20个工作日".
MAX_EXTENSION_DAYS = 20
# 条例第三十条: "在收到申请之日起7个工作日内一次性告知申请人作出补正".
SUPPLEMENT_NOTICE_DAYS = 7
# 条例第三十二条: "第三方应当自收到征求意见书之日起15个工作日内提出意见"
# (第三十四条 gives other agencies the same 15 working days).
THIRD_PARTY_REPLY_DAYS = 15
# 处理费办法 as restated by 四川: "自收到缴费通知之次日起20个工作日内缴纳".
FEE_PAYMENT_DAYS = 20

EventType = Literal[
    "supplement_requested",
    "supplement_received",
    "pause_started",
    "pause_ended",
    "extended",
]

EVENT_LABELS: dict[str, str] = {
    "supplement_requested": "发出补正通知",
    "supplement_received": "收到补正后的申请",
    "pause_started": "开始暂停计算",
    "pause_ended": "结束暂停计算",
    "extended": "延长答复期限",
}

DEFAULT_PAUSE_REASON = "征求第三方意见"
DEFAULT_PAUSE_BASIS = "条例第三十二条、第三十四条、第三十三条第三款"
# The wait for the 信息处理费: from the fee notice to payment (处理费办法, as commonly read; the
# rules note could not retrieve its text — a per-deployment setting decides, ADR 0003).
FEE_WAIT_REASON = "等待缴纳信息处理费"
FEE_WAIT_BASIS = "《政府信息公开信息处理费管理办法》"


@dataclass(frozen=True)
class DeadlineEvent:
    """One event of a case that moves the reply deadline.

    ``date`` is required for every type except ``extended`` (for which it is optional and, if
    given, must respect the date order); ``days`` is the number of working days of an
    ``extended`` event. ``reason`` names a pause in explanations (default 征求第三方意见; e.g.
    征求其他行政机关意见 for 第三十四条); ``basis`` is the provision that excludes the paused
    days, cited in the explanation (default 第三十二条、第三十四条、第三十三条第三款).
    """

    type: EventType
    date: date | None = None
    days: int | None = None
    reason: str | None = None
    basis: str | None = None


@dataclass
class DeadlineResult:
    due: date
    supplement_deadline: date
    start: date
    counted_days: int
    explanation: list[str]
    received: date | None = None
    extension_days: int = 0
    pauses: list[Pause] = field(default_factory=list)
    calendar_version: str = ""


class DeadlineError(ValueError):
    """The events are inconsistent; the message (Chinese) says which event and why."""


class DeadlineSuspended(DeadlineError):
    """The clock is stopped (open pause or outstanding 补正): no due date can be fixed yet."""


def _event_label(index: int, event: DeadlineEvent) -> str:
    return _("第%(n)d个事件（%(label)s）") % {
        "n": index,
        "label": _(EVENT_LABELS.get(event.type, event.type)),
    }


def _range_text(first: date, last: date) -> str:
    if first == last:
        return format_date(first)
    return _("%(a)s至%(b)s") % {"a": format_date(first), "b": format_date(last)}


def supplement_notice_deadline(received: date, calendar: WorkCalendar) -> date:
    """Last day to send the one-time 补正 notice: 7th working day after receipt (条例第三十条)."""
    return calendar.add_workdays(received, SUPPLEMENT_NOTICE_DAYS)


def third_party_reply_deadline(third_party_received: date, calendar: WorkCalendar) -> date:
    """Last day for the third party's (or co-agency's) opinion: 15 working days from its receipt
    of the 征求意见书, the receipt day not counted (条例第三十二条、第三十四条)."""
    return calendar.add_workdays(third_party_received, THIRD_PARTY_REPLY_DAYS)


def fee_payment_deadline(notice_received: date, calendar: WorkCalendar) -> date:
    """Last day to pay the 信息处理费: 20 working days counted from the day after the applicant
    received the fee notice (处理费办法, as restated by 四川); unpaid → 视为放弃 (其他处理 2)."""
    return calendar.add_workdays(notice_received, FEE_PAYMENT_DAYS)


def workdays_left(result: DeadlineResult, today: date, calendar: WorkCalendar) -> int:
    """Working days from ``today`` (exclusive) to the due date (inclusive).

    0 on the due day itself; negative when overdue (−1 on the first working day after it).
    """
    return calendar.workdays_between(today, result.due)


@dataclass
class _Clock:
    """The running state of ``compute_deadline`` while it walks the events (local to a call)."""

    received: date
    calendar: WorkCalendar
    explanation: list[str]
    start: date
    last_date: date
    supplement_open: date | None = None
    supplement_rounds: int = 0
    pause_open: date | None = None
    pause_open_reason: str = ""
    pause_open_basis: str = ""
    pauses: list[Pause] = field(default_factory=list)
    pause_reasons: list[str] = field(default_factory=list)
    extension_total: int = 0


def compute_deadline(
    received: date, events: Sequence[DeadlineEvent], calendar: WorkCalendar
) -> DeadlineResult:
    """Compute the reply deadline of an application from its receipt date and events.

    Events must be given in date order (``extended`` events without a date may stand
    anywhere). Raises ``DeadlineError`` (Chinese message naming the event) for inconsistent
    events, ``DeadlineSuspended`` while the clock is stopped, and ``CalendarMissing`` when the
    calendar lacks a year the computation needs.
    """
    calendar.require_year(received.year)
    explanation: list[str] = [
        _("%(d)s收到申请（条例第三十一条），收到当日不计入期限。") % {"d": format_date(received)}
    ]
    supplement_deadline = supplement_notice_deadline(received, calendar)
    explanation.append(
        _("如需补正，应在收到申请后7个工作日内一次性告知，即不晚于%(d)s（条例第三十条）。")
        % {"d": format_date(supplement_deadline)}
    )
    clock = _Clock(
        received=received,
        calendar=calendar,
        explanation=explanation,
        start=received,
        last_date=received,
    )
    for index, event in enumerate(events, start=1):
        _apply_event(clock, index, event)
    _refuse_stopped_clock(clock)

    counted_days = BASE_REPLY_DAYS + clock.extension_total
    due = calendar.add_workdays(clock.start, counted_days, clock.pauses)
    explanation.extend(_day_lines(clock.start, due, clock.pauses, clock.pause_reasons, calendar))
    explanation.extend(_due_lines(clock, due, counted_days))
    return DeadlineResult(
        due=due,
        supplement_deadline=supplement_deadline,
        start=clock.start,
        counted_days=counted_days,
        explanation=explanation,
        received=received,
        extension_days=clock.extension_total,
        pauses=clock.pauses,
        calendar_version=calendar.version,
    )


def _apply_event(clock: _Clock, index: int, event: DeadlineEvent) -> None:
    label = _event_label(index, event)
    if event.type not in EVENT_LABELS:
        raise DeadlineError(_("第%(n)d个事件的类型“%(t)s”无法识别") % {"n": index, "t": event.type})
    if event.type == "extended":
        _apply_extension(clock, label, event)
        return
    when = _dated_event_date(clock, label, event)
    _DATED_STEPS[event.type](clock, label, when, event)


def _apply_extension(clock: _Clock, label: str, event: DeadlineEvent) -> None:
    """条例第三十三条第二款: an approved extension adds working days, at most 20 in total."""
    days = event.days
    if days is None or isinstance(days, bool) or not isinstance(days, int):
        raise DeadlineError(_("%(e)s缺少延长的工作日数") % {"e": label})
    if days <= 0:
        raise DeadlineError(
            _("%(e)s：延长的工作日数必须大于0，收到的是%(d)d") % {"e": label, "d": days}
        )
    clock.extension_total += days
    if clock.extension_total > MAX_EXTENSION_DAYS:
        # 条例第三十三条第二款: the extension (however many approvals) is at most 20.
        raise DeadlineError(
            _("%(e)s：延长期限累计%(t)d个工作日，超过条例第三十三条规定的最长20个工作日")
            % {"e": label, "t": clock.extension_total}
        )
    if event.date is not None:
        if event.date < clock.received:
            raise DeadlineError(
                _("%(e)s的日期%(d)s早于收到申请之日%(r)s")
                % {"e": label, "d": event.date.isoformat(), "r": clock.received.isoformat()}
            )
        if event.date < clock.last_date:
            raise DeadlineError(
                _("%(e)s的日期%(d)s早于前一个事件的日期%(p)s，事件须按日期先后排列")
                % {"e": label, "d": event.date.isoformat(), "p": clock.last_date.isoformat()}
            )
        clock.last_date = event.date
    clock.explanation.append(
        _("经政府信息公开工作机构负责人同意，延长答复期限%(n)d个工作日（条例第三十三条第二款）。")
        % {"n": days}
    )


def _dated_event_date(clock: _Clock, label: str, event: DeadlineEvent) -> date:
    """The date of a 补正 or pause event, once it is known to be in order."""
    when = event.date
    if when is None:
        raise DeadlineError(_("%(e)s缺少日期") % {"e": label})
    clock.calendar.require_year(when.year)
    if when < clock.received:
        raise DeadlineError(
            _("%(e)s的日期%(d)s早于收到申请之日%(r)s")
            % {"e": label, "d": when.isoformat(), "r": clock.received.isoformat()}
        )
    # Specific messages first, so the user learns *what* is wrong, not just "out of order".
    if event.type == "pause_ended" and clock.pause_open is not None and when < clock.pause_open:
        raise DeadlineError(
            _("%(e)s：暂停结束日期%(d)s早于暂停开始日期%(s)s")
            % {"e": label, "d": when.isoformat(), "s": clock.pause_open.isoformat()}
        )
    if (
        event.type == "supplement_received"
        and clock.supplement_open is not None
        and when < clock.supplement_open
    ):
        raise DeadlineError(
            _("%(e)s：收到补正申请的日期%(d)s早于发出补正通知的日期%(s)s")
            % {"e": label, "d": when.isoformat(), "s": clock.supplement_open.isoformat()}
        )
    if when < clock.last_date:
        raise DeadlineError(
            _("%(e)s的日期%(d)s早于前一个事件的日期%(p)s，事件须按日期先后排列")
            % {"e": label, "d": when.isoformat(), "p": clock.last_date.isoformat()}
        )
    clock.last_date = when
    return when


def _supplement_requested(clock: _Clock, label: str, when: date, event: DeadlineEvent) -> None:
    if clock.supplement_open is not None:
        raise DeadlineError(
            _("%(e)s：%(s)s发出的补正通知尚未收到补正，不能再次发出补正通知")
            % {"e": label, "s": clock.supplement_open.isoformat()}
        )
    clock.supplement_rounds += 1
    clock.supplement_open = when
    clock.explanation.append(_("%(d)s发出补正通知。") % {"d": format_date(when)})
    # 第三十条: the notice is due within 7 working days of receipt (of the current
    # application); a late notice is still recorded, but flagged.
    notice_due = supplement_notice_deadline(clock.start, clock.calendar)
    if when > notice_due:
        clock.explanation.append(
            _("补正通知晚于收到申请后第7个工作日（%(d)s）发出，不符合条例第三十条的期限要求。")
            % {"d": format_date(notice_due)}
        )
    if clock.supplement_rounds > 1:
        clock.explanation.append(
            _("条例第三十条要求一次性告知需要补正的事项，本申请为第%(n)d次补正。")
            % {"n": clock.supplement_rounds}
        )


def _supplement_received(clock: _Clock, label: str, when: date, event: DeadlineEvent) -> None:
    """第三十条: the period runs again in full from the completed application."""
    if clock.supplement_open is None:
        raise DeadlineError(_("%(e)s：此前没有发出补正通知，不能登记收到补正") % {"e": label})
    clock.supplement_open = None
    clock.start = when
    clock.explanation.append(
        _("%(d)s收到补正后的申请，答复期限自该日起重新计算，该日不计入期限（条例第三十条）。")
        % {"d": format_date(when)}
    )


def _pause_started(clock: _Clock, label: str, when: date, event: DeadlineEvent) -> None:
    if clock.pause_open is not None:
        raise DeadlineError(
            _("%(e)s：%(s)s开始的暂停尚未结束，暂停期间不能重叠")
            % {"e": label, "s": clock.pause_open.isoformat()}
        )
    clock.pause_open = when
    clock.pause_open_reason = event.reason or DEFAULT_PAUSE_REASON
    clock.pause_open_basis = event.basis or DEFAULT_PAUSE_BASIS


def _pause_ended(clock: _Clock, label: str, when: date, event: DeadlineEvent) -> None:
    """第三十三条第三款: the paused working days are not counted."""
    if clock.pause_open is None:
        raise DeadlineError(_("%(e)s：此前没有开始暂停，不能结束暂停") % {"e": label})
    clock.pauses.append((clock.pause_open, when))
    clock.pause_reasons.append(clock.pause_open_reason)
    clock.explanation.append(
        _(
            "%(s)s开始暂停（%(r)s），%(e)s结束；其间（开始次日至结束当日）的工作日"
            "不计入期限（%(b)s）。"
        )
        % {
            "s": format_date(clock.pause_open),
            "e": format_date(when),
            "r": _(clock.pause_open_reason),
            "b": _(clock.pause_open_basis),
        }
    )
    clock.pause_open = None


_DATED_STEPS = {
    "supplement_requested": _supplement_requested,
    "supplement_received": _supplement_received,
    "pause_started": _pause_started,
    "pause_ended": _pause_ended,
}


def _refuse_stopped_clock(clock: _Clock) -> None:
    """No due date while a 补正 is outstanding or a pause is open (see the module notes)."""
    if clock.supplement_open is not None:
        raise DeadlineSuspended(
            _(
                "已于%(d)s发出补正通知，尚未收到补正后的申请；答复期限自收到补正申请之日起"
                "重新计算，暂无法确定答复期限（条例第三十条）"
            )
            % {"d": clock.supplement_open.isoformat()}
        )
    if clock.pause_open is not None:
        raise DeadlineSuspended(
            _("暂停尚未结束，无法确定答复期限（%(d)s开始%(r)s）")
            % {"d": clock.pause_open.isoformat(), "r": _(clock.pause_open_reason)}
        )


def _due_lines(clock: _Clock, due: date, counted_days: int) -> list[str]:
    """The closing lines of the explanation: how the due date follows (第三十三条)."""
    if clock.extension_total:
        lines = [
            _(
                "自%(s)s次日起计算20个工作日并延长%(x)d个工作日，共%(n)d个工作日，"
                "第%(n)d个工作日为%(d)s，即答复期限（条例第三十三条）。"
            )
            % {
                "s": format_date(clock.start),
                "x": clock.extension_total,
                "n": counted_days,
                "d": format_date(due),
            }
        ]
    else:
        lines = [
            _("自%(s)s次日起计算20个工作日，第20个工作日为%(d)s，即答复期限（条例第三十三条）。")
            % {"s": format_date(clock.start), "d": format_date(due)}
        ]
    for pause_start, _pause_end in clock.pauses:
        if pause_start >= due:
            lines.append(
                _("%(d)s开始的暂停在答复期限之后，不影响答复期限。")
                % {"d": format_date(pause_start)}
            )
    return lines


def _day_lines(
    start: date,
    due: date,
    pauses: Sequence[Pause],
    pause_reasons: Sequence[str],
    calendar: WorkCalendar,
) -> list[str]:
    """Chinese lines naming, run by run, the days between start and due that were skipped
    (周末, 节假日, 暂停期间) and the 调休 working days that were counted."""
    runs: list[tuple[str, str, date, date, list[str]]] = []  # key, kind, first, last, names
    d = start
    while d < due:
        d += timedelta(days=1)
        if in_pause(d, pauses):
            idx = next(i for i, (ps, pe) in enumerate(pauses) if ps < d <= pe)
            key, kind, name = f"pause{idx}", "pause", pause_reasons[idx]
        else:
            info = calendar.day_info(d)
            if info.reason == "weekday":
                continue
            kind = info.reason
            key = kind
            name = info.name
        if runs and runs[-1][0] == key and runs[-1][3] == d - timedelta(days=1):
            prev = runs[-1]
            if name and name not in prev[4]:
                prev[4].append(name)
            runs[-1] = (prev[0], prev[1], prev[2], d, prev[4])
        else:
            runs.append((key, kind, d, d, [name] if name else []))

    lines: list[str] = []
    for _key, kind, first, last, names in runs:
        span = _range_text(first, last)
        joined = "、".join(names)
        if kind == "pause":
            lines.append(_("%(r)s：暂停期间（%(n)s），不计入。") % {"r": span, "n": _(joined)})
        elif kind == "weekend":
            lines.append(_("%(r)s：周末，不计入。") % {"r": span})
        elif kind == "holiday":
            lines.append(
                _("%(r)s：%(n)s放假，不计入。") % {"r": span, "n": joined or _("法定节假日")}
            )
        elif kind == "adjusted_workday":
            label = _("调休上班日（%(n)s）") % {"n": joined} if joined else _("调休上班日")
            lines.append(_("%(r)s：%(l)s，计入期限。") % {"r": span, "l": label})
    return lines


def internal_target_date(result: DeadlineResult, days: int, calendar: WorkCalendar) -> date:
    """An internal target (内部目标, e.g. 一般办件 7, 疑难办件 20 working days): counted like the
    statutory deadline — from the same start (receipt, or the 补正 received, 条例第三十条), the
    start day not counted, 调休 days counted, the same pauses (第三十三条第三款) left out — but
    with the organisation's own number of days and no extension (an extension moves only the
    statutory deadline, 第三十三条第二款)."""
    return calendar.add_workdays(result.start, days, result.pauses)
