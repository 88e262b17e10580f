"""The statutory rules of public participation, with hand-worked dates (rules note §6.2–6.3)."""

import datetime
import zoneinfo

import pytest

from gongkai.participation import rules

D = datetime.date
UTC = datetime.UTC
SH = zoneinfo.ZoneInfo("Asia/Shanghai")


def test_minimum_period_is_30_days_for_major_decisions_and_market_entity_documents():
    assert rules.min_days(rules.MAJOR_DECISION) == 30
    assert rules.min_days(rules.MARKET_ENTITY) == 30
    # configurable per kind; an unknown kind falls back to 其他
    assert rules.min_days(rules.NORMATIVE, {rules.NORMATIVE: 10}) == 10
    assert rules.min_days("nonsense") == 30


def test_thirty_days_counted_without_the_opening_day():
    # opens 1 Dec: 2 Dec … 31 Dec are the 30 days (民法典第二百零一条)
    assert rules.period_days(D(2026, 12, 1), D(2026, 12, 31)) == 30
    ok = rules.period_problem(
        kind=rules.MAJOR_DECISION,
        opens_on=D(2026, 12, 1),
        closes_on=D(2026, 12, 31),
        shortened_reason="",
        minimum=30,
    )
    assert ok == ""


def test_a_shorter_period_is_refused_without_a_reason_and_accepted_with_one():
    short = {
        "kind": rules.MARKET_ENTITY,
        "opens_on": D(2026, 12, 1),
        "closes_on": D(2026, 12, 30),
        "minimum": 30,
    }
    problem = rules.period_problem(shortened_reason="  ", **short)
    assert "一般不少于30日（本次为29日）" in problem
    assert "与市场主体生产经营活动密切相关的文件" in problem
    assert rules.period_problem(shortened_reason="应对突发情况，须尽快出台", **short) == ""


def test_closing_before_opening_is_refused_even_with_a_reason():
    assert (
        rules.period_problem(
            kind=rules.OTHER,
            opens_on=D(2026, 12, 1),
            closes_on=D(2026, 12, 1),
            shortened_reason="紧急",
            minimum=30,
        )
        == "截止日期必须晚于开始日期"
    )


def test_window_is_judged_in_china_time_not_utc():
    opens, closes = D(2026, 12, 1), D(2026, 12, 31)
    # 2026-12-31 16:30 UTC is 1 January 00:30 in Shanghai: closed
    assert (
        rules.window_state(datetime.datetime(2026, 12, 31, 16, 30, tzinfo=UTC), opens, closes)
        == rules.CLOSED
    )
    # 2026-12-31 15:59 UTC is 23:59 on the closing day in Shanghai: still open
    assert (
        rules.window_state(datetime.datetime(2026, 12, 31, 15, 59, tzinfo=UTC), opens, closes)
        == rules.OPEN
    )
    # 2026-11-30 16:00 UTC is 00:00 on 1 December in Shanghai: open
    assert (
        rules.window_state(datetime.datetime(2026, 11, 30, 16, 0, tzinfo=UTC), opens, closes)
        == rules.OPEN
    )
    assert (
        rules.window_state(datetime.datetime(2026, 11, 30, 15, 59, tzinfo=UTC), opens, closes)
        == rules.NOT_OPEN
    )
    early = datetime.datetime(2026, 12, 20, 9, 0, tzinfo=SH)
    assert (
        rules.window_state(datetime.datetime(2026, 12, 20, 9, 1, tzinfo=SH), opens, closes, early)
        == rules.CLOSED
    )
    naive = datetime.datetime(2026, 12, 2, tzinfo=SH).replace(tzinfo=None)
    with pytest.raises(ValueError, match="aware"):
        rules.window_state(naive, opens, closes)


def test_days_left_counts_today():
    closes = D(2026, 12, 31)
    assert rules.days_left(datetime.datetime(2026, 12, 31, 10, tzinfo=SH), closes) == 1
    assert rules.days_left(datetime.datetime(2026, 12, 29, 23, tzinfo=SH), closes) == 3
    # 29 Dec 17:00 UTC is already 30 Dec in Shanghai
    assert rules.days_left(datetime.datetime(2026, 12, 29, 17, tzinfo=UTC), closes) == 2
    assert rules.days_left(datetime.datetime(2027, 1, 3, 10, tzinfo=SH), closes) == 0


