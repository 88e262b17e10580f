"""Reads that compute the annual report from live records (one GROUP BY per table)."""

import re
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce

from gongkai.accounts.models import Organisation, Role
from gongkai.accounts.selectors import is_staff_user, organisation_tree, user_has_role
from gongkai.catalogue.models import InformationItem, PolicyKind
from gongkai.catalogue.selectors import public_items
from gongkai.foi import selectors as foi_selectors

from .annual import (
    APPLICANT_COLUMNS,
    OUTCOME_CODES,
    ROW_LABELS,
    SCOPE_ALL,
    SCOPE_LABELS,
    SCOPE_OWN,
    Table,
    scope_members,
    table_from_counts,
)
from .models import AnnualReport

# The catalogue column the reports are published in (政府信息公开年报).
ANNUAL_REPORT_COLUMN = "gknb"


def scope_organisation_ids(organisation: Organisation, scope: str) -> set[int]:
    """The organisations a report of ``organisation`` counts in its 统计范围 (one query)."""
    if scope == SCOPE_OWN:
        return {organisation.pk}
    tree = {
        pk: (parent, kind)
        for pk, parent, kind in Organisation.objects.values_list("id", "parent_id", "kind")
    }
    return scope_members(tree, organisation.pk, scope)


# Who works on an organisation's report before publication (the staff report page's roles):
# they see its draft — live figures and unreviewed text — everyone else only the published one.
REPORT_DRAFT_ROLES: tuple[str, ...] = (Role.ADMIN, Role.FOI_HANDLER)


def can_view_report_draft(user: Any, organisation: Organisation) -> bool:
    """Staff holding a report role in the organisation (or above it, with 含下级机构)."""
    return is_staff_user(user) and user_has_role(user, organisation, *REPORT_DRAFT_ROLES)


def report_organisation_ids(organisation: Organisation, include_subordinates: bool) -> set[int]:
    """Everything under the organisation (含下级) or the organisation alone."""
    return scope_organisation_ids(organisation, SCOPE_ALL if include_subordinates else SCOPE_OWN)


def proactive_table(org_ids: set[int], year: int) -> dict[str, dict[str, int]]:
    """Table 二, first block: 规章 and 行政规范性文件 — 本年制发, 本年废止, 现行有效.

    "制发" is dated by 成文日期 (falling back to 发布日期); "废止" counts 失效 and 废止 dated in
    the year; "现行有效" counts what was issued by the year's end and not yet repealed then.
    """
    start, end = date(year, 1, 1), date(year, 12, 31)
    gone = [InformationItem.Validity.REPEALED, InformationItem.Validity.EXPIRED]
    rows = (
        InformationItem.objects.filter(
            organisation_id__in=org_ids,
            status=InformationItem.Status.PUBLISHED,
            policy_kind__in=[PolicyKind.RULE, PolicyKind.NORMATIVE],
        )
        .annotate(issued_on=Coalesce("written_date", "published_date"))
        .values("policy_kind")
        .annotate(
            issued=Count("id", filter=Q(issued_on__gte=start, issued_on__lte=end)),
            repealed=Count(
                "id",
                filter=Q(validity__in=gone, validity_date__gte=start, validity_date__lte=end),
            ),
            in_force=Count(
                "id",
                filter=Q(issued_on__lte=end)
                & (
                    ~Q(validity__in=gone) | Q(validity_date__gt=end) | Q(validity_date__isnull=True)
                ),
            ),
        )
    )
    table = {key: {"issued": 0, "repealed": 0, "in_force": 0} for key in ("rules", "normative")}
    for row in rows:
        key = "rules" if row["policy_kind"] == PolicyKind.RULE else "normative"
        table[key] = {k: row[k] for k in ("issued", "repealed", "in_force")}
    return table


def case_queryset(org_ids: set[int]) -> QuerySet:
    return foi_selectors.cases_of(org_ids)


def drilldown_cases(org_ids: set[int], year: int, row: str, column: str) -> QuerySet:
    """The cases behind one cell of table 三, oldest first: the same definitions as
    ``applications_table_for`` (received in the year, carried in and out across its ends,
    closed in it with an outcome). ``column`` is an applicant type or ``total``; ``row`` a key
    of ``annual.ROW_LABELS``."""
    if row not in ROW_LABELS or column not in (*APPLICANT_COLUMNS, "total"):
        raise ValueError(f"no such cell of table 三: {row}/{column}")
    start, end = date(year, 1, 1), date(year, 12, 31)
    cases = case_queryset(org_ids)
    if column != "total":
        cases = cases.filter(applicant_type=column)
    if row == "new":
        cases = cases.filter(received_date__gte=start, received_date__lte=end)
    elif row == "carried_in":
        cases = cases.filter(received_date__lt=start).filter(
            Q(closed_date__isnull=True) | Q(closed_date__gte=start)
        )
    elif row == "carried_out":
        cases = cases.filter(received_date__lte=end).filter(
            Q(closed_date__isnull=True) | Q(closed_date__gt=end)
        )
    else:
        outcomes = OUTCOME_CODES if row == "total" else (row,)
        cases = cases.filter(closed_date__gte=start, closed_date__lte=end, outcome__in=outcomes)
    return cases.select_related("organisation").order_by("received_date", "id")


