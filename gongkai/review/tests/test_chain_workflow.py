"""The pure state machine: every legal and illegal transition, and the version diff."""
# ruff: noqa: E501  (one transition per line reads best as a table)

import re

import pytest

from gongkai.core.status import ContentStatus
from gongkai.review import workflow as wf
from gongkai.review.workflow import Actor, Position, WorkflowError, transition

AUTHOR = Actor(is_author=True)
L1 = Actor(review_levels=frozenset({1}))
L2 = Actor(review_levels=frozenset({2}))
L3 = Actor(review_levels=frozenset({3}))
ALL = Actor(review_levels=frozenset({1, 2, 3}))
AUTHOR_ALL = Actor(is_author=True, review_levels=frozenset({1, 2, 3}))


@pytest.mark.parametrize(
    ("start", "action", "actor", "kwargs", "end"),
    [
        (Position("draft"), "submit", AUTHOR, {}, Position("in_review", 1)),
        (Position("returned"), "submit", AUTHOR, {}, Position("in_review", 1)),
        (Position("withdrawn"), "submit", AUTHOR, {}, Position("in_review", 1)),
        (Position("draft"), "submit", AUTHOR, {"blocking": True, "comment": "误报"}, Position("in_review", 1)),
        (Position("in_review", 1), "approve", L1, {}, Position("in_review", 2)),
        (Position("in_review", 2), "approve", L2, {}, Position("in_review", 3)),
        (Position("in_review", 3), "approve", L3, {}, Position("published", 3)),
        (Position("in_review", 3), "approve", L3, {"scheduled": True}, Position("approved", 3)),
        (Position("in_review", 1), "approve", L1, {"blocking": True, "override_requested": True}, Position("in_review", 2)),
        (Position("in_review", 3), "override", L3, {"blocking": True, "comment": "已核实"}, Position("published", 3)),
        (Position("in_review", 3), "override", L3, {"comment": "已核实", "scheduled": True}, Position("approved", 3)),
        (Position("in_review", 2), "return", L2, {"comment": "请补充"}, Position("returned", 0)),
        (Position("approved", 3), "publish", Actor(), {}, Position("published", 3)),
        (Position("published", 3), "withdraw", Actor(), {"comment": "已过时"}, Position("withdrawn", 0)),
    ],
)  # fmt: skip
def test_legal_transitions(start, action, actor, kwargs, end):
    assert transition(start, action, levels=3, actor=actor, **kwargs) == end


def test_one_level_chain_goes_straight_to_published():
    assert transition(Position("in_review", 1), "approve", levels=1, actor=L1) == Position(
        "published", 1
    )


