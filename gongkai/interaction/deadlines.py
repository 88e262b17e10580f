"""Reply deadlines (承诺时限) of 政民互动 messages — pure functions, no ORM.

Sources (see the issue #12 text and the seed documents in ``shared/seeds``):

* 《国务院办公厅关于进一步优化地方政务服务便民热线的指导意见》(国办发〔2020〕53号) and the local
  12345 rules the seeds quote: "12345热线之日起3个工作日内完成回复" → ``hotline_12345`` 3 working
  days.
* 接诉即办 (the seeds' 北京市接诉即办工作条例 practice): "接件后2小时内与企业取得联系，1个工作日内
  …反馈办理意见，15个工作日内解决问题" → ``jsjb`` 1 working day to the first reply, 15 to the
  resolution, an optional first-contact limit in hours.
* 《政府网站与政务新媒体检查指标》(国办秘函〔2019〕19号): "一网两微互动平台办件5个工作日内答复"
  → every other channel 5 working days.
* 《政府网站与政务新媒体检查指标》单项否决 "互动回应差": a 咨询 message left unanswered more than
  three months → ``three_months_after`` (calendar months, the day clipped to the month's end).

Counting convention — the same as 依申请公开 (gongkai.workdays): the day of receipt itself is
not counted, 调休 working days count, holidays and weekends do not; the due date is the day on
which the N-th counted working day falls. A message received on a weekend or holiday therefore
starts counting on the next working day. An agency may set its own limits per channel
(``DeadlineRule``); they replace the defaults here.

The deadline of a *reply* is the first-reply limit (for ``jsjb`` 1 working day): the statistics
(``replied_on_time``, ``open_overdue``) measure that one. The resolution limit is shown beside it.
"""

from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from gongkai.workdays.calendar import WorkCalendar, format_date

# Default limits in working days: (first reply, resolution or None).
HOTLINE_12345 = "hotline_12345"
JSJB = "jsjb"
DEFAULT_REPLY_DAYS = 5
DEFAULT_LIMITS: dict[str, tuple[int, int | None]] = {
    HOTLINE_12345: (3, None),
    JSJB: (1, 15),
}
# 接诉即办: first contact with the person within 2 hours of receiving the work order.
DEFAULT_FIRST_CONTACT_HOURS: dict[str, int] = {JSJB: 2}
THREE_MONTHS = 3


@dataclass(frozen=True)
class Limits:
    """The limits that apply to one message: working days, optional hours to first contact."""

    reply_days: int
    resolution_days: int | None = None
    first_contact_hours: int | None = None
    source: str = "default"  # "default" or "rule" (an agency's own DeadlineRule)


@dataclass(frozen=True)
class MessageDeadline:
    due: date
    resolution_due: date | None
    limits: Limits
    calendar_version: str
    explanation: list[str]


def default_limits(channel: str) -> Limits:
    """The national/seed defaults for ``channel`` (module docstring)."""
    reply, resolution = DEFAULT_LIMITS.get(channel, (DEFAULT_REPLY_DAYS, None))
    return Limits(reply, resolution, DEFAULT_FIRST_CONTACT_HOURS.get(channel))


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months later, clipped to the month's end.

    31 January 2026 + 3 months = 30 April 2026 (April has 30 days); 30 November 2025 + 3 =
    28 February 2026.
    """
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


def three_months_after(received: date) -> date:
    """The last day a 咨询 reply is still within three months of receipt (互动回应差)."""
    return add_months(received, THREE_MONTHS)


def unanswered_over_three_months(received: date, replied: date | None, as_of: date) -> bool:
    """True when the reply — or ``as_of`` if there is none by then — came later than receipt
    plus three calendar months. A reply dated after ``as_of`` counts as no reply by then."""
    end = replied if replied is not None and replied <= as_of else as_of
    return end > three_months_after(received)


def compute_message_deadline(
    received: date, limits: Limits, calendar: WorkCalendar
) -> MessageDeadline:
    """Due dates of a message received on ``received`` (raises ``CalendarMissing`` for a year
    the calendar does not know)."""
    due = calendar.add_workdays(received, limits.reply_days)
    resolution_due = (
        calendar.add_workdays(received, limits.resolution_days) if limits.resolution_days else None
    )
    lines = [
        _("收到日期：%(d)s（当日不计入）") % {"d": format_date(received)},
        _("答复时限：%(n)d个工作日（%(src)s），调休上班日计入，节假日和周末不计")
        % {
            "n": limits.reply_days,
            "src": _("本机关设定") if limits.source == "rule" else _("默认时限"),
        },
        _("答复期限：%(d)s") % {"d": format_date(due)},
    ]
    if resolution_due is not None:
        lines.append(
            _("办结时限：%(n)d个工作日，期限：%(d)s")
            % {"n": limits.resolution_days, "d": format_date(resolution_due)}
        )
    if limits.first_contact_hours:
        lines.append(_("首次联系时限：接件后%(h)d小时内") % {"h": limits.first_contact_hours})
    return MessageDeadline(due, resolution_due, limits, calendar.version, lines)


def is_on_time(replied: date | None, due: date | None) -> bool:
    return replied is not None and due is not None and replied <= due


# 转办 (transfer to another organisation): the clock restarts there. The receiving organisation
# has its full limit counted from the day of the transfer (not counted) — the 12345 practice of
# 派单, where each 承办单位's 时限 runs from its own 接单. The date received stays the message's
# own, so the statistics and the three-month rule still count from the first receipt.
