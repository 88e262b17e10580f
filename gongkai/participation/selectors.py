"""Reads of public participation: public lists, the page of one consultation, the feedback
facts, the directory, the statistics."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from gongkai.core.status import ContentStatus

from . import rules
from .models import (
    Comment,
    CommentGroup,
    Consultation,
    Decision,
    DecisionDirectory,
    DecisionVersion,
    DirectoryAdjustment,
    Feedback,
    OfflineInput,
)


def group_facts(consultation: Consultation) -> list[rules.GroupFacts]:
    """Each group with the opinions it holds: approved comments plus offline opinions."""
    groups = (
        CommentGroup.objects.filter(consultation=consultation)
        .annotate(
            n_comments=Count("comments", filter=Q(comments__moderation=Comment.Moderation.APPROVED))
        )
        .order_by("id")
    )
    offline = dict(
        OfflineInput.objects.filter(consultation=consultation, group__isnull=False)
        .values("group")
        .annotate(n=Sum("opinions"))
        .values_list("group", "n")
    )
    return [
        rules.GroupFacts(
            title=g.title,
            disposition=g.disposition,
            reason=g.reason,
            opinions=g.n_comments + int(offline.get(g.pk) or 0),
        )
        for g in groups
    ]


def public_consultations(*, state: str = "", now: datetime.datetime | None = None) -> QuerySet:
    """Published consultations; ``state`` open / closed in China time."""
    today = rules.china_date(now or timezone.now())
    qs = Consultation.objects.filter(status=ContentStatus.PUBLISHED).select_related(
        "organisation", "feedback"
    )
    if state == rules.OPEN:
        qs = qs.filter(opens_on__lte=today, closes_on__gte=today, closed_at__isnull=True)
    elif state == rules.CLOSED:
        qs = qs.filter(Q(closes_on__lt=today) | Q(closed_at__isnull=False))
    return qs.order_by("-opens_on", "-id")


def public_comments(consultation: Consultation) -> QuerySet:
    return (
        consultation.comments.filter(moderation=Comment.Moderation.APPROVED, is_public=True)
        .select_related("question")
        .order_by("submitted_at", "id")
    )


def upcoming_hearings(consultation: Consultation, today: datetime.date) -> QuerySet:
    """听证会 announced in advance (条例第十六条): held today or later, with the notice already
    published (on or before today) — the public page shows their time, place, the participant
    selection method, the participant list and when the materials reached the participants."""
    return OfflineInput.objects.filter(
        consultation=consultation,
        method=OfflineInput.Method.HEARING,
        held_on__gte=today,
        notice_published_on__lte=today,
    ).order_by("held_on", "id")


def published_feedback(consultation: Consultation) -> Feedback | None:
    return Feedback.objects.filter(
        consultation=consultation, status=ContentStatus.PUBLISHED
    ).first()


def staff_consultations(organisations: Iterable[Any]) -> QuerySet:
    return (
        Consultation.objects.filter(organisation__in=list(organisations))
        .select_related("organisation")
        .annotate(
            n_comments=Count("comments"),
            n_pending=Count("comments", filter=Q(comments__moderation="pending")),
        )
        .order_by("-opens_on", "-id")
    )


def public_directories(year: int | None = None) -> QuerySet:
    qs = DecisionDirectory.objects.filter(status=ContentStatus.PUBLISHED).select_related(
        "organisation"
    )
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("organisation__name")


def directory_decisions(directory: DecisionDirectory) -> QuerySet:
    return (
        Decision.objects.filter(directory=directory)
        .select_related("owner", "consultation", "decision_document", "interpretation")
        .prefetch_related("stages")
        .order_by("number")
    )


def directory_as_of(directory: DecisionDirectory, on: datetime.date) -> QuerySet:
    """The directory's decisions as they stood on ``on``: the versions valid that day (the
    first publication and every published adjustment wrote them)."""
    return (
        DecisionVersion.objects.filter(decision__directory=directory, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        .select_related("owner", "decision")
        .order_by("decision__number")
    )


def directory_adjustment_history(directory: DecisionDirectory) -> QuerySet:
    """The published adjustments of a directory, oldest first (its public 调整情况)."""
    return (
        DirectoryAdjustment.objects.filter(directory=directory, status=ContentStatus.PUBLISHED)
        .select_related("owner", "decision")
        .order_by("published_date", "applied_at", "id")
    )


def directory_adjustments_pending(directory: DecisionDirectory) -> QuerySet:
    """The adjustments not yet published (drafts, in review, returned) — staff only."""
    return (
        DirectoryAdjustment.objects.filter(directory=directory)
        .exclude(status=ContentStatus.PUBLISHED)
        .select_related("owner", "decision")
        .order_by("-id")
    )


def directory_years() -> list[int]:
    return sorted(
        set(
            DecisionDirectory.objects.filter(status=ContentStatus.PUBLISHED).values_list(
                "year", flat=True
            )
        ),
        reverse=True,
    )


@dataclass(frozen=True)
class OrgYearStats:
    organisation: str
    year: int
    consultations: int
    comments: int
    feedback_published: int
    adopted: int
    partly: int
    not_adopted: int


def participation_stats(
    organisations: Iterable[Any], year: int | None = None
) -> list[OrgYearStats]:
    """Per organisation and year (of opening): consultations held (published), comments
    received, feedback published and the adoption counts of the published feedback.
    ``year`` narrows to the consultations opened in that year (the 统计分析 page)."""
    rows = (
        # A queryset stays a subquery: the whole table is one query (the staff dashboard
        # counts its queries).
        Consultation.objects.filter(organisation__in=organisations, status=ContentStatus.PUBLISHED)
        .select_related("organisation", "feedback")
        .annotate(n_comments=Count("comments"))
    )
    if year is not None:
        rows = rows.filter(opens_on__year=year)
    table: dict[tuple[str, int], dict[str, int]] = {}
    for c in rows:
        key = (c.organisation.name, c.opens_on.year)
        entry = table.setdefault(
            key,
            {"consultations": 0, "comments": 0, "feedback": 0, "adopted": 0, "partly": 0, "no": 0},
        )
        entry["consultations"] += 1
        entry["comments"] += c.n_comments
        feedback = getattr(c, "feedback", None)
        if feedback is not None and feedback.status == ContentStatus.PUBLISHED:
            entry["feedback"] += 1
            entry["adopted"] += int(feedback.counts.get(rules.ADOPTED, 0))
            entry["partly"] += int(feedback.counts.get(rules.PARTLY, 0))
            entry["no"] += int(feedback.counts.get(rules.NOT_ADOPTED, 0))
    return [
        OrgYearStats(
            org,
            year,
            e["consultations"],
            e["comments"],
            e["feedback"],
            e["adopted"],
            e["partly"],
            e["no"],
        )
        for (org, year), e in sorted(table.items(), key=lambda kv: (-kv[0][1], kv[0][0]))
    ]
