"""The statutory deadline rules (条例第三十、三十二、三十三条), hand-worked on the real calendar.

Every expected date below is worked out in the comment next to it by listing the days one by
one ("#n" = the n-th counted working day; the start day is never counted). The calendar comes
from the 国务院办公厅 notices as transcribed by chinesecalendar:

* 2025 国庆/中秋: 10-01..10-08 off; 09-28 (Sun) and 10-11 (Sat) are 调休 working days.
* 2026 元旦: 01-01..01-03 off; 01-04 (Sun) working.  春节: 02-15..02-23 off; 02-14 (Sat) and
  02-28 (Sat) working.  清明: 04-04..04-06 off.
"""

import json
import re
from datetime import date

import pytest
from django.test import Client

from gongkai.foi.deadlines import (
    CalendarMissing,
    DeadlineError,
    DeadlineEvent,
    DeadlineSuspended,
    compute_deadline,
    fee_payment_deadline,
    supplement_notice_deadline,
    third_party_reply_deadline,
    workdays_left,
)
from gongkai.workdays.calendar import WorkCalendar
from gongkai.workdays.source import exceptions_from_package

MISSING_2027 = (
    "缺少2027年的工作日历（节假日及调休安排），无法计算期限，请管理员先录入国务院办公厅公布的安排"
)


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    years = range(2024, 2027)
    return WorkCalendar(years, [e for y in years for e in exceptions_from_package(y)])


def ev(kind, when=None, days=None):
    return DeadlineEvent(type=kind, date=when, days=days)


# --------------------------------------------------------------------------------------------
# 第三十三条: 20 working days, start day not counted
# --------------------------------------------------------------------------------------------


def test_national_day_2025(cal):
    # Received Fri 2025-09-26 (not counted). 09-27 Sat off; 09-28 Sun 调休 #1; 09-29 #2;
    # 09-30 #3; 10-01..10-08 国庆/中秋 off; 10-09 #4; 10-10 #5; 10-11 Sat 调休 #6; 10-12 off;
    # 10-13 #7 (= 补正 deadline); 10-14..17 #8..#11; 10-20..24 #12..#16; 10-27 #17; 10-28 #18;
    # 10-29 #19; 10-30 Thu #20.
    result = compute_deadline(date(2025, 9, 26), [], cal)
    assert result.due == date(2025, 10, 30)
    assert result.supplement_deadline == date(2025, 10, 13)
    assert result.start == date(2025, 9, 26)
    assert result.counted_days == 20
    assert result.explanation == [
        "2025年9月26日（星期五）收到申请（条例第三十一条），收到当日不计入期限。",
        "如需补正，应在收到申请后7个工作日内一次性告知，即不晚于2025年10月13日（星期一）"
        "（条例第三十条）。",
        "2025年9月27日（星期六）：周末，不计入。",
        "2025年9月28日（星期日）：调休上班日（国庆节），计入期限。",
        "2025年10月1日（星期三）至2025年10月8日（星期三）：国庆节、中秋节放假，不计入。",
        "2025年10月11日（星期六）：调休上班日（国庆节），计入期限。",
        "2025年10月12日（星期日）：周末，不计入。",
        "2025年10月18日（星期六）至2025年10月19日（星期日）：周末，不计入。",
        "2025年10月25日（星期六）至2025年10月26日（星期日）：周末，不计入。",
        "自2025年9月26日（星期五）次日起计算20个工作日，第20个工作日为2025年10月30日（星期四），"
        "即答复期限（条例第三十三条）。",
    ]


def test_spring_festival_2026(cal):
    # Received Tue 2026-02-10. 02-11 #1; 02-12 #2; 02-13 #3; 02-14 Sat 调休 #4;
    # 02-15..02-23 春节 off; 02-24 #5; 02-25 #6; 02-26 #7 (补正 deadline); 02-27 #8;
    # 02-28 Sat 调休 #9; 03-01 off; 03-02..06 #10..#14; 03-09..13 #15..#19; 03-16 Mon #20.
    # (Same as chinesecalendar.find_workday(20, date(2026, 2, 10)), rules note §7.2.)
    result = compute_deadline(date(2026, 2, 10), [], cal)
    assert result.due == date(2026, 3, 16)
    assert result.supplement_deadline == date(2026, 2, 26)
    assert "2026年2月14日（星期六）：调休上班日（春节），计入期限。" in result.explanation
    assert "2026年2月15日（星期日）至2026年2月23日（星期一）：春节放假，不计入。" in (
        result.explanation
    )
    assert "2026年2月28日（星期六）：调休上班日（春节），计入期限。" in result.explanation


