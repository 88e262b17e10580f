"""A freshly migrated database already holds the official calendar (issue 4)."""

from datetime import date

import pytest

from gongkai.workdays.models import CalendarDay, CalendarYear
from gongkai.workdays.selectors import load_calendar


@pytest.mark.django_db
def test_fresh_database_holds_2004_to_2026():
    assert list(CalendarYear.objects.order_by("year").values_list("year", flat=True)) == list(
        range(2004, 2027)
    )
    # 2026 notice (国务院办公厅, 2025-11-04): 调休 working days 1/4, 2/14, 2/28, 5/9, 9/20, 10/10.
    assert list(
        CalendarDay.objects.filter(date__year=2026, kind="workday")
        .order_by("date")
        .values_list("date", "name")
    ) == [
        (date(2026, 1, 4), "元旦"),
        (date(2026, 2, 14), "春节"),
        (date(2026, 2, 28), "春节"),
        (date(2026, 5, 9), "劳动节"),
        (date(2026, 9, 20), "国庆节"),
        (date(2026, 10, 10), "国庆节"),
    ]
    cal = load_calendar()
    assert cal.is_workday(date(2026, 2, 14)) is True
    assert cal.is_workday(date(2026, 2, 16)) is False
