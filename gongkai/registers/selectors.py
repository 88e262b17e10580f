"""Reads of the registers app."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from gongkai.core.status import ContentStatus

from .models import Adjustment, Entry, EntryVersion, Rectification


def _valid_on(on: datetime.date) -> Q:
    """Versions valid on ``on``: from ``valid_from`` (inclusive) to ``valid_to`` (exclusive)."""
    return Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gt=on))


def list_as_of(organisation: Any, list_kind: str, on: datetime.date) -> QuerySet[EntryVersion]:
    """The list of ``organisation`` as it stood on ``on``: one version per entry in force."""
    return (
        EntryVersion.objects.filter(
            _valid_on(on), entry__organisation=organisation, entry__list_kind=list_kind
        )
        .select_related("entry")
        .order_by("entry__code")
    )


def public_list(
    organisation: Any,
    list_kind: str,
    *,
    on: datetime.date | None = None,
    q: str = "",
    category: str = "",
) -> QuerySet[EntryVersion]:
    """The public list with its search and filters (today's, or as of a past date)."""
    qs = list_as_of(organisation, list_kind, on or timezone.localdate())
    if q:
        qs = qs.filter(
            Q(name__icontains=q)
            | Q(basis__icontains=q)
            | Q(implementer__icontains=q)
            | Q(entry__code__icontains=q)
        )
    if category:
        qs = qs.filter(category=category)
    return qs


def adjustment_history(
    organisation: Any, list_kind: str, entry: Entry | None = None
) -> QuerySet[Adjustment]:
    """The published 动态调整 of a list (or of one entry), latest first."""
    qs = Adjustment.objects.filter(
        organisation=organisation, list_kind=list_kind, status=ContentStatus.PUBLISHED
    ).select_related("entry")
    if entry is not None:
        qs = qs.filter(entry=entry)
    return qs.order_by("-effective_date", "-id")


def list_counts(organisation: Any, on: datetime.date | None = None) -> dict[str, int]:
    """Entries in force per list kind (the "公开权责清单30项" figure)."""
    on = on or timezone.localdate()
    counts: dict[str, int] = {}
    for kind in EntryVersion.objects.filter(
        _valid_on(on), entry__organisation=organisation
    ).values_list("entry__list_kind", flat=True):
        counts[kind] = counts.get(kind, 0) + 1
    return counts


def organisations_with_lists() -> list[int]:
    return sorted(set(Entry.objects.values_list("organisation_id", flat=True)))


def staff_adjustments(organisation_ids: Iterable[int] | None) -> QuerySet[Adjustment]:
    qs = Adjustment.objects.select_related("organisation", "entry")
    if organisation_ids is not None:
        qs = qs.filter(organisation_id__in=list(organisation_ids))
    return qs.order_by("-updated_at", "-id")


def rectifications(organisation_ids: Iterable[int] | None) -> QuerySet[Rectification]:
    qs = Rectification.objects.select_related("organisation")
    if organisation_ids is not None:
        qs = qs.filter(organisation_id__in=list(organisation_ids))
    return qs.order_by("state", "deadline", "id")


def overdue_rectifications(
    organisation_ids: Iterable[int] | None, today: datetime.date | None = None
) -> QuerySet[Rectification]:
    """Problems not yet 销号 whose deadline has passed (the dashboard's warning)."""
    today = today or timezone.localdate()
    return (
        rectifications(organisation_ids)
        .filter(deadline__lt=today)
        .exclude(state=Rectification.State.CLOSED)
    )
