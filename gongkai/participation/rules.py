"""Statutory rules of public participation (意见征集, 重大行政决策): pure functions, no ORM.

Sources (rules note §6.2–6.3):

- 《重大行政决策程序暂行条例》(国务院令第713号) 第十四条 (the public is heard; methods),
  第十五条 (publish the draft and its 说明; the period is normally not less than 30 days; a
  shorter period for urgency needs its reason stated when the consultation opens), 第十六条
  (hearings: materials, time and place, participant-selection method and list published in
  advance; materials sent 7 days before), 第十八条 / 第二十九条 / 第三十二条 (the 采纳情况 of
  public comments is studied, reported and published), 第二十六条 (legality review normally
  ≥ 7 working days).
- 《优化营商环境条例》第六十二条: documents closely related to market entities are put out
  for comment normally ≥ 30 days, with an 意见采纳情况反馈机制.

Counting: the day a period starts is not counted (《民法典》第二百零一条, the convention of
``workdays.calendar`` too), so a consultation opening on 1 December with a 30-day period may
close on 31 December at the earliest; it accepts comments through the whole closing day, China
time (Asia/Shanghai), whatever the server's clock zone.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")

# ---------------------------------------------------------------- kinds and minimum periods
MAJOR_DECISION = "major_decision"
MARKET_ENTITY = "market_entity"
NORMATIVE = "normative"
OTHER = "other"

KIND_LABELS = {
    MAJOR_DECISION: gettext_lazy("重大行政决策"),
    MARKET_ENTITY: gettext_lazy("与市场主体生产经营活动密切相关的文件"),
    NORMATIVE: gettext_lazy("行政规范性文件"),
    OTHER: gettext_lazy("其他"),
}

# Minimum comment period in days per kind. 重大行政决策: 条例第十五条 (一般不少于30日);
# 涉企: 《优化营商环境条例》第六十二条 (一般不少于30日). 行政规范性文件 and other drafts: 30
# days by default as the rules note advises (the 7-working-day rule of 国办发〔2018〕37号 is
# unverified). Operators change them with ``settings.GONGKAI_CONSULTATION_MIN_DAYS``.
DEFAULT_MIN_DAYS: dict[str, int] = {
    MAJOR_DECISION: 30,
    MARKET_ENTITY: 30,
    NORMATIVE: 30,
    OTHER: 30,
}


def min_days(kind: str, overrides: Mapping[str, int] | None = None) -> int:
    """The configured minimum period of ``kind`` (settings override the statutory defaults)."""
    table = {**DEFAULT_MIN_DAYS, **(overrides or {})}
    return int(table.get(kind, table[OTHER]))


def period_days(opens_on: datetime.date, closes_on: datetime.date) -> int:
    """Length of the comment period: the opening day is not counted (民法典第二百零一条)."""
    return (closes_on - opens_on).days


def period_problem(
    *,
    kind: str,
    opens_on: datetime.date | None,
    closes_on: datetime.date | None,
    shortened_reason: str,
    minimum: int,
) -> str:
    """Why the period is not allowed ("" if it is).

    条例第十五条 / 优化营商环境条例第六十二条: not less than ``minimum`` days unless a reason for
    the shorter period is stated (and published with the consultation).
    """
    if opens_on is None or closes_on is None:
        return _("请填写征求意见的起止日期")
    days = period_days(opens_on, closes_on)
    if days < 1:
        return _("截止日期必须晚于开始日期")
    if days < minimum and not (shortened_reason or "").strip():
        return _(
            "%(kind)s征求意见期限一般不少于%(min)d日（本次为%(days)d日）；"
            "缩短期限的，须说明理由并随征求意见一并公布（《重大行政决策程序暂行条例》第十五条）"
        ) % {"kind": KIND_LABELS.get(kind, KIND_LABELS[OTHER]), "min": minimum, "days": days}
    return ""


# ---------------------------------------------------------------- the comment window
NOT_OPEN = "not_open"
OPEN = "open"
CLOSED = "closed"


def china_date(now: datetime.datetime) -> datetime.date:
    """The calendar date in China of an aware instant."""
    if now.tzinfo is None:
        raise ValueError("an aware datetime is required")
    return now.astimezone(CHINA).date()


def window_state(
    now: datetime.datetime,
    opens_on: datetime.date,
    closes_on: datetime.date,
    closed_at: datetime.datetime | None = None,
) -> str:
    """Whether comments are accepted at ``now``: from 00:00 of the opening day through 24:00 of
    the closing day, China time (or until an early close, ``closed_at``)."""
    today = china_date(now)
    if closed_at is not None and now >= closed_at:
        return CLOSED
    if today < opens_on:
        return NOT_OPEN
    if today > closes_on:
        return CLOSED
    return OPEN


def days_left(now: datetime.datetime, closes_on: datetime.date) -> int:
    """Days on which comments can still be made, today included (1 on the closing day)."""
    return max(0, (closes_on - china_date(now)).days + 1)


def extension_problem(
    *, current: datetime.date, new: datetime.date, reason: str, today: datetime.date
) -> str:
    """An extension moves the closing day later, with a reason, while comments may still come."""
    if new <= current:
        return _("延期后的截止日期必须晚于原截止日期（%(d)s）") % {"d": current.isoformat()}
    if today > current:
        return _("征求意见已经截止，不能延期；如需再次征求意见，请新建征集")
    if not (reason or "").strip():
        return _("请填写延期理由")
    return ""


# ---------------------------------------------------------------- dispositions and feedback
ADOPTED = "adopted"
PARTLY = "partly"
NOT_ADOPTED = "not_adopted"
ALREADY = "already"
OTHER_DISPOSITION = "other"
DISPOSITIONS = (ADOPTED, PARTLY, NOT_ADOPTED, ALREADY, OTHER_DISPOSITION)
# 不予采纳 and 部分采纳 must say why (条例第十八条、第三十二条: 说明采纳情况).
REASON_REQUIRED = frozenset({NOT_ADOPTED, PARTLY})


def disposition_problem(disposition: str, reason: str) -> str:
    if disposition not in DISPOSITIONS:
        return _("请选择处理意见")
    if disposition in REASON_REQUIRED and not (reason or "").strip():
        return _("不予采纳或部分采纳的意见必须说明理由")
    return ""


@dataclass(frozen=True)
class GroupFacts:
    """One group of similar opinions as the feedback sees it."""

    title: str
    disposition: str
    reason: str
    opinions: int


def feedback_counts(groups: Iterable[GroupFacts]) -> dict[str, int]:
    """Opinions per disposition, every disposition present (0 when none), plus the total."""
    counts = dict.fromkeys(DISPOSITIONS, 0)
    for group in groups:
        counts[group.disposition] += group.opinions
    counts["total"] = sum(counts[d] for d in DISPOSITIONS)
    return counts


def non_adoption_reasons(groups: Iterable[GroupFacts]) -> list[dict[str, str]]:
    """The groups not (fully) adopted with their reasons, as the feedback publishes them."""
    return [
        {"title": g.title, "disposition": g.disposition, "reason": g.reason}
        for g in groups
        if g.disposition in REASON_REQUIRED
    ]


# ---------------------------------------------------------------- hearings (条例第十六条)
HEARING_MATERIALS_DAYS = 7


def hearing_problems(
    *,
    held_on: datetime.date,
    notice_published_on: datetime.date | None,
    materials_sent_on: datetime.date | None,
    selection_method: str,
    participant_list: str,
) -> list[str]:
    """条例第十六条: the hearing's materials, time and place, the participant-selection method
    and the participant list are published before the hearing; the materials reach the
    participants at least 7 days before it."""
    problems: list[str] = []
    if notice_published_on is None or notice_published_on >= held_on:
        problems.append(_("听证会的时间、地点和听证材料须在听证会召开前公布"))
    if not (selection_method or "").strip() or not (participant_list or "").strip():
        problems.append(_("听证参加人的遴选办法和名单须事先公布"))
    if materials_sent_on is None or (held_on - materials_sent_on).days < HEARING_MATERIALS_DAYS:
        problems.append(
            _("听证材料须于召开听证会%(n)d日前送达听证参加人") % {"n": HEARING_MATERIALS_DAYS}
        )
    return problems


# ---------------------------------------------------------------- 重大行政决策 stages
STAGES: tuple[str, ...] = (
    "participation",  # 公众参与 (第十四条)
    "expert",  # 专家论证 (第十九条)
    "risk",  # 风险评估 (第二十二条)
    "legality",  # 合法性审查 (第二十五条、第二十六条)
    "collective",  # 集体讨论决定 (第三十条)
    "announcement",  # 决策公布 (第三十二条)
    "interpretation",  # 解读
    "evaluation",  # 执行评估 (第三十五条)
)
STAGE_LABELS = {
    "participation": gettext_lazy("公众参与"),
    "expert": gettext_lazy("专家论证"),
    "risk": gettext_lazy("风险评估"),
    "legality": gettext_lazy("合法性审查"),
    "collective": gettext_lazy("集体讨论决定"),
    "announcement": gettext_lazy("决策公布"),
    "interpretation": gettext_lazy("解读"),
    "evaluation": gettext_lazy("执行评估"),
}
LEGALITY_MIN_WORKDAYS = 7

STAGE_PENDING = "pending"
STAGE_DONE = "done"
STAGE_SKIPPED = "skipped"


def stage_order_problem(stage: str, states: Mapping[str, str]) -> str:
    """A stage is completed only after every earlier stage is completed or recorded as not
    applicable (条例 第三章 orders the procedure: 公众参与 … 集体讨论决定, then 公布)."""
    index = STAGES.index(stage)
    for earlier in STAGES[:index]:
        if states.get(earlier, STAGE_PENDING) == STAGE_PENDING:
            return _("须先完成“%(earlier)s”环节，才能完成“%(stage)s”环节") % {
                "earlier": STAGE_LABELS[earlier],
                "stage": STAGE_LABELS[stage],
            }
    return ""


def legality_review_problem(workdays: int) -> str:
    """条例第二十六条: the legality review normally gets at least 7 working days."""
    if workdays < LEGALITY_MIN_WORKDAYS:
        return _("合法性审查时间一般不少于%(n)d个工作日（本次为%(d)d个工作日）") % {
            "n": LEGALITY_MIN_WORKDAYS,
            "d": workdays,
        }
    return ""


def ordered(stages: Sequence[str]) -> list[str]:
    return sorted(stages, key=STAGES.index)
