"""Pure working-day arithmetic on the real 2025–2026 calendar."""

from datetime import date

import pytest

from gongkai.workdays.calendar import (
    CalendarException,
    CalendarMissing,
    WorkCalendar,
    format_date,
    year_missing_ahead,
)
from gongkai.workdays.source import YearNotInPackage, exceptions_from_package, package_years


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar([2025, 2026], exceptions_from_package(2025) + exceptions_from_package(2026))


@pytest.mark.parametrize(
    ("day", "workday", "label"),
    [
        (date(2025, 9, 26), True, "工作日"),  # Friday
        (date(2025, 9, 27), False, "周末"),  # Saturday
        (date(2025, 9, 28), True, "调休上班日"),  # Sunday made a working day (国庆)
        (date(2025, 10, 1), False, "国庆节"),
        (date(2025, 10, 4), False, "国庆节"),  # Saturday inside the holiday: named
        (date(2025, 10, 6), False, "中秋节"),
        (date(2025, 10, 11), True, "调休上班日"),
        (date(2026, 1, 4), True, "调休上班日"),
        (date(2026, 2, 14), True, "调休上班日"),
        (date(2026, 2, 16), False, "春节"),
        (date(2026, 2, 28), True, "调休上班日"),
        (date(2026, 5, 9), True, "调休上班日"),
        (date(2026, 9, 20), True, "调休上班日"),
        (date(2026, 10, 10), True, "调休上班日"),
        (date(2026, 10, 7), False, "国庆节"),
        (date(2026, 10, 8), True, "工作日"),
    ],
)
def test_is_workday(cal, day, workday, label):
    assert cal.is_workday(day) is workday
    assert cal.day_info(day).label == label


def test_unknown_year_is_refused_with_chinese_message(cal):
    with pytest.raises(
        CalendarMissing,
        match="缺少2027年的工作日历（节假日及调休安排），无法计算期限，请管理员先录入国务院办公厅公布的安排",
    ) as info:
        cal.is_workday(date(2027, 1, 4))
    assert info.value.year == 2027
    assert str(info.value) == (
        "缺少2027年的工作日历（节假日及调休安排），无法计算期限，"
        "请管理员先录入国务院办公厅公布的安排"
    )
    with pytest.raises(
        CalendarMissing,
        match="缺少2024年的工作日历（节假日及调休安排），无法计算期限，请管理员先录入国务院办公厅公布的安排",
    ):
        cal.is_workday(date(2024, 12, 31))


def test_add_workdays(cal):
    # 2025-09-26 + 1 → 09-28 (Sunday 调休), + 4 → 10-09 (after 国庆/中秋).
    assert cal.add_workdays(date(2025, 9, 26), 0) == date(2025, 9, 26)
    assert cal.add_workdays(date(2025, 9, 26), 1) == date(2025, 9, 28)
    assert cal.add_workdays(date(2025, 9, 26), 4) == date(2025, 10, 9)
    # Starting on a holiday: the first working day after it.
    assert cal.add_workdays(date(2025, 10, 3), 1) == date(2025, 10, 9)
    # A pause (09-28, 10-10] skips 09-29, 09-30, 10-09, 10-10 → #2 is 10-11 (Saturday 调休).
    assert cal.add_workdays(date(2025, 9, 26), 2, [(date(2025, 9, 28), date(2025, 10, 10))]) == (
        date(2025, 10, 11)
    )
    with pytest.raises(ValueError, match=r"^工作日数不能为负数$"):
        cal.add_workdays(date(2025, 9, 26), -1)


def test_add_workdays_runs_into_missing_year(cal):
    with pytest.raises(
        CalendarMissing,
        match="缺少2027年的工作日历（节假日及调休安排），无法计算期限，请管理员先录入国务院办公厅公布的安排",
    ) as info:
        cal.add_workdays(date(2026, 12, 28), 5)
    assert info.value.year == 2027


def test_workdays_between(cal):
    # (09-26, 10-13]: 09-28, 09-29, 09-30, 10-09, 10-10, 10-11, 10-13 = 7.
    assert cal.workdays_between(date(2025, 9, 26), date(2025, 10, 13)) == 7
    assert cal.workdays_between(date(2025, 10, 13), date(2025, 9, 26)) == -7
    assert cal.workdays_between(date(2025, 10, 13), date(2025, 10, 13)) == 0
    # The whole 春节 2026 week: (02-13, 02-24] = 02-14 (Saturday 调休), 02-24 = 2.
    assert cal.workdays_between(date(2026, 2, 13), date(2026, 2, 24)) == 2


def test_year_working_day_totals(cal):
    # 2025 starts on a Wednesday: 52 weeks + 1 weekday = 261 Mon–Fri days. Holidays falling on
    # weekdays: 元旦 01-01 (1); 春节 01-28..02-04 → 01-28..31, 02-03, 02-04 (6); 清明 04-04 (1);
    # 劳动节 05-01, 05-02, 05-05 (3); 端午 06-02 (1); 国庆/中秋 10-01..03, 10-06..08 (6) = 18.
    # 调休 working weekend days: 01-26, 02-08, 04-27, 09-28, 10-11 = 5. 261 − 18 + 5 = 248.
    assert cal.workdays_between(date(2024, 12, 31), date(2025, 12, 31)) == 248
    # 2026 starts on a Thursday: 261 Mon–Fri days. Weekday holidays: 元旦 01-01, 01-02 (2);
    # 春节 02-16..20, 02-23 (6); 清明 04-06 (1); 劳动节 05-01, 05-04, 05-05 (3); 端午 06-19 (1);
    # 中秋 09-25 (1); 国庆 10-01, 10-02, 10-05..07 (5) = 19. 调休: 01-04, 02-14, 02-28, 05-09,
    # 09-20, 10-10 = 6. 261 − 19 + 6 = 248.
    assert cal.workdays_between(date(2025, 12, 31), date(2026, 12, 31)) == 248


def test_exceptions_outside_known_years_are_ignored():
    cal = WorkCalendar([2026], [CalendarException(date(2027, 1, 1), "holiday", "元旦")])
    assert cal.exceptions() == []


def test_format_date():
    assert format_date(date(2026, 2, 14)) == "2026年2月14日（星期六）"


def test_package_years_and_unknown_year():
    assert package_years() == (2004, 2026)
    with pytest.raises(
        YearNotInPackage,
        match=(
            "chinesecalendar 软件包没有2027年的节假日安排（"
            "仅有2004至2026年），请在管理后台按国务院办公厅的通知手工录入"
        ),
    ) as info:
        exceptions_from_package(2027)
    assert str(info.value) == (
        "chinesecalendar 软件包没有2027年的节假日安排（仅有2004至2026年），"
        "请在管理后台按国务院办公厅的通知手工录入"
    )


@pytest.mark.parametrize(
    ("today", "known", "missing"),
    [
        # 70 days after 22 October is 31 December: nothing reaches 2027 yet.
        (date(2026, 10, 22), range(2004, 2027), None),
        (date(2026, 10, 23), range(2004, 2027), 2027),
        (date(2026, 11, 29), range(2004, 2028), None),
        # The current year itself missing is reported first.
        (date(2027, 3, 1), range(2004, 2027), 2027),
        (date(2026, 12, 31), [2026, 2028], 2027),
    ],
)
def test_year_missing_ahead(today, known, missing):
    assert year_missing_ahead(today, known) == missing
