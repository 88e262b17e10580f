"""Reads of the oversight context: error reports, the 第十八条 queue, self-inspection runs."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone

from .models import ErrorReport


def error_report_counts() -> dict[str, int]:
    """我为政府网站找错 totals (new, answered, total) for the dashboard and self-inspection."""
    counts = dict(ErrorReport.objects.order_by().values_list("status").annotate(n=Count("id")))
    new = counts.get(ErrorReport.Status.NEW, 0)
    answered = counts.get(ErrorReport.Status.ANSWERED, 0)
    return {"new": new, "answered": answered, "total": new + answered}


@dataclass(frozen=True)
class DisclosureReviewRow:
    item: Any
    last_reviewed: datetime.date | None
    due: datetime.date
    state: str
    pending_proposal: bool


@dataclass(frozen=True)
class DisclosureReviewsDue:
    """For dashboards: items whose review is due within ``disclosure.DUE_SOON_DAYS`` days or
    already overdue (``total``), and how many of them are overdue."""

    total: int
    overdue: int


def disclosure_review_months() -> int:
    from .disclosure import DEFAULT_REVIEW_MONTHS

    return int(getattr(settings, "GONGKAI_DISCLOSURE_REVIEW_MONTHS", DEFAULT_REVIEW_MONTHS))


def disclosure_review_rows(
    user: Any, *, today: datetime.date | None = None, include_current: bool = False
) -> list[DisclosureReviewRow]:
    """Items marked 依申请公开/不予公开 of the organisations where ``user`` edits, with their
    due date; by default only those due within ``DUE_SOON_DAYS`` or overdue, soonest first.
    Withdrawn items are no longer held out to the public in any form and are left out.

    An item never reviewed counts from when its 公开属性 was last set: its creation, or the
    latest edit whose audit row lists ``disclosure`` among the changed fields."""
    from django.db.models import CharField, Exists, OuterRef, Subquery
    from django.db.models.functions import Cast

    from gongkai.accounts.models import Role
    from gongkai.accounts.selectors import organisation_ids_for_role
    from gongkai.catalogue.models import InformationItem
    from gongkai.core.models import AuditEntry
    from gongkai.foi.models import ProactiveProposal

    from .disclosure import STATE_CURRENT, review_due_date, review_state

    today = today or timezone.localdate()
    months = disclosure_review_months()
    scope = organisation_ids_for_role(user, Role.EDITOR)
    disclosure_set = (
        AuditEntry.objects.filter(
            target_type=InformationItem._meta.label_lower,
            target_id=Cast(OuterRef("pk"), CharField()),
            action=AuditEntry.Action.EDIT,
            # The JSON text of the list: the quotes keep "disclosure_reason" from matching.
            detail__changed__icontains='"disclosure"',
        )
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    qs = (
        InformationItem.objects.exclude(disclosure=InformationItem.Disclosure.PROACTIVE)
        .exclude(status=InformationItem.Status.WITHDRAWN)
        .select_related("organisation")
        .annotate(
            last_reviewed=Max("disclosure_reviews__reviewed_on"),
            disclosure_set_at=Subquery(disclosure_set),
            pending=Exists(
                ProactiveProposal.objects.filter(
                    item=OuterRef("pk"), state=ProactiveProposal.State.PENDING
                )
            ),
        )
    )
    if scope is not None:
        qs = qs.filter(organisation_id__in=scope)
    rows = []
    for item in qs.order_by("id"):
        marked_on = timezone.localtime(item.created_at).date()
        if item.disclosure_set_at is not None:
            marked_on = max(marked_on, timezone.localtime(item.disclosure_set_at).date())
        due = review_due_date(marked_on=marked_on, last_reviewed=item.last_reviewed, months=months)
        state = review_state(due, today)
        if state == STATE_CURRENT and not include_current:
            continue
        rows.append(DisclosureReviewRow(item, item.last_reviewed, due, state, item.pending))
    rows.sort(key=lambda r: (r.due, r.item.pk))
    return rows


def disclosure_reviews_due(
    user: Any, *, today: datetime.date | None = None
) -> DisclosureReviewsDue:
    """The count a dashboard shows for the 第十八条 review queue of ``user``."""
    from .disclosure import STATE_OVERDUE

    rows = disclosure_review_rows(user, today=today)
    return DisclosureReviewsDue(len(rows), sum(1 for r in rows if r.state == STATE_OVERDUE))


def article20_mapping() -> dict[int, list[Any]]:
    """条例第二十条 item number → its active columns (every item listed, mapped or not)."""
    from .disclosure import ARTICLE_20_CATEGORIES
    from .models import Article20Category

    mapping: dict[int, list[Any]] = {n: [] for n, _item, _text in ARTICLE_20_CATEGORIES}
    for category in Article20Category.objects.prefetch_related("columns"):
        mapping[category.number] = sorted(
            (c for c in category.columns.all() if c.is_active), key=lambda c: (c.sort_order, c.pk)
        )
    return mapping


def latest_inspection_run() -> Any:
    """The newest 网站自查 report, or None before the first run."""
    from .models import InspectionRun

    return InspectionRun.objects.order_by("-created_at", "-id").first()
