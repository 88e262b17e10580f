"""Read the yearly holiday arrangement from the ``chinesecalendar`` package (pure, no ORM).

The package transcribes each 国务院办公厅 notice (rules note §7.2); it seeds the calendar table,
which the administrator then owns. Only the exceptions to Mon–Fri are kept: holiday days (also
those falling on a weekend, so that explanations can name the holiday) and 调休 working days.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
from django.utils.translation import gettext as _

from .calendar import HOLIDAY, WORKDAY, CalendarException

# chinesecalendar's names are partly abbreviated (清明, 端午, 中秋); use the names the
# 国务院办公厅 notices and 《全国年节及纪念日放假办法》 use.
HOLIDAY_NAMES = {
    "new_years_day": "元旦",
    "spring_festival": "春节",
    "tomb_sweeping_day": "清明节",
    "labour_day": "劳动节",
    "dragon_boat_festival": "端午节",
    "national_day": "国庆节",
    "mid_autumn_festival": "中秋节",
    "anti_fascist_70th_day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def _package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"chinesecalendar {version('chinesecalendar')}"
    except PackageNotFoundError:  # installed without metadata (vendored copy)
        return "chinesecalendar"


PACKAGE_VERSION = _package_version()


class YearNotInPackage(LookupError):
    def __init__(self, year: int, first: int, last: int) -> None:
        self.year = year
        super().__init__(
            _(
                "chinesecalendar 软件包没有%(year)d年的节假日安排（仅有%(first)d至%(last)d年），"
                "请在管理后台按国务院办公厅的通知手工录入"
            )
            % {"year": year, "first": first, "last": last}
        )


def package_years() -> tuple[int, int]:
    """First and last year the installed package knows."""
    years = {d.year for d in chinese_calendar.holidays} | {
        d.year for d in chinese_calendar.workdays
    }
    return min(years), max(years)


def _holiday_name(english: str | None) -> str:
    if english is None:
        return ""
    for member in chinese_calendar.Holiday:
        if member.value == english:
            return HOLIDAY_NAMES.get(member.name, getattr(member, "chinese", english))
    return english


def exceptions_from_package(year: int) -> list[CalendarException]:
    """The holidays and 调休 working days of ``year`` as the package records them."""
    first, last = package_years()
    if not first <= year <= last:
        raise YearNotInPackage(year, first, last)
    result: list[CalendarException] = []
    d = date(year, 1, 1)
    while d.year == year:
        is_holiday, english = chinese_calendar.get_holiday_detail(d)
        weekend = d.weekday() >= 5
        name = _holiday_name(english)
        if is_holiday and name:
            result.append(CalendarException(d, HOLIDAY, name))
        elif is_holiday and not weekend:
            # A weekday off without a name should not happen; keep it as a holiday anyway.
            result.append(CalendarException(d, HOLIDAY, ""))
        elif not is_holiday and weekend:
            result.append(CalendarException(d, WORKDAY, name))
        d += timedelta(days=1)
    return result