def test_new_year_2026_with_sunday_working_day(cal):
    # Received Wed 2025-12-24. 12-25 #1; 12-26 #2; 12-27/28 off; 12-29 #3; 12-30 #4; 12-31 #5;
    # 2026-01-01..03 元旦 off; 01-04 Sun 调休 #6; 01-05..09 #7..#11; 01-12..16 #12..#16;
    # 01-19 #17; 01-20 #18; 01-21 #19; 01-22 Thu #20.
    result = compute_deadline(date(2025, 12, 24), [], cal)
    assert result.due == date(2026, 1, 22)
    assert (
        "2026年1月1日（星期四）至2026年1月3日（星期六）：元旦放假，不计入。" in result.explanation
    )
    assert "2026年1月4日（星期日）：调休上班日（元旦），计入期限。" in result.explanation


def test_extension_of_20(cal):
    # From 2026-02-10, #20 is 03-16 (above). Continue: 03-17..20 #21..#24; 03-23..27 #25..#29;
    # 03-30 #30; 03-31 #31; 04-01 #32; 04-02 #33; 04-03 #34; 04-04..06 清明 off;
    # 04-07..10 #35..#38; 04-13 #39; 04-14 Tue #40.
    result = compute_deadline(date(2026, 2, 10), [ev("extended", days=20)], cal)
    assert result.due == date(2026, 4, 14)
    assert result.counted_days == 40
    assert result.extension_days == 20
    assert "2026年4月4日（星期六）至2026年4月6日（星期一）：清明节放假，不计入。" in (
        result.explanation
    )
    assert (
        "经政府信息公开工作机构负责人同意，延长答复期限20个工作日（条例第三十三条第二款）。"
        in result.explanation
    )


def test_two_extensions_summing_to_20(cal):
    result = compute_deadline(
        date(2026, 2, 10), [ev("extended", days=5), ev("extended", days=15)], cal
    )
    assert result.due == date(2026, 4, 14)


@pytest.mark.parametrize(
    ("events", "message"),
    [
        (
            [ev("extended", days=21)],
            "第1个事件（延长答复期限）：延长期限累计21个工作日，超过条例第三十三条规定的"
            "最长20个工作日",
        ),
        (
            [ev("extended", days=10), ev("extended", days=11)],
            "第2个事件（延长答复期限）：延长期限累计21个工作日，超过条例第三十三条规定的"
            "最长20个工作日",
        ),
        ([ev("extended", days=0)], "第1个事件（延长答复期限）：延长的工作日数必须大于0，收到的是0"),
        (
            [ev("extended", days=-3)],
            "第1个事件（延长答复期限）：延长的工作日数必须大于0，收到的是-3",
        ),
        ([ev("extended")], "第1个事件（延长答复期限）缺少延长的工作日数"),
    ],
)
def test_extension_errors(cal, events, message):
    with pytest.raises(DeadlineError, match=re.escape(message)) as info:
        compute_deadline(date(2026, 2, 10), events, cal)
    assert str(info.value) == message


# --------------------------------------------------------------------------------------------
# 第三十条: 补正
# --------------------------------------------------------------------------------------------


def test_supplement_deadline_across_spring_festival_falls_on_working_saturday(cal):
    # Received Thu 2026-02-12. 02-13 #1; 02-14 Sat 调休 #2; 02-15..23 off; 02-24 #3; 02-25 #4;
    # 02-26 #5; 02-27 #6; 02-28 Sat 调休 #7.
    assert supplement_notice_deadline(date(2026, 2, 12), cal) == date(2026, 2, 28)


