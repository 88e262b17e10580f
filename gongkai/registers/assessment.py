"""Pure rules of the yearly 政务公开考核/测评 self-assessment (issue 16 item 6).

A checklist of items, each with a maximum score, a weight and a measure. Measured items take
their score from the platform's own figures; manual items are scored by staff with a note.

- 更新频率: publications per month against the expected number (the column's expected
  frequency is not modelled, so one figure per organisation): score = max × min(1, per month /
  expected).
- 解读覆盖率: share of the year's 行政规范性文件 with a published interpretation (三同步).
- 依申请公开按期答复率: cases closed in the year on or before their statutory due date.
- 留言按期答复率: ``replied_on_time / (replied + open_overdue)`` of the year's messages (an
  open message not yet due is not counted against the organisation).
- 网站自查问题整改: the full score less ``target`` points for each open 网站自查 problem.
- 业务培训: the full score when at least ``target`` trainings were held in the year, else 0.

A rate with no base (no normative document, no case, no message due) scores full marks: the
organisation did nothing late. Scores are rounded half up to one decimal.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

TENTH = Decimal("0.1")


class Measure(models.TextChoices):
    MANUAL = "manual", _("人工评分")
    UPDATE_FREQUENCY = "update_frequency", _("更新频率")
    INTERPRETATION_COVERAGE = "interpretation_coverage", _("解读覆盖率")
    FOI_ON_TIME = "foi_on_time", _("依申请公开按期答复率")
    MESSAGE_ON_TIME = "message_on_time", _("留言按期答复率")
    SELF_INSPECTION = "self_inspection", _("网站自查问题整改")
    TRAINING = "training", _("业务培训")


# The default ``target`` of each measure: publications per month, points per open problem,
# trainings per year; the rates take none.
DEFAULT_TARGETS: dict[str, Decimal] = {
    Measure.UPDATE_FREQUENCY: Decimal(4),
    Measure.SELF_INSPECTION: Decimal(1),
    Measure.TRAINING: Decimal(1),
}


@dataclass(frozen=True)
class Figure:
    """What the platform counted for one measured item: ``part`` of ``base`` (a rate), or a
    count in ``part`` alone (``base`` None)."""

    part: int
    base: int | None = None
    months: int | None = None


def round_score(value: Decimal) -> Decimal:
    return value.quantize(TENTH, rounding=ROUND_HALF_UP)


def _rate_score(max_score: Decimal, part: int, base: int | None) -> Decimal:
    if not base:
        return round_score(max_score)
    return round_score(max_score * Decimal(part) / Decimal(base))


def measured_score(measure: str, max_score: Decimal, target: Decimal, figure: Figure) -> Decimal:
    """The score of a measured item from its figure (see the module text for each rule)."""
    if measure == Measure.UPDATE_FREQUENCY:
        months = figure.months or 1
        if target <= 0:
            return round_score(max_score)
        ratio = min(Decimal(1), Decimal(figure.part) / Decimal(months) / target)
        return round_score(max_score * ratio)
    if measure == Measure.SELF_INSPECTION:
        return round_score(max(Decimal(0), max_score - target * figure.part))
    if measure == Measure.TRAINING:
        return round_score(max_score if figure.part >= target else Decimal(0))
    return _rate_score(max_score, figure.part, figure.base)


def figure_text(measure: str, figure: Figure) -> str:
    """The figure as staff read it on the checklist and in the workbook."""
    if measure == Measure.UPDATE_FREQUENCY:
        return str(_("%(n)d条 / %(m)d个月") % {"n": figure.part, "m": figure.months or 1})
    if measure in (Measure.SELF_INSPECTION,):
        return str(_("未销号问题%(n)d个") % {"n": figure.part})
    if measure == Measure.TRAINING:
        return str(_("培训%(n)d次") % {"n": figure.part})
    if not figure.base:
        return str(_("无应计事项"))
    return f"{figure.part}/{figure.base}"


# The default checklist (name, measure, max score, weight): measured items first, then the
# manual ones a 考核 usually adds.
DEFAULT_ITEMS: tuple[tuple[str, str, int], ...] = (
    ("主动公开信息更新频率", Measure.UPDATE_FREQUENCY, 15),
    ("政策解读覆盖率（三同步）", Measure.INTERPRETATION_COVERAGE, 15),
    ("依申请公开按期答复率", Measure.FOI_ON_TIME, 15),
    ("政民互动留言按期答复率", Measure.MESSAGE_ON_TIME, 15),
    ("网站自查问题整改", Measure.SELF_INSPECTION, 10),
    ("政务公开业务培训", Measure.TRAINING, 10),
    ("政务公开工作机制建设", Measure.MANUAL, 10),
    ("政府信息公开工作年度报告", Measure.MANUAL, 10),
)
