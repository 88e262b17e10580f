"""信息处理费 tariffs — pure functions (no ORM).

Source: 《政府信息公开信息处理费管理办法》(国办函〔2020〕109号, 2020-11-17) = 办法; rules note §2.

* 第二条: the fee regulates application behaviour; it is charged only when the quantity or
  frequency of applications exceeds a set level (条例第四十二条).
* 第三条: 按件计收 **or** 按量计收, both by excess-progressive (超额累进) calculation. Each
  application is charged by **one** method only, never both — callers choose the method per
  application (``FeeMethod``) and call the matching function.
* 第四条 按件计收: counted per applicant over one calendar month (一个自然月内累计). Up to 10
  applications free; the part from the 11th to the 30th at 100元/件; from the 31st, every
  further 10 applications form a band whose rate is 100元/件 higher (31–40: 200, 41–50: 300, …).
* 第五条 按量计收: counted per application by page. Up to 30 pages free; pages 31–100 at
  10元/页; 101–200 at 20元/页; from 201 at 40元/页. [unverified] The rest of 第五条 (paper larger
  than A4, non-paper media) was not retrieved; pages are counted as A4 pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext as _

__all__ = [
    "FeeBreakdown",
    "FeeMethod",
    "count_rate",
    "fee_breakdown_by_count",
    "fee_breakdown_by_pages",
    "fee_by_count",
    "fee_by_pages",
]

FREE_APPLICATIONS_PER_MONTH = 10  # 办法第四条
FREE_PAGES = 30  # 办法第五条
# 办法第五条: (first page, last page or None, 元/页)
PAGE_BANDS: tuple[tuple[int, int | None, int], ...] = (
    (1, 30, 0),
    (31, 100, 10),
    (101, 200, 20),
    (201, None, 40),
)


class FeeMethod(StrEnum):
    BY_COUNT = "by_count"  # 按件计收
    BY_PAGES = "by_pages"  # 按量计收


@dataclass
class FeeBreakdown:
    """A computed fee with one Chinese line per band, for the 收费通知 and the case page."""

    method: FeeMethod
    amount: Decimal
    lines: list[str] = field(default_factory=list)


def count_rate(n: int) -> int:
    """元 charged for the ``n``-th application of an applicant in a calendar month (第四条)."""
    if n < 1:
        raise ValueError(_("申请序号必须从1开始"))
    if n <= FREE_APPLICATIONS_PER_MONTH:
        return 0
    if n <= 30:
        return 100
    # 31–40 → band 1 (200), 41–50 → band 2 (300), …
    return 100 + 100 * ((n - 31) // 10 + 1)


def _check_non_negative(value: int, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(_("%(w)s必须是不小于0的整数，收到的是“%(v)s”") % {"w": what, "v": value})


def fee_breakdown_by_count(applications_this_month: int, new_count: int = 1) -> FeeBreakdown:
    """按件计收 for ``new_count`` applications numbered after the applicant's
    ``applications_this_month`` earlier applications in the same calendar month (第四条)."""
    _check_non_negative(applications_this_month, _("本月已提出的申请件数"))
    _check_non_negative(new_count, _("本次计费的申请件数"))
    first = applications_this_month + 1
    last = applications_this_month + new_count
    lines: list[str] = []
    total = 0
    # Group consecutive application numbers with the same rate into one line.
    n = first
    while n <= last:
        rate = count_rate(n)
        end = n
        while end + 1 <= last and count_rate(end + 1) == rate:
            end += 1
        pieces = end - n + 1
        span = _("第%(a)d件") % {"a": n} if n == end else _("第%(a)d至%(b)d件") % {"a": n, "b": end}
        if rate == 0:
            lines.append(_("%(s)s：同一申请人一个自然月内累计10件以内，免费。") % {"s": span})
        else:
            lines.append(
                _("%(s)s：%(k)d件×%(r)d元/件=%(t)d元。")
                % {"s": span, "k": pieces, "r": rate, "t": pieces * rate}
            )
        total += pieces * rate
        n = end + 1
    lines.append(
        _("按件计收（《政府信息公开信息处理费管理办法》第四条，超额累进），合计%(t)d元。")
        % {"t": total}
    )
    return FeeBreakdown(FeeMethod.BY_COUNT, Decimal(total), lines)


def fee_by_count(applications_this_month: int, new_count: int = 1) -> Decimal:
    """按件计收 amount (元) — see ``fee_breakdown_by_count``.

    ``fee_by_count(0, 31) == 2200``: 10 free, 20×100, 1×200. ``fee_by_count(10)`` is the fee
    for the applicant's 11th application of the month: 100.
    """
    return fee_breakdown_by_count(applications_this_month, new_count).amount


def fee_breakdown_by_pages(pages: int) -> FeeBreakdown:
    """按量计收 for one application of ``pages`` pages (第五条)."""
    _check_non_negative(pages, _("页数"))
    lines: list[str] = []
    total = 0
    for first, last, rate in PAGE_BANDS:
        if pages < first:
            break
        upto = pages if last is None else min(pages, last)
        count = upto - first + 1
        span = (
            _("第%(a)d至%(b)d页") % {"a": first, "b": upto}
            if upto > first
            else _("第%(a)d页") % {"a": first}
        )
        if rate == 0:
            lines.append(_("%(s)s：30页以内，免费。") % {"s": span})
        else:
            lines.append(
                _("%(s)s：%(k)d页×%(r)d元/页=%(t)d元。")
                % {"s": span, "k": count, "r": rate, "t": count * rate}
            )
        total += count * rate
    lines.append(
        _("按量计收（《政府信息公开信息处理费管理办法》第五条，超额累进），合计%(t)d元。")
        % {"t": total}
    )
    return FeeBreakdown(FeeMethod.BY_PAGES, Decimal(total), lines)


def fee_by_pages(pages: int) -> Decimal:
    """按量计收 amount (元) for one application of ``pages`` pages (第五条)."""
    return fee_breakdown_by_pages(pages).amount