def test_extension_rules():
    today = D(2026, 12, 20)
    assert (
        rules.extension_problem(
            current=D(2026, 12, 31), new=D(2027, 1, 10), reason="征求企业意见不足", today=today
        )
        == ""
    )
    assert "必须晚于原截止日期" in rules.extension_problem(
        current=D(2026, 12, 31), new=D(2026, 12, 31), reason="x", today=today
    )
    assert (
        rules.extension_problem(current=D(2026, 12, 31), new=D(2027, 1, 10), reason="", today=today)
        == "请填写延期理由"
    )
    assert "已经截止" in rules.extension_problem(
        current=D(2026, 12, 31), new=D(2027, 1, 10), reason="x", today=D(2027, 1, 1)
    )


def test_dispositions_not_adopted_needs_a_reason():
    assert (
        rules.disposition_problem(rules.NOT_ADOPTED, "") == "不予采纳或部分采纳的意见必须说明理由"
    )
    assert rules.disposition_problem(rules.PARTLY, " ") != ""
    assert rules.disposition_problem(rules.ADOPTED, "") == ""
    assert rules.disposition_problem(rules.ALREADY, "") == ""
    assert rules.disposition_problem("maybe", "x") == "请选择处理意见"


def test_feedback_counts_sum_the_groups():
    groups = [
        rules.GroupFacts("降低门槛", rules.ADOPTED, "", 3),
        rules.GroupFacts("延长期限", rules.ADOPTED, "", 2),
        rules.GroupFacts("取消审批", rules.NOT_ADOPTED, "上位法规定", 4),
        rules.GroupFacts("扩大范围", rules.PARTLY, "部分纳入", 1),
    ]
    assert rules.feedback_counts(groups) == {
        "adopted": 5,
        "partly": 1,
        "not_adopted": 4,
        "already": 0,
        "other": 0,
        "total": 10,
    }
    assert rules.non_adoption_reasons(groups) == [
        {"title": "取消审批", "disposition": "not_adopted", "reason": "上位法规定"},
        {"title": "扩大范围", "disposition": "partly", "reason": "部分纳入"},
    ]


def test_hearing_notice_timing_article_16():
    good = {
        "held_on": D(2026, 12, 15),
        "notice_published_on": D(2026, 12, 1),
        "materials_sent_on": D(2026, 12, 8),  # exactly 7 days before
        "selection_method": "自愿报名、随机抽取",
        "participant_list": "张某、李某",
    }
    assert rules.hearing_problems(**good) == []
    late = {**good, "materials_sent_on": D(2026, 12, 9)}  # 6 days before
    assert rules.hearing_problems(**late) == ["听证材料须于召开听证会7日前送达听证参加人"]
    same_day = {**good, "notice_published_on": D(2026, 12, 15)}
    assert rules.hearing_problems(**same_day) == [
        "听证会的时间、地点和听证材料须在听证会召开前公布"
    ]
    no_list = {**good, "participant_list": ""}
    assert rules.hearing_problems(**no_list) == ["听证参加人的遴选办法和名单须事先公布"]


def test_directory_stages_complete_in_order():
    states = {"participation": "done", "expert": "skipped", "risk": "pending"}
    assert rules.stage_order_problem("risk", states) == ""
    assert (
        rules.stage_order_problem("legality", states)
        == "须先完成“风险评估”环节，才能完成“合法性审查”环节"
    )
    assert rules.stage_order_problem("participation", {}) == ""
    assert rules.ordered(["evaluation", "participation", "legality"]) == [
        "participation",
        "legality",
        "evaluation",
    ]


def test_legality_review_needs_seven_working_days():
    assert rules.legality_review_problem(7) == ""
    assert (
        rules.legality_review_problem(6) == "合法性审查时间一般不少于7个工作日（本次为6个工作日）"
    )
