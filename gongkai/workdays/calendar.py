"""Pure working-day arithmetic on the official calendar (no ORM).

A *working day* (工作日) is Monday–Friday, except the days the State Council's yearly notice
(国务院办公厅关于××年部分节假日安排的通知) makes holidays, plus the weekend days it makes
working days (调休上班日). 《全国年节及纪念日放假办法》(2024) fixes the holidays; the notice
fixes the exact ranges, so the calendar is data, not code: ``WorkCalendar`` is built from the
table the administrator maintains (``workdays.models``) and refuses to answer for a year that is
not in it — guessing Mon–Fri for an unknown year would silently give wrong statutory deadlines.

Counting convention used everywhere (issue 4; the usual rule of Chinese procedural law): the
start day itself is not counted, so ``add_workdays(start, 1)`` is the first working day *after*
``start``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from django.utils.translation import gettext as _

from gongkai.core.text import chinese_date

HOLIDAY = "holiday"
WORKDAY = "workday"
DayKind = Literal["holiday", "workday"]


class CalendarMissing(LookupError):
    """The calendar has no data for ``year``: deadlines there cannot be computed."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            _(
                "缺少%(year)d年的工作日历（节假日及调休安排），无法计算期限，"
                "请管理员先录入国务院办公厅公布的安排"
            )
            % {"year": year}
        )


@dataclass(frozen=True)
class CalendarException:
    """A day that departs from the Mon–Fri rule: a holiday or a 调休 working day."""

    date: date
    kind: str  # HOLIDAY or WORKDAY
    name: str = ""


@dataclass(frozen=True)
class DayInfo:
    """Why a day is or is not a working day, for explanations shown to users."""

    date: date
    is_workday: bool
    # "weekday" | "weekend" | "holiday" | "adjusted_workday"
    reason: str
    name: str = ""

    @property
    def label(self) -> str:
        """Short Chinese reason, e.g. 周末 / 国庆节 / 调休上班日."""
        if self.reason == "weekend":
            return _("周末")
        if self.reason == "holiday":
            return self.name or _("法定节假日")
        if self.reason == "adjusted_workday":
            return _("调休上班日")
        return _("工作日")


Pause = tuple[date, date]


def format_date(d: date) -> str:
    """Chinese long date with weekday, e.g. 2025年10月9日（星期四）."""
    return chinese_date(d, weekday=True)


def in_pause(d: date, pauses: Sequence[Pause]) -> bool:
    """True if ``d`` lies in a pause: pause start < d ≤ pause end (issue 4 semantics)."""
    return any(start < d <= end for start, end in pauses)


class WorkCalendar:
    """The official working-day calendar for a set of known years.

    ``years`` are the years for which the administrator has entered the yearly arrangement;
    ``exceptions`` are the days in those years that depart from Mon–Fri. ``version`` identifies
    the data the calendar was built from (recorded with computed deadlines, rules note §7.3).
    """

    def __init__(
        self,
        years: Iterable[int],
        exceptions: Iterable[CalendarException] = (),
        *,
        version: str = "",
    ) -> None:
        self.years: frozenset[int] = frozenset(years)
        self.version = version
        self._exceptions: dict[date, CalendarException] = {}
        for exc in exceptions:
            if exc.date.year in self.years:
                self._exceptions[exc.date] = exc

    def __repr__(self) -> str:
        span = f"{min(self.years)}–{max(self.years)}" if self.years else "empty"
        return f"<WorkCalendar {span} {len(self._exceptions)} exceptions>"

    def knows(self, year: int) -> bool:
        return year in self.years

    def require_year(self, year: int) -> None:
        if year not in self.years:
            raise CalendarMissing(year)

    def exceptions(self) -> list[CalendarException]:
        return sorted(self._exceptions.values(), key=lambda e: e.date)

    def day_info(self, d: date) -> DayInfo:
        """Classify ``d``; raises ``CalendarMissing`` for a year with no data."""
        self.require_year(d.year)
        exc = self._exceptions.get(d)
        if exc is not None:
            if exc.kind == WORKDAY:
                return DayInfo(d, True, "adjusted_workday", exc.name)
            return DayInfo(d, False, "holiday", exc.name)
        if d.weekday() >= 5:
            return DayInfo(d, False, "weekend")
        return DayInfo(d, True, "weekday")

    def is_workday(self, d: date) -> bool:
        """True if ``d`` is an official working day; raises ``CalendarMissing`` if unknown."""
        return self.day_info(d).is_workday

    def add_workdays(self, start: date, n: int, pauses: Sequence[Pause] = ()) -> date:
        """The day on which the ``n``-th counted working day after ``start`` falls.

        ``start`` itself is never counted; a working day inside a pause
        (pause start < d ≤ pause end) is not counted. ``n == 0`` returns ``start``.
        """
        if n < 0:
            raise ValueError(_("工作日数不能为负数"))
        if n == 0:
            return start
        self.require_year(start.year)
        counted = 0
        d = start
        # Terminates: once d passes the last known year, is_workday raises CalendarMissing.
        while True:
            d += timedelta(days=1)
            if self.is_workday(d) and not in_pause(d, pauses):
                counted += 1
                if counted == n:
                    return d

    def workdays_between(self, a: date, b: date) -> int:
        """Working days d with a < d ≤ b; negative (−count over b < d ≤ a) when b < a.

        So ``workdays_between(today, due)`` is the number of working days left (0 on the due
        day itself, negative once overdue).
        """
        if b < a:
            return -self.workdays_between(b, a)
        count = 0
        d = a
        while d < b:
            d += timedelta(days=1)
            if self.is_workday(d):
                count += 1
        return count


# How far ahead a deadline computed today can reach: 20 working days (条例第三十三条第二款)
# plus a 20-working-day extension, with the longest holiday runs between — about 60 calendar
# days; 70 leaves a margin. Beyond a year's end the calendar must already hold the next year.
DEADLINE_HORIZON_DAYS = 70


def year_missing_ahead(
    today: date, known: Iterable[int], horizon_days: int = DEADLINE_HORIZON_DAYS
) -> int | None:
    """The first year a deadline counted from ``today`` may reach that the calendar lacks.

    The State Council publishes next year's 节假日安排 in the autumn; until an administrator
    enters it, a case received in December cannot get its deadline (``CalendarMissing``), so
    the workbench warns before that day comes."""
    have = set(known)
    last = (today + timedelta(days=horizon_days)).year
    return next((y for y in range(today.year, last + 1) if y not in have), None)