def test_supplement_restarts_the_clock_in_full(cal):
    # Received 2026-02-12; 补正 notice 02-27 (in time, deadline 02-28); completed application
    # arrives Thu 2026-03-05, which becomes the new start (not counted). 03-06 #1; 03-09..13
    # #2..#6; 03-16..20 #7..#11; 03-23..27 #12..#16; 03-30 #17; 03-31 #18; 04-01 #19;
    # 04-02 Thu #20.
    result = compute_deadline(
        date(2026, 2, 12),
        [
            ev("supplement_requested", date(2026, 2, 27)),
            ev("supplement_received", date(2026, 3, 5)),
        ],
        cal,
    )
    assert result.due == date(2026, 4, 2)
    assert result.start == date(2026, 3, 5)
    assert result.supplement_deadline == date(2026, 2, 28)
    assert "2026年2月27日（星期五）发出补正通知。" in result.explanation
    assert (
        "2026年3月5日（星期四）收到补正后的申请，答复期限自该日起重新计算，该日不计入期限"
        "（条例第三十条）。" in result.explanation
    )
    assert not any("补正通知晚于" in line for line in result.explanation)
    # The 春节 days lie before the new start, so they are not listed as skipped.
    assert not any("春节放假" in line for line in result.explanation)


def test_late_supplement_notice_is_allowed_but_flagged(cal):
    # Deadline for the notice was Sat 2026-02-28 (#7); Mon 03-02 is late. Restart from 03-04
    # (Wed): 03-05 #1; 03-06 #2; 03-09..13 #3..#7; 03-16..20 #8..#12; 03-23..27 #13..#17;
    # 03-30 #18; 03-31 #19; 04-01 Wed #20.
    result = compute_deadline(
        date(2026, 2, 12),
        [ev("supplement_requested", date(2026, 3, 2)), ev("supplement_received", date(2026, 3, 4))],
        cal,
    )
    assert result.due == date(2026, 4, 1)
    assert (
        "补正通知晚于收到申请后第7个工作日（2026年2月28日（星期六））发出，"
        "不符合条例第三十条的期限要求。" in result.explanation
    )


def test_outstanding_supplement_stops_the_clock(cal):
    with pytest.raises(
        DeadlineSuspended,
        match="已于2026-02-27发出补正通知，尚未收到补正后的申请；答复期限自收到补正申请之日起重新计算，暂无法确定答复期限（条例第三十条）",
    ) as info:
        compute_deadline(date(2026, 2, 12), [ev("supplement_requested", date(2026, 2, 27))], cal)
    assert str(info.value) == (
        "已于2026-02-27发出补正通知，尚未收到补正后的申请；答复期限自收到补正申请之日起"
        "重新计算，暂无法确定答复期限（条例第三十条）"
    )


# --------------------------------------------------------------------------------------------
# 第三十二、三十四条 + 第三十三条第三款: consultation pauses
# --------------------------------------------------------------------------------------------


def test_pause_across_national_day_2025(cal):
    # Received Mon 2025-09-15. 09-16..19 #1..#4; 09-20/21 off; 09-22..25 #5..#8; 09-26 Fri #9
    # (the pause starts that day: pause start < d, so the start day still counts). Pause until
    # Mon 10-13: the working days 09-28, 09-29, 09-30, 10-09, 10-10, 10-11, 10-13 inside it are
    # not counted. Then 10-14..17 #10..#13; 10-20..24 #14..#18; 10-27 #19; 10-28 Tue #20.
    # Cross-check: without the pause the due date is 10-17; the pause removes 7 working days,
    # and 7 working days after 10-17 is 10-28.
    events = [ev("pause_started", date(2025, 9, 26)), ev("pause_ended", date(2025, 10, 13))]
    assert compute_deadline(date(2025, 9, 15), [], cal).due == date(2025, 10, 17)
    result = compute_deadline(date(2025, 9, 15), events, cal)
    assert result.due == date(2025, 10, 28)
    assert result.pauses == [(date(2025, 9, 26), date(2025, 10, 13))]
    assert (
        "2025年9月27日（星期六）至2025年10月13日（星期一）：暂停期间（征求第三方意见），不计入。"
        in result.explanation
    )
    assert any(
        "条例第三十二条、第三十四条、第三十三条第三款" in line for line in result.explanation
    )