def applications_table_for(org_ids: set[int], year: int) -> Table:
    """Table 三 by the issue's definitions, in one aggregated query.

    Every case the table counts is "alive" in the year: received by its end and not closed
    before its start. One pass over that set (served by foi_case_report_idx) gives 一, 二,
    (一)…(六) and 四 through conditional counts grouped by applicant type and outcome.
    """
    start, end = date(year, 1, 1), date(year, 12, 31)
    open_or_later = Q(closed_date__isnull=True) | Q(closed_date__gt=end)
    rows = (
        case_queryset(org_ids)
        .filter(received_date__lte=end)
        .filter(Q(closed_date__isnull=True) | Q(closed_date__gte=start))
        .values("applicant_type", "outcome")
        .annotate(
            new=Count("id", filter=Q(received_date__gte=start)),
            carried_in=Count("id", filter=Q(received_date__lt=start)),
            closed=Count("id", filter=Q(closed_date__lte=end)),
            carried_out=Count("id", filter=open_or_later),
        )
        .order_by()
    )
    new: dict[str, int] = {}
    carried_in: dict[str, int] = {}
    carried_out: dict[str, int] = {}
    closed: dict[tuple[str, str], int] = {}
    for row in rows:
        kind = row["applicant_type"]
        new[kind] = new.get(kind, 0) + row["new"]
        carried_in[kind] = carried_in.get(kind, 0) + row["carried_in"]
        carried_out[kind] = carried_out.get(kind, 0) + row["carried_out"]
        if row["outcome"] and row["closed"]:
            key = (row["outcome"], kind)
            closed[key] = closed.get(key, 0) + row["closed"]
    return table_from_counts(new, carried_in, closed, carried_out)


def reviews_table(org_ids: set[int], year: int) -> dict[str, dict[str, int]]:
    """Table 四: 行政复议 and 行政诉讼 filed in the year, by result as it stood at the year's end
    (a review decided after 31 December still counts as 尚未审结)."""
    from .annual import REVIEW_GROUPS, REVIEW_RESULTS

    start, end = date(year, 1, 1), date(year, 12, 31)
    table = {group: dict.fromkeys(REVIEW_RESULTS, 0) for group in REVIEW_GROUPS}
    rows = (
        foi_selectors.admin_reviews_of(org_ids)
        .filter(filed_date__gte=start, filed_date__lte=end)
        .values("kind", "result", "decided_date")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        if row["kind"] not in table:
            continue
        decided = row["decided_date"] is not None and row["decided_date"] <= end
        result = row["result"] if decided and row["result"] != "pending" else "pending"
        table[row["kind"]][result] += row["n"]
    for counts in table.values():
        counts["total"] = sum(counts[r] for r in REVIEW_RESULTS if r != "total")
    return table


def application_split(org_ids: set[int], year: int) -> dict[str, dict[str, int]]:
    """Applications received in the year by channel, for the generated 总体情况 sentence."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    rows = (
        case_queryset(org_ids)
        .filter(received_date__gte=start, received_date__lte=end)
        .values("channel")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {"channel": {r["channel"]: r["n"] for r in rows}}


def fees_collected(org_ids: set[int], year: int) -> str:
    """信息处理费 actually paid in the year, in 元 (reported under 六、其他需要报告的事项)."""
    from django.db.models import Sum

    total = (
        foi_selectors.fee_notices_of(org_ids)
        .filter(
            state="paid",
            paid_date__gte=date(year, 1, 1),
            paid_date__lte=date(year, 12, 31),
        )
        .aggregate(total=Sum("amount"))["total"]
    )
    return f"{total or 0:.2f}"


def _report_year(title: str, published: date | None) -> int | None:
    """The year a report covers, for items typed in by hand: the "2025年" of its title, else the
    year before publication (条例第四十九条: a year's report comes out in the next year)."""
    match = re.search(r"((?:19|20)\d\d)年", title)
    if match:
        return int(match.group(1))
    return published.year - 1 if published else None


def published_reports_by_year() -> list[tuple[int | None, list[dict[str, Any]]]]:
    """公开年报: every public item of the annual-report column, grouped by the year reported
    on (newest first); within a year in the order of the organisation tree. Three queries."""
    items = list(
        public_items()
        .filter(columns__slug=ANNUAL_REPORT_COLUMN)
        .select_related("organisation")
        .order_by("-published_date", "-id")
    )
    reports = {
        r.published_item_id: r
        for r in AnnualReport.objects.filter(published_item_id__in=[i.pk for i in items])
    }
    position = {org.pk: n for n, (org, _depth) in enumerate(organisation_tree())}
    by_year: dict[int | None, list[dict[str, Any]]] = {}
    for item in items:
        report = reports.get(item.pk)
        year = report.year if report else _report_year(item.title, item.published_date)
        by_year.setdefault(year, []).append(
            {
                "item": item,
                "organisation": item.organisation,
                "scope_label": SCOPE_LABELS[report.scope] if report else "",
                "order": position.get(item.organisation_id, len(position)),
            }
        )
    for entries in by_year.values():
        entries.sort(key=lambda e: (e["order"], e["item"].title))
    return sorted(by_year.items(), key=lambda pair: -(pair[0] or 0))