@pytest.mark.parametrize(
    ("start", "action", "actor", "kwargs", "message"),
    [
        (Position("in_review", 1), "submit", AUTHOR, {}, "只有草稿、已退回或已撤回的内容可以提交审核（当前状态：审核中）"),
        (Position("published"), "submit", AUTHOR, {}, "只有草稿、已退回或已撤回的内容可以提交审核（当前状态：已发布）"),
        (Position("approved", 3), "submit", AUTHOR, {}, "只有草稿、已退回或已撤回的内容可以提交审核（当前状态：已通过）"),
        (Position("draft"), "submit", AUTHOR, {"blocking": True}, "自动检查发现阻止发布的问题，请先修改；如确属误报，请填写申请强制通过的理由，由终审人员决定"),
        (Position("draft"), "approve", L1, {}, "该内容当前不在审核中，不能审核"),
        (Position("returned"), "return", L1, {"comment": "x"}, "该内容当前不在审核中，不能审核"),
        (Position("in_review", 1), "approve", AUTHOR_ALL, {}, "不能审核自己起草或提交的内容"),
        (Position("in_review", 3), "override", AUTHOR_ALL, {"comment": "x"}, "不能审核自己起草或提交的内容"),
        (Position("in_review", 2), "return", AUTHOR_ALL, {"comment": "x"}, "不能审核自己起草或提交的内容"),
        (Position("in_review", 1), "approve", L2, {}, "您不是本机构第1级（初审）审核人，不能在此级审核"),
        (Position("in_review", 2), "approve", L1, {}, "您不是本机构第2级（复审）审核人，不能在此级审核"),
        (Position("in_review", 3), "approve", L2, {}, "您不是本机构第3级（终审）审核人，不能在此级审核"),
        (Position("in_review", 1), "approve", Actor(), {}, "您不是本机构第1级（初审）审核人，不能在此级审核"),
        (Position("in_review", 1), "approve", L1, {"blocking": True}, "存在阻止发布的检查问题，请退回修改"),
        (Position("in_review", 3), "approve", L3, {"blocking": True, "override_requested": True}, "存在阻止发布的检查问题，终审只能退回，或填写理由后强制通过"),
        (Position("in_review", 2), "override", ALL, {"comment": "x"}, "只有终审人员可以强制通过"),
        (Position("in_review", 3), "override", L3, {"comment": "  "}, "强制通过必须填写理由"),
        (Position("in_review", 1), "return", L1, {}, "退回时必须填写退回意见"),
        (Position("in_review", 3), "publish", L3, {}, "只有审核通过的内容可以发布"),
        (Position("draft"), "publish", Actor(), {}, "只有审核通过的内容可以发布"),
        (Position("approved", 3), "withdraw", Actor(), {"comment": "x"}, "只有已发布的内容可以撤回"),
        (Position("published", 3), "withdraw", Actor(), {}, "撤回必须填写理由"),
        (Position("draft"), "delete", Actor(), {}, "未知的审核操作：delete"),
    ],
)  # fmt: skip
def test_illegal_transitions(start, action, actor, kwargs, message):
    with pytest.raises(WorkflowError, match=re.escape(message)) as exc:
        transition(start, action, levels=3, actor=actor, **kwargs)
    assert str(exc.value) == message


@pytest.mark.parametrize("levels", [0, 4, -1])
def test_levels_out_of_range(levels):
    with pytest.raises(WorkflowError, match="审核级数必须是 1 到 3 之间的整数"):
        transition(Position("draft"), "submit", levels=levels, actor=AUTHOR)


def test_every_state_and_action_pair_is_decided():
    """No pair falls through silently: each either moves or raises a Chinese error."""
    refusals = {}
    for state in ContentStatus.values:
        for action in wf.ACTIONS:
            try:
                result = transition(
                    Position(state, 1 if state == "in_review" else 0),
                    action,
                    levels=3,
                    actor=L1,
                    comment="说明",
                )
            except WorkflowError as error:
                refusals[(state, action)] = str(error)
            else:
                assert result.state in ContentStatus.values
    assert refusals
    assert all(refusals.values()), refusals


def test_level_labels():
    assert [wf.level_label(n, 3) for n in (1, 2, 3)] == ["初审", "复审", "终审"]
    assert [wf.level_label(n, 2) for n in (1, 2)] == ["初审", "终审"]
    assert wf.position_label(Position("in_review", 2), 3) == "审核中（第2级·复审）"
    assert wf.position_label(Position("returned"), 3) == "已退回"


def test_diff_text_html_marks_insertions_and_deletions_and_escapes():
    assert wf.diff_text_html("关于<印发>通知", "关于印发的通知") == (
        "关于<del>&lt;</del>印发<del>&gt;</del><ins>的</ins>通知"
    )
    assert wf.diff_text_html("", "新") == "<ins>新</ins>"
    assert wf.diff_text_html("旧", "") == "<del>旧</del>"


def test_diff_snapshots_keeps_field_order_and_flags_changes():
    old = {"title": "甲", "keywords": ["a", "b"], "written_date": None}
    new = {"title": "乙", "keywords": ["a", "b"], "written_date": "2026-01-05"}
    fields = [("title", "信息名称"), ("keywords", "关键词"), ("written_date", "成文日期")]
    out = wf.diff_snapshots(old, new, fields)
    assert [(d.name, d.label, d.changed, d.html) for d in out] == [
        ("title", "信息名称", True, "<del>甲</del><ins>乙</ins>"),
        ("keywords", "关键词", False, "a、b"),
        ("written_date", "成文日期", True, "<ins>2026-01-05</ins>"),
    ]