def test_pause_reason_is_named(cal):
    events = [
        DeadlineEvent("pause_started", date(2025, 9, 26), reason="征求其他行政机关意见"),
        ev("pause_ended", date(2025, 10, 13)),
    ]
    result = compute_deadline(date(2025, 9, 15), events, cal)
    assert (
        "2025年9月27日（星期六）至2025年10月13日（星期一）：暂停期间（征求其他行政机关意见），"
        "不计入。" in result.explanation
    )


def test_zero_length_pause_changes_nothing(cal):
    events = [ev("pause_started", date(2025, 9, 29)), ev("pause_ended", date(2025, 9, 29))]
    assert compute_deadline(date(2025, 9, 26), events, cal).due == date(2025, 10, 30)


def test_two_successive_pauses(cal):
    # Received 2025-09-15, due 10-17 without pauses (above). Pause (09-22, 09-24] removes
    # 09-23, 09-24 (2 days); pause (09-24, 09-26] removes 09-25, 09-26 (2 days): 4 working
    # days after 10-17 → 10-20, 10-21, 10-22, 10-23.
    events = [
        ev("pause_started", date(2025, 9, 22)),
        ev("pause_ended", date(2025, 9, 24)),
        ev("pause_started", date(2025, 9, 24)),
        ev("pause_ended", date(2025, 9, 26)),
    ]
    assert compute_deadline(date(2025, 9, 15), events, cal).due == date(2025, 10, 23)


def test_third_party_reply_deadline(cal):
    # Third party receives the 征求意见书 Fri 2025-09-26: 09-28 #1; 09-29 #2; 09-30 #3;
    # 10-09 #4; 10-10 #5; 10-11 #6; 10-13..17 #7..#11; 10-20..23 #12..#15.
    assert third_party_reply_deadline(date(2025, 9, 26), cal) == date(2025, 10, 23)


def test_fee_payment_deadline(cal):
    # Notice received Thu 2026-02-12; counted from the next day: 02-13 #1; 02-14 #2;
    # 02-24..28 #3..#7; 03-02..06 #8..#12; 03-09..13 #13..#17; 03-16 #18; 03-17 #19; 03-18 #20.
    assert fee_payment_deadline(date(2026, 2, 12), cal) == date(2026, 3, 18)


# --------------------------------------------------------------------------------------------
# Inconsistent events
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("events", "message"),
    [
        (
            [ev("pause_started", date(2025, 10, 13)), ev("pause_ended", date(2025, 10, 9))],
            "第2个事件（结束暂停计算）：暂停结束日期2025-10-09早于暂停开始日期2025-10-13",
        ),
        (
            [ev("pause_ended", date(2025, 10, 9))],
            "第1个事件（结束暂停计算）：此前没有开始暂停，不能结束暂停",
        ),
        (
            [ev("pause_started", date(2025, 10, 9)), ev("pause_started", date(2025, 10, 10))],
            "第2个事件（开始暂停计算）：2025-10-09开始的暂停尚未结束，暂停期间不能重叠",
        ),
        (
            [ev("supplement_received", date(2025, 10, 9))],
            "第1个事件（收到补正后的申请）：此前没有发出补正通知，不能登记收到补正",
        ),
        (
            [
                ev("supplement_requested", date(2025, 9, 29)),
                ev("supplement_requested", date(2025, 9, 30)),
            ],
            "第2个事件（发出补正通知）：2025-09-29发出的补正通知尚未收到补正，不能再次发出补正通知",
        ),
        (
            [
                ev("supplement_requested", date(2025, 10, 9)),
                ev("supplement_received", date(2025, 9, 30)),
            ],
            "第2个事件（收到补正后的申请）：收到补正申请的日期2025-09-30早于发出补正通知的日期"
            "2025-10-09",
        ),
        (
            [ev("supplement_requested", date(2025, 9, 25))],
            "第1个事件（发出补正通知）的日期2025-09-25早于收到申请之日2025-09-26",
        ),
        (
            [
                ev("pause_started", date(2025, 10, 13)),
                ev("pause_ended", date(2025, 10, 20)),
                ev("supplement_requested", date(2025, 10, 9)),
            ],
            "第3个事件（发出补正通知）的日期2025-10-09早于前一个事件的日期2025-10-20，"
            "事件须按日期先后排列",
        ),
        ([ev("pause_started")], "第1个事件（开始暂停计算）缺少日期"),
    ],
)
def test_inconsistent_events(cal, events, message):
    with pytest.raises(DeadlineError, match=re.escape(message)) as info:
        compute_deadline(date(2025, 9, 26), events, cal)
    assert str(info.value) == message


