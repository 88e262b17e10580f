"""Statistics for the staff dashboard and the quarterly bulletin (按季度通报).

The seed summaries quote 发布信息N条, 政策解读N篇, 回复留言N件 and 依申请公开 volumes; every
figure here is one grouped query over the period and the organisations in scope.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth

from gongkai.accounts.models import Organisation
from gongkai.catalogue.models import InformationItem
from gongkai.core.status import ContentStatus
from gongkai.foi import selectors as foi_selectors
from gongkai.foi.models import CorrectionRequest
from gongkai.policies.models import Interpretation


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @classmethod
    def quarter(cls, year: int, quarter: int) -> "Period":
        first_month = 3 * (quarter - 1) + 1
        start = date(year, first_month, 1)
        end = date(year + (first_month + 3 > 12), (first_month + 2) % 12 + 1, 1) - timedelta(days=1)
        return cls(start, end)


def publishing_stats(org_ids: set[int] | None, period: Period) -> dict[str, Any]:
    items = InformationItem.objects.filter(
        status=InformationItem.Status.PUBLISHED,
        published_date__gte=period.start,
        published_date__lte=period.end,
    )
    interpretations = Interpretation.objects.filter(
        status=ContentStatus.PUBLISHED,
        published_date__gte=period.start,
        published_date__lte=period.end,
    )
    if org_ids is not None:
        items = items.filter(organisation_id__in=org_ids)
        interpretations = interpretations.filter(organisation_id__in=org_ids)
    by_column = list(
        items.filter(columns__isnull=False)
        .values(name=F("columns__name"))
        .annotate(n=Count("id"))
        .order_by("-n", "name")
    )
    by_topic = list(
        items.values(name=F("topic__parent__name")).annotate(n=Count("id")).order_by("-n", "name")
    )
    by_month = [
        {"month": r["month"].strftime("%Y-%m"), "n": r["n"]}
        for r in items.annotate(month=TruncMonth("published_date"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
    ]
    return {
        "items": items.count(),
        "interpretations": interpretations.count(),
        "by_column": by_column,
        "by_topic": [{"name": r["name"] or "未分类", "n": r["n"]} for r in by_topic],
        "by_month": by_month,
    }


def foi_stats(org_ids: set[int] | None, period: Period, today: date) -> dict[str, Any]:
    cases = foi_selectors.cases_of(org_ids)
    received = cases.filter(received_date__gte=period.start, received_date__lte=period.end)
    closed = cases.filter(closed_date__gte=period.start, closed_date__lte=period.end)
    outcomes = list(closed.values("outcome").annotate(n=Count("id")).order_by("outcome"))
    durations = [
        (c - r).days
        for r, c in closed.exclude(received_date__isnull=True).values_list(
            "received_date", "closed_date"
        )
        if r is not None and c is not None
    ]
    with_due = closed.filter(due_date__isnull=False)
    overdue_closed = with_due.filter(closed_date__gt=F("due_date")).count()
    open_overdue = cases.filter(closed_date__isnull=True, due_date__lt=today).count()
    return {
        "received": received.count(),
        "closed": len(durations),
        "outcomes": outcomes,
        "average_days": round(sum(durations) / len(durations), 1) if durations else None,
        "overdue_closed": overdue_closed,
        "overdue_rate": round(overdue_closed / with_due.count(), 4) if with_due.count() else None,
        "open_overdue": open_overdue,
        **correction_stats(org_ids, period),
    }


def correction_stats(org_ids: set[int] | None, period: Period) -> dict[str, Any]:
    """更正申请 (条例第四十一条): the annual report's table 三 has no row for them (they are not
    applications for disclosure), so the dashboard counts them: received, and answered by
    result."""
    qs = foi_selectors.correction_requests_of(org_ids)
    received = qs.filter(received_date__gte=period.start, received_date__lte=period.end)
    answered = dict(
        qs.filter(replied_date__gte=period.start, replied_date__lte=period.end)
        .values_list("result")
        .annotate(n=Count("id"))
    )
    return {
        "corrections_received": received.count(),
        "corrections_answered": [
            {"result": value, "label": label, "n": answered.get(value, 0)}
            for value, label in CorrectionRequest.Result.choices
        ],
    }


def quarterly_bulletin(parent: Organisation, period: Period) -> list[dict[str, Any]]:
    """One row per organisation under ``parent`` (and itself): the figures a 通报 compares."""
    orgs = [parent, *Organisation.objects.filter(parent=parent, is_active=True)]
    ids = [o.pk for o in orgs]
    items = dict(
        InformationItem.objects.filter(
            organisation_id__in=ids,
            status=InformationItem.Status.PUBLISHED,
            published_date__gte=period.start,
            published_date__lte=period.end,
        )
        .values_list("organisation_id")
        .annotate(n=Count("id"))
    )
    interpretations = dict(
        Interpretation.objects.filter(
            organisation_id__in=ids,
            status=ContentStatus.PUBLISHED,
            published_date__gte=period.start,
            published_date__lte=period.end,
        )
        .values_list("organisation_id")
        .annotate(n=Count("id"))
    )
    foi: dict[int, dict[str, Any]] = {
        r["organisation_id"]: dict(r)
        for r in foi_selectors.cases_of(set(ids))
        .values("organisation_id")
        .annotate(
            received=Count(
                "id", filter=Q(received_date__gte=period.start, received_date__lte=period.end)
            ),
            closed=Count(
                "id", filter=Q(closed_date__gte=period.start, closed_date__lte=period.end)
            ),
            overdue=Count(
                "id",
                filter=Q(
                    closed_date__gte=period.start,
                    closed_date__lte=period.end,
                    closed_date__gt=F("due_date"),
                ),
            ),
        )
    }
    empty = {"received": 0, "closed": 0, "overdue": 0}
    return [
        {
            "organisation": org.name,
            "code": org.code,
            "items": items.get(org.pk, 0),
            "interpretations": interpretations.get(org.pk, 0),
            "foi_received": foi.get(org.pk, empty)["received"],
            "foi_closed": foi.get(org.pk, empty)["closed"],
            "foi_overdue": foi.get(org.pk, empty)["overdue"],
        }
        for org in orgs
    ]
