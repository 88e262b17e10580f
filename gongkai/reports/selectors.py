"""Reads that compute the annual report from live records (one GROUP BY per table)."""

from datetime import date

from django.apps import apps
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce

from gongkai.accounts.models import Organisation
from gongkai.accounts.selectors import organisation_descendant_ids
from gongkai.catalogue.models import InformationItem, PolicyKind

from .annual import Table, table_from_counts


def report_organisation_ids(organisation: Organisation, include_subordinates: bool) -> set[int]:
    """A government's report rolls up itself and every organisation under it (条例第五十条)."""
    if include_subordinates:
        return organisation_descendant_ids([organisation.pk])
    return {organisation.pk}


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
    case_model = apps.get_model("foi", "Case")
    return case_model.objects.filter(organisation_id__in=org_ids)


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
    review_model = apps.get_model("foi", "AdminReview")
    table = {group: dict.fromkeys(REVIEW_RESULTS, 0) for group in REVIEW_GROUPS}
    rows = (
        review_model.objects.filter(
            case__organisation_id__in=org_ids, filed_date__gte=start, filed_date__lte=end
        )
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

    fee_model = apps.get_model("foi", "FeeNotice")
    total = fee_model.objects.filter(
        case__organisation_id__in=org_ids,
        state="paid",
        paid_date__gte=date(year, 1, 1),
        paid_date__lte=date(year, 12, 31),
    ).aggregate(total=Sum("amount"))["total"]
    return f"{total or 0:.2f}"