def test_open_pause_cannot_be_computed(cal):
    with pytest.raises(
        DeadlineSuspended, match="暂停尚未结束，无法确定答复期限（2025-10-09开始征求第三方意见）"
    ) as info:
        compute_deadline(date(2025, 9, 26), [ev("pause_started", date(2025, 10, 9))], cal)
    assert str(info.value) == "暂停尚未结束，无法确定答复期限（2025-10-09开始征求第三方意见）"


# --------------------------------------------------------------------------------------------
# Years without calendar data
# --------------------------------------------------------------------------------------------


def test_due_date_in_unknown_year(cal):
    # Received 2026-12-20: the 20th working day lies in January 2027, which has no data.
    with pytest.raises(
        CalendarMissing,
        match="缺少2027年的工作日历（节假日及调休安排），无法计算期限，请管理员先录入国务院办公厅公布的安排",
    ) as info:
        compute_deadline(date(2026, 12, 20), [], cal)
    assert info.value.year == 2027
    assert str(info.value) == MISSING_2027


def test_received_in_unknown_year(cal):
    with pytest.raises(
        CalendarMissing,
        match="缺少2027年的工作日历（节假日及调休安排），无法计算期限，请管理员先录入国务院办公厅公布的安排",
    ) as info:
        compute_deadline(date(2027, 1, 5), [], cal)
    assert str(info.value) == MISSING_2027


# --------------------------------------------------------------------------------------------
# Working days left
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "left"),
    [
        # Working days in (today, 2025-10-30]: from 09-30 these are #4..#20 = 17.
        (date(2025, 9, 30), 17),
        (date(2025, 10, 1), 17),  # a holiday: same as the last working day before it
        (date(2025, 10, 29), 1),
        (date(2025, 10, 30), 0),  # due today
        (date(2025, 10, 31), -1),  # overdue by one working day
        (date(2025, 11, 2), -1),  # Sunday: still one working day overdue
        (date(2025, 11, 3), -2),
    ],
)
def test_workdays_left(cal, today, left):
    result = compute_deadline(date(2025, 9, 26), [], cal)
    assert workdays_left(result, today, cal) == left


# --------------------------------------------------------------------------------------------
# POST /api/v1/foi/deadline (public, no login, no CSRF token), on the migrated database
# --------------------------------------------------------------------------------------------

URL = "/api/v1/foi/deadline"


@pytest.fixture
def anon(db) -> Client:
    # enforce_csrf_checks: an anonymous JSON POST without a token must still be accepted.
    return Client(enforce_csrf_checks=True)


def post(client: Client, body) -> tuple[int, dict]:
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    response = client.post(URL, data=data, content_type="application/json")
    return response.status_code, response.json()


def test_api_ok(anon):
    status, data = post(anon, {"received": "2025-09-26", "events": []})
    assert status == 200
    assert set(data) == {"due", "supplement_deadline", "explanation"}
    assert data["due"] == "2025-10-30"
    assert data["supplement_deadline"] == "2025-10-13"
    assert data["explanation"][0] == (
        "2025年9月26日（星期五）收到申请（条例第三十一条），收到当日不计入期限。"
    )


def test_api_with_all_event_kinds(anon):
    # 补正 restart 2026-03-05 → #20 on 04-02 (see above); a pause (03-09, 03-11] removes
    # 03-10, 03-11; extension 3: 20 + 3 + 2 = 25 working days after 03-05 → 04-02 #20, 04-03
    # #21, (04-04..06 清明), 04-07 #22, 04-08 #23, 04-09 #24, 04-10 Fri #25.
    status, data = post(
        anon,
        {
            "received": "2026-02-12",
            "events": [
                {"type": "supplement_requested", "date": "2026-02-27"},
                {"type": "supplement_received", "date": "2026-03-05"},
                {"type": "pause_started", "date": "2026-03-09"},
                {"type": "pause_ended", "date": "2026-03-11"},
                {"type": "extended", "days": 3},
            ],
        },
    )
    assert status == 200, data
    assert data["due"] == "2026-04-10"
    assert data["supplement_deadline"] == "2026-02-28"


