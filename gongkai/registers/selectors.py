"""Reads of the registers app."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from gongkai.core.status import ContentStatus

from .models import (
    Adjustment,
    Entry,
    EntryVersion,
    Project,
    ProjectStageItem,
    Proposal,
    Rectification,
    SpotCheckMatter,
    SpotCheckPlan,
    SpotCheckResult,
    TrainingRecord,
    WorkTask,
)
from .projects import Phase, Stage, missing_stages


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


# --- 重大建设项目 --------------------------------------------------------------------------


def public_projects(
    *, phase: str = "", year: int | None = None, district: str = "", industry: str = ""
) -> QuerySet[Project]:
    qs = Project.objects.filter(status=ContentStatus.PUBLISHED).select_related("organisation")
    if phase:
        qs = qs.filter(phase=phase)
    if year:
        qs = qs.filter(year=year)
    if district:
        qs = qs.filter(district=district)
    if industry:
        qs = qs.filter(industry=industry)
    return qs.order_by("-year", "name", "id")


def project_counts_by_phase(qs: QuerySet[Project] | None = None) -> dict[str, int]:
    """Published projects per 建设进程 ("在建项目24个，正在报批项目6个，已竣工项目38个")."""
    qs = Project.objects.filter(status=ContentStatus.PUBLISHED) if qs is None else qs
    counts = {phase: 0 for phase in Phase.values}
    for row in qs.order_by().values("phase").annotate(n=Count("id")):
        counts[row["phase"]] = row["n"]
    return counts


def project_facets() -> dict[str, list[Any]]:
    qs = Project.objects.filter(status=ContentStatus.PUBLISHED).order_by()
    return {
        "years": sorted(set(qs.values_list("year", flat=True)), reverse=True),
        "districts": sorted(set(qs.values_list("district", flat=True))),
        "industries": sorted(set(qs.values_list("industry", flat=True))),
    }


def project_timeline(project: Project, *, staff: bool) -> list[dict[str, Any]]:
    """The project's stages in lifecycle order with their items; for staff, also unpublished
    items and which expected stages are still missing (国办发〔2017〕94号)."""
    items = project.stage_items.all()
    if not staff:
        items = items.filter(status=ContentStatus.PUBLISHED)
    by_stage: dict[str, list[ProjectStageItem]] = {}
    for item in items.order_by("item_date", "id"):
        by_stage.setdefault(item.stage, []).append(item)
    published = {
        s
        for s in project.stage_items.filter(status=ContentStatus.PUBLISHED).values_list(
            "stage", flat=True
        )
    }
    missing = set(
        missing_stages(project.phase, involves_land=project.involves_land, present=published)
    )
    rows = []
    for stage, label in Stage.choices:
        if by_stage.get(stage) or (staff and stage in missing):
            rows.append(
                {
                    "stage": stage,
                    "label": label,
                    "items": by_stage.get(stage, []),
                    "missing": staff and stage in missing,
                }
            )
    return rows


# --- 双随机一公开 and 建议提案 -------------------------------------------------------------


def _published(qs: QuerySet) -> QuerySet:
    return qs.filter(status=ContentStatus.PUBLISHED)


def public_spot_matters(organisation: Any | None = None) -> QuerySet[SpotCheckMatter]:
    qs = _published(SpotCheckMatter.objects.select_related("organisation"))
    return (qs.filter(organisation=organisation) if organisation else qs).order_by(
        "organisation__sort_order", "id"
    )


def public_spot_plans(organisation: Any | None = None) -> QuerySet[SpotCheckPlan]:
    qs = _published(SpotCheckPlan.objects.select_related("organisation")).annotate(
        n_results=Count("results", filter=Q(results__status=ContentStatus.PUBLISHED))
    )
    return (qs.filter(organisation=organisation) if organisation else qs).order_by("-year", "id")


def public_spot_results(plan: SpotCheckPlan) -> QuerySet[SpotCheckResult]:
    return _published(plan.results.all()).order_by("checked_on", "id")


def spotcheck_year_counts(
    year: int, organisation_ids: Iterable[int] | None = None
) -> dict[str, int]:
    """For the annual statistics: plans and published results of ``year``."""
    plans = _published(SpotCheckPlan.objects.filter(year=year))
    if organisation_ids is not None:
        plans = plans.filter(organisation_id__in=list(organisation_ids))
    return {
        "plans": plans.count(),
        "results": _published(SpotCheckResult.objects.filter(plan__in=plans)).count(),
    }


def public_proposals(*, year: int | None = None, kind: str = "") -> QuerySet[Proposal]:
    qs = _published(Proposal.objects.select_related("organisation"))
    if year:
        qs = qs.filter(year=year)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-year", "kind", "number", "id")


def proposal_year_counts(year: int) -> list[dict[str, Any]]:
    """Per kind: assigned (办理), replied, published in full / as summary / not, and replied on
    time ("办理市人大代表建议和政协提案64件")."""
    rows = []
    for kind, label in Proposal.Kind.choices:
        qs = Proposal.objects.filter(year=year, kind=kind)
        published = _published(qs)
        rows.append(
            {
                "kind": kind,
                "label": label,
                "total": qs.count(),
                "replied": qs.exclude(replied_on__isnull=True).count(),
                "on_time": qs.filter(replied_on__lte=models.F("deadline")).count(),
                "full": published.filter(mode=Proposal.Mode.FULL).count(),
                "summary": published.filter(mode=Proposal.Mode.SUMMARY).count(),
                "none": published.filter(mode=Proposal.Mode.NONE).count(),
            }
        )
    return rows


def proposal_years() -> list[int]:
    return sorted(
        set(_published(Proposal.objects.all()).values_list("year", flat=True)), reverse=True
    )


# --- 政务公开工作台账 ----------------------------------------------------------------------


def work_tasks(organisation_ids: Iterable[int] | None, year: int) -> QuerySet[WorkTask]:
    qs = WorkTask.objects.filter(year=year).select_related("organisation")
    if organisation_ids is not None:
        qs = qs.filter(organisation_id__in=list(organisation_ids))
    return qs.order_by("state", "deadline", "id")


def training_records(organisation_ids: Iterable[int] | None) -> QuerySet[TrainingRecord]:
    qs = TrainingRecord.objects.select_related("organisation")
    if organisation_ids is not None:
        qs = qs.filter(organisation_id__in=list(organisation_ids))
    return qs.order_by("-held_on", "-id")


def training_counts(year: int) -> dict[int, int] | None:
    """Training sessions per organisation in ``year``; None while nobody keeps the training
    ledger at all (then the self-inspection cannot tell "no training" from "not recorded")."""
    if not TrainingRecord.objects.exists():
        return None
    counts: dict[int, int] = {}
    for org_id in TrainingRecord.objects.filter(held_on__year=year).values_list(
        "organisation_id", flat=True
    ):
        counts[org_id] = counts.get(org_id, 0) + 1
    return counts


def assessment_figures(organisation: Any, year: int, today: datetime.date) -> dict[str, Any]:
    """The platform's own figures for the self-assessment of ``year`` (``assessment``): as of
    ``today`` for the current year, the whole year for a past one."""
    from gongkai.catalogue.models import InformationItem, PolicyKind
    from gongkai.foi.models import Case
    from gongkai.interaction.selectors import SCOPE_OWN, interaction_stats

    from .assessment import Figure, Measure

    first = datetime.date(year, 1, 1)
    last = min(datetime.date(year, 12, 31), today)
    months = max(1, last.month if last.year == year else 12)
    published = InformationItem.objects.filter(
        organisation=organisation,
        status=ContentStatus.PUBLISHED,
        published_date__range=(first, last),
    )
    normative = published.filter(policy_kind=PolicyKind.NORMATIVE)
    covered = normative.filter(interpretations__status=ContentStatus.PUBLISHED).distinct()
    closed = Case.objects.filter(
        organisation=organisation, closed_date__range=(first, last), due_date__isnull=False
    )
    stats = interaction_stats(organisation, first, last, SCOPE_OWN)
    open_problems = Rectification.objects.filter(
        organisation=organisation, source=Rectification.Source.SELF_INSPECTION
    ).exclude(state=Rectification.State.CLOSED)
    trainings = TrainingRecord.objects.filter(organisation=organisation, held_on__year=year)
    return {
        Measure.UPDATE_FREQUENCY: Figure(published.count(), months=months),
        Measure.INTERPRETATION_COVERAGE: Figure(covered.count(), normative.count()),
        Measure.FOI_ON_TIME: Figure(
            closed.filter(closed_date__lte=models.F("due_date")).count(), closed.count()
        ),
        Measure.MESSAGE_ON_TIME: Figure(
            stats["replied_on_time"], stats["replied"] + stats["open_overdue"]
        ),
        Measure.SELF_INSPECTION: Figure(open_problems.count()),
        Measure.TRAINING: Figure(trainings.count()),
    }


def assessment_rows(assessment: Any) -> tuple[list[Any], dict[str, Any]]:
    """The checklist rows and the totals (weighted score, weighted maximum)."""
    from decimal import Decimal

    rows = list(assessment.scores.select_related("item", "scored_by").order_by("item__order"))
    total = sum(((s.score or Decimal(0)) * s.item.weight for s in rows), Decimal(0))
    maximum = sum((s.item.max_score * s.item.weight for s in rows), Decimal(0))
    unscored = sum(1 for s in rows if s.score is None)
    tenth = Decimal("0.1")
    return rows, {
        "total": total.quantize(tenth),
        "maximum": maximum.quantize(tenth),
        "unscored": unscored,
    }
