"""Reply deadlines pinned with hand-worked dates on the official 2025–2026 calendar."""

from datetime import date

import pytest

from gongkai.interaction import deadlines
from gongkai.workdays.selectors import load_calendar

pytestmark = pytest.mark.django_db


def due(received: date, channel: str) -> date:
    result = deadlines.compute_message_deadline(
        received, deadlines.default_limits(channel), load_calendar()
    )
    return result.due


def test_defaults_per_channel():
    assert deadlines.default_limits("hotline_12345") == deadlines.Limits(3, None, None)
    assert deadlines.default_limits("jsjb") == deadlines.Limits(1, 15, 2)
    for channel in ("website", "wechat", "weibo", "app", "letter", "other"):
        assert deadlines.default_limits(channel).reply_days == 5


def test_hotline_before_national_day_counts_the_adjusted_sunday():
    # Fri 2025-09-26 (not counted); Sun 9/28 调休上班 = 1, Mon 9/29 = 2, Tue 9/30 = 3.
    assert due(date(2025, 9, 26), "hotline_12345") == date(2025, 9, 30)


def test_website_received_on_saturday_spans_national_day_and_mid_autumn():
    # Sat 2025-09-27 (weekend, not counted): 9/28 调休 = 1, 9/29 = 2, 9/30 = 3,
    # 10/1–10/8 国庆中秋 holiday, Thu 10/9 = 4, Fri 10/10 = 5.
    assert due(date(2025, 9, 27), "website") == date(2025, 10, 10)


def test_received_on_a_holiday_and_adjusted_saturday_after_it():
    # Wed 2025-10-08 (holiday): Thu 10/9 = 1, Fri 10/10 = 2, Sat 10/11 调休上班 = 3.
    assert due(date(2025, 10, 8), "hotline_12345") == date(2025, 10, 11)


def test_jsjb_first_reply_and_resolution_over_national_day():
    result = deadlines.compute_message_deadline(
        date(2025, 9, 30), deadlines.default_limits("jsjb"), load_calendar()
    )
    # First reply: 10/1–10/8 holiday → Thu 10/9. Resolution (15): 10/9 = 1, 10/10 = 2,
    # Sat 10/11 = 3, 10/13–17 = 4–8, 10/20–24 = 9–13, 10/27 = 14, 10/28 = 15.
    assert result.due == date(2025, 10, 9)
    assert result.resolution_due == date(2025, 10, 28)
    assert any("2小时" in line for line in result.explanation)


def test_spring_festival_2026_with_its_adjusted_saturdays():
    # Fri 2026-02-13: Sat 2/14 调休 = 1, 2/15–2/23 春节, 2/24 = 2, 2/25 = 3, 2/26 = 4, 2/27 = 5.
    assert due(date(2026, 2, 13), "website") == date(2026, 2, 27)
    # jsjb on the same Friday: the 调休 Saturday 2/14 is the first working day.
    assert due(date(2026, 2, 13), "jsjb") == date(2026, 2, 14)
    # Thu 2026-02-26: Fri 2/27 = 1, Sat 2/28 调休 = 2, Mon 3/2 = 3.
    assert due(date(2026, 2, 26), "hotline_12345") == date(2026, 3, 2)


def test_three_months_clipped_to_the_end_of_april():
    assert deadlines.three_months_after(date(2026, 1, 31)) == date(2026, 4, 30)
    assert deadlines.three_months_after(date(2025, 11, 30)) == date(2026, 2, 28)
    assert deadlines.three_months_after(date(2025, 10, 15)) == date(2026, 1, 15)
    received = date(2026, 1, 31)
    assert not deadlines.unanswered_over_three_months(received, date(2026, 4, 30), date(2026, 6, 1))
    assert deadlines.unanswered_over_three_months(received, date(2026, 5, 1), date(2026, 6, 1))
    assert not deadlines.unanswered_over_three_months(received, None, date(2026, 4, 30))
    assert deadlines.unanswered_over_three_months(received, None, date(2026, 5, 1))
    # A reply after ``as_of`` is no reply by then.
    assert (
        deadlines.unanswered_over_three_months(received, date(2026, 4, 1), date(2026, 3, 1))
        is False
    )
    assert deadlines.unanswered_over_three_months(received, date(2026, 6, 1), date(2026, 5, 2))
