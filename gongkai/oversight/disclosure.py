"""Pure rules of 条例第十八条 (periodic review of withheld information) and 第二十条 (the kinds
of information every agency must disclose proactively, checked per column by 网站自查).

Plain facts and a ``today`` in, dates and findings out; the ORM side lives in
``oversight.services`` (writes), ``oversight.selectors`` (queues) and
``oversight.inspection`` (the run).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# --------------------------------------------------------------------------------------------
# 第十八条: 对本行政机关不予公开的政府信息进行定期评估审查
# --------------------------------------------------------------------------------------------

# The 条例 says "定期" without a period; once a year is the common local practice (and what the
# annual report cycle of 第四十九条 suggests). [unverified] — deployments may change it with
# ``GONGKAI_DISCLOSURE_REVIEW_MONTHS``.
DEFAULT_REVIEW_MONTHS = 12
# Items whose review falls due within this many days are already shown in the queue.
DUE_SOON_DAYS = 30

STATE_OVERDUE = "overdue"
STATE_DUE = "due"
STATE_SOON = "soon"
STATE_CURRENT = "current"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Same day ``months`` later, clamped to the month's end (29 Feb + 12 → 28 Feb)."""
    import calendar

    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def review_due_date(
    *, marked_on: datetime.date, last_reviewed: datetime.date | None, months: int
) -> datetime.date:
    """条例第十八条: a non-public item is reviewed again ``months`` after its last review, or
    after it was recorded as 依申请公开/不予公开 if it was never reviewed."""
    return add_months(last_reviewed or marked_on, months)


def review_state(due: datetime.date, today: datetime.date) -> str:
    """逾期 after the due date, 到期 on it, 即将到期 within ``DUE_SOON_DAYS``, else 未到期."""
    if today > due:
        return STATE_OVERDUE
    if today == due:
        return STATE_DUE
    if (due - today).days <= DUE_SOON_DAYS:
        return STATE_SOON
    return STATE_CURRENT


def review_state_labels() -> dict[str, str]:
    return {
        STATE_OVERDUE: _("已逾期"),
        STATE_DUE: _("今日到期"),
        STATE_SOON: _("即将到期"),
        STATE_CURRENT: _("未到期"),
    }


# --------------------------------------------------------------------------------------------
# 第二十条: the kinds of information to be disclosed proactively
# --------------------------------------------------------------------------------------------

# 《中华人民共和国政府信息公开条例》(2019) 第二十条, items (一)–(十五), verbatim (rules note §1.7).
ARTICLE_20_CATEGORIES: tuple[tuple[int, str, Any], ...] = (
    (1, "（一）", gettext_lazy("行政法规、规章和规范性文件")),
    (2, "（二）", gettext_lazy("机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名")),
    (3, "（三）", gettext_lazy("国民经济和社会发展规划、专项规划、区域规划及相关政策")),
    (4, "（四）", gettext_lazy("国民经济和社会发展统计信息")),
    (5, "（五）", gettext_lazy("办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果")),
    (
        6,
        "（六）",
        gettext_lazy(
            "实施行政处罚、行政强制的依据、条件、程序以及本行政机关认为具有一定社会影响的行政处罚决定"
        ),
    ),
    (7, "（七）", gettext_lazy("财政预算、决算信息")),
    (8, "（八）", gettext_lazy("行政事业性收费项目及其依据、标准")),
    (9, "（九）", gettext_lazy("政府集中采购项目的目录、标准及实施情况")),
    (10, "（十）", gettext_lazy("重大建设项目的批准和实施情况")),
    (
        11,
        "（十一）",
        gettext_lazy("扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况"),
    ),
    (12, "（十二）", gettext_lazy("突发公共事件的应急预案、预警信息及应对情况")),
    (
        13,
        "（十三）",
        gettext_lazy("环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况"),
    ),
    (14, "（十四）", gettext_lazy("公务员招考的职位、名额、报考条件等事项以及录用结果")),
    (15, "（十五）", gettext_lazy("法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息")),
)
# Item (十五) is the open catch-all: no column can carry "everything else", so the
# self-inspection does not require one (it is still listed and may be mapped).
CHECKED_CATEGORIES = frozenset(range(1, 15))

# The default mapping onto the columns the catalogue migration creates (by slug). Only the
# 政策文件 column carries a kind of 第二十条 by its nature; every other kind needs a column the
# 政务公开管理员 creates and maps on the 第二十条 settings page.
DEFAULT_CATEGORY_COLUMNS: dict[int, tuple[str, ...]] = {1: ("zcwj",)}


def category_label(number: int) -> str:
    for n, item, text in ARTICLE_20_CATEGORIES:
        if n == number:
            return f"第二十条第{item}项 {text}"
    raise KeyError(number)


@dataclass(frozen=True)
class CategoryColumnFacts:
    """One mapped column as seen from one organisation: its published proactive items of that
    organisation and the newest 发布日期 among them."""

    id: int
    name: str
    kind: str
    update_period_days: int | None
    item_count: int
    last_published: datetime.date | None


@dataclass(frozen=True)
class OrganisationCategoryFacts:
    organisation_id: int
    organisation_name: str
    category: int
    columns: Sequence[CategoryColumnFacts]


@dataclass(frozen=True)
class CategoryFinding:
    rule: str
    message: str
    organisation_id: int
    organisation_name: str
    category: int


RULE_NO_COLUMN = "article20_no_column"
RULE_NOT_PUBLISHED = "article20_not_published"


def category_findings(
    facts: Iterable[OrganisationCategoryFacts],
    today: datetime.date,
    period_for: dict[str, int],
) -> list[CategoryFinding]:
    """第二十条 per organisation and kind: a column must carry it, and that column must hold a
    published item of the organisation — updated within the column's period when it has one
    (国办秘函〔2019〕19号: 动态要闻 2 weeks, 通知公告/政策文件 6 months, or the column's own).

    ``period_for`` maps a column kind to its national default period in days."""
    out = []
    for f in facts:
        if f.category not in CHECKED_CATEGORIES:
            continue
        label = category_label(f.category)
        if not f.columns:
            out.append(
                CategoryFinding(
                    RULE_NO_COLUMN,
                    _("%(org)s没有承载“%(label)s”的栏目")
                    % {"org": f.organisation_name, "label": label},
                    f.organisation_id,
                    f.organisation_name,
                    f.category,
                )
            )
            continue
        names = "、".join(f"“{c.name}”" for c in f.columns)
        published = [c for c in f.columns if c.item_count and c.last_published]
        if not published:
            out.append(
                CategoryFinding(
                    RULE_NOT_PUBLISHED,
                    _("%(org)s在栏目%(columns)s中没有已发布的“%(label)s”信息")
                    % {"org": f.organisation_name, "columns": names, "label": label},
                    f.organisation_id,
                    f.organisation_name,
                    f.category,
                )
            )
            continue

        def fresh(c: CategoryColumnFacts) -> bool:
            period = c.update_period_days or period_for.get(c.kind)
            assert c.last_published is not None
            return period is None or (today - c.last_published).days <= period

        if any(fresh(c) for c in published):
            continue
        last = max(c.last_published for c in published if c.last_published)
        out.append(
            CategoryFinding(
                RULE_NOT_PUBLISHED,
                _("%(org)s的“%(label)s”最近一次发布为 %(last)s，栏目%(columns)s均已超过更新周期")
                % {"org": f.organisation_name, "label": label, "last": last, "columns": names},
                f.organisation_id,
                f.organisation_name,
                f.category,
            )
        )
    return out