def test_api_no_events_key(anon):
    status, data = post(anon, {"received": "2026-02-10"})
    assert (status, data["due"]) == (200, "2026-03-16")


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"received": "2026-12-20", "events": []}, MISSING_2027),
        ({"received": "2027-03-01"}, MISSING_2027),
        (
            # A pause running to the end of 2026 pushes every counted day into 2027.
            {
                "received": "2026-06-01",
                "events": [
                    {"type": "pause_started", "date": "2026-06-02"},
                    {"type": "pause_ended", "date": "2026-12-31"},
                ],
            },
            MISSING_2027,
        ),
        (
            {"received": "2026-02-10", "events": [{"type": "extended", "days": 21}]},
            "第1个事件（延长答复期限）：延长期限累计21个工作日，超过条例第三十三条规定的"
            "最长20个工作日",
        ),
        (
            {
                "received": "2025-09-26",
                "events": [
                    {"type": "pause_started", "date": "2025-10-13"},
                    {"type": "pause_ended", "date": "2025-10-09"},
                ],
            },
            "第2个事件（结束暂停计算）：暂停结束日期2025-10-09早于暂停开始日期2025-10-13",
        ),
        (
            {"received": "2025-09-26", "events": [{"type": "pause_started", "date": "2025-10-13"}]},
            "暂停尚未结束，无法确定答复期限（2025-10-13开始征求第三方意见）",
        ),
        (
            {"received": "2025/09/26"},
            "收到申请之日（received）应为YYYY-MM-DD格式的日期，收到的是“2025/09/26”",
        ),
        ({"received": "2025-02-30"}, "收到申请之日（received）“2025-02-30”不是有效的日期"),
        (
            {"received": 20250926},
            "收到申请之日（received）应为YYYY-MM-DD格式的日期，收到的是20250926",
        ),
        ({"events": []}, "缺少收到申请之日（received）"),
        (
            {"received": "2025-09-26", "events": [{"type": "closed", "date": "2025-10-01"}]},
            "第1个事件的类型“closed”无法识别，应为supplement_requested、supplement_received、"
            "pause_started、pause_ended、extended之一",
        ),
        (
            {"received": "2025-09-26", "events": [{"date": "2025-10-01"}]},
            "第1个事件缺少类型（type）",
        ),
        (
            {"received": "2025-09-26", "events": [{"type": "pause_started"}]},
            "第1个事件（pause_started）缺少日期（date）",
        ),
        (
            {"received": "2025-09-26", "events": [{"type": "extended"}]},
            "第1个事件（延长答复期限）缺少延长的工作日数（days）",
        ),
        (
            {"received": "2025-09-26", "events": [{"type": "extended", "days": "5"}]},
            "第1个事件的延长工作日数（days）应为整数，收到的是“5”",
        ),
        (
            {"received": "2025-09-26", "events": [{"type": "pause_ended", "date": "2025-10-9"}]},
            "第1个事件的日期应为YYYY-MM-DD格式的日期，收到的是“2025-10-9”",
        ),
        (
            {
                "received": "2025-09-26",
                "events": [{"type": "pause_started", "date": "2025-10-09", "days": 3}],
            },
            "第1个事件（pause_started）含有无法识别的字段：days",
        ),
        ({"received": "2025-09-26", "events": {"type": "extended"}}, "events应为事件数组"),
        ({"received": "2025-09-26", "note": "x"}, "请求体含有无法识别的字段：note"),
        ("[1, 2]", "请求体应为JSON对象"),
        ("{not json", "请求体不是有效的JSON"),
        ("", "请求体不是有效的JSON"),
    ],
)
def test_api_422(anon, body, detail):
    status, data = post(anon, body)
    assert status == 422
    assert data == {"detail": detail}


def test_api_is_in_openapi_schema(anon):
    schema = anon.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/foi/deadline"]["post"]
    assert "security" not in operation
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body["required"] == ["received"]
