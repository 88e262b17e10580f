"""Public pages of the 清单: per organisation and kind, today's list or the list as it stood on
a past date, with search, category filter, adjustment history and Excel download."""

from __future__ import annotations

import datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from gongkai.accounts.models import Organisation
from gongkai.accounts.permissions import can_view_item_draft
from gongkai.core.pagination import paginate
from gongkai.core.params import bounded_int
from gongkai.core.status import ContentStatus
from gongkai.registers import excel, kinds, projects, selectors
from gongkai.registers.models import Project, Proposal, SpotCheckPlan

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _kind(kind: str) -> str:
    if kind not in kinds.ListKind.values:
        raise Http404
    return kind


def _date(text: str | None) -> datetime.date | None:
    try:
        day = datetime.date.fromisoformat((text or "").strip())
    except ValueError:
        return None
    return day if datetime.date(1900, 1, 1) <= day <= datetime.date(2100, 12, 31) else None


def registers_index(request: HttpRequest) -> HttpResponse:
    organisations = Organisation.objects.filter(pk__in=selectors.organisations_with_lists())
    rows = [
        (
            org,
            [
                (k, label, selectors.list_counts(org).get(k, 0))
                for k, label in kinds.ListKind.choices
            ],
        )
        for org in organisations.order_by("sort_order", "id")
    ]
    return render(request, "portal/registers/index.html", {"rows": rows})


def registers_list(request: HttpRequest, org_id: int, kind: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=org_id)
    kind = _kind(kind)
    today = timezone.localdate()
    on = _date(request.GET.get("on"))
    q = (request.GET.get("q") or "").strip()[:100]
    category = request.GET.get("category", "")
    if category not in kinds.PowerCategory.values:
        category = ""
    versions = selectors.public_list(organisation, kind, on=on or today, q=q, category=category)
    if request.GET.get("export") == "xlsx":
        response = HttpResponse(
            excel.list_workbook(
                list_kind=kind,
                organisation_name=organisation.name,
                on=on or today,
                versions=versions,
            ),
            content_type=XLSX,
        )
        response["Content-Disposition"] = (
            f'attachment; filename="qingdan-{kind}-{(on or today):%Y%m%d}.xlsx"'
        )
        return response
    return render(
        request,
        "portal/registers/list.html",
        {
            "organisation": organisation,
            "kind": kind,
            "kind_label": kinds.ListKind(kind).label,
            "columns": kinds.kind_columns(kind),
            "page_obj": paginate(request, versions),
            "on": on,
            "q": q,
            "category": category,
            "categories": kinds.PowerCategory.choices if kind == kinds.ListKind.POWERS else [],
            "kinds": kinds.ListKind.choices,
        },
    )


def registers_history(request: HttpRequest, org_id: int, kind: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=org_id)
    kind = _kind(kind)
    return render(
        request,
        "portal/registers/history.html",
        {
            "organisation": organisation,
            "kind": kind,
            "kind_label": kinds.ListKind(kind).label,
            "page_obj": paginate(request, selectors.adjustment_history(organisation, kind)),
        },
    )


# --- 重大建设项目 --------------------------------------------------------------------------


def project_list(request: HttpRequest) -> HttpResponse:
    """Published projects filterable by 建设进程, year, district and industry, with counts."""
    facets = selectors.project_facets()
    phase = request.GET.get("phase", "")
    phase = phase if phase in projects.Phase.values else ""
    year = bounded_int(request.GET.get("year"), low=1990, high=2100)
    district = request.GET.get("district", "")
    district = district if district in facets["districts"] else ""
    industry = request.GET.get("industry", "")
    industry = industry if industry in facets["industries"] else ""
    filtered = selectors.public_projects(year=year, district=district, industry=industry)
    counts = selectors.project_counts_by_phase(filtered)
    shown = filtered.filter(phase=phase) if phase else filtered
    return render(
        request,
        "portal/registers/projects.html",
        {
            "page_obj": paginate(request, shown),
            "counts": [(p, label, counts[p]) for p, label in projects.Phase.choices],
            "total": sum(counts.values()),
            "facets": facets,
            "phase": phase,
            "year": year,
            "district": district,
            "industry": industry,
        },
    )


def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Project.objects.select_related("organisation"), pk=pk)
    staff = can_view_item_draft(request.user, project)
    if project.status != ContentStatus.PUBLISHED and not staff:
        raise Http404
    return render(
        request,
        "portal/registers/project.html",
        {
            "project": project,
            "timeline": selectors.project_timeline(project, staff=staff),
            "staff_view": staff,
        },
    )


# --- 双随机一公开 and 建议提案 -------------------------------------------------------------


def spotcheck_index(request: HttpRequest) -> HttpResponse:
    org_id = bounded_int(request.GET.get("org"))
    organisation = Organisation.objects.filter(pk=org_id).first() if org_id else None
    return render(
        request,
        "portal/registers/spotchecks.html",
        {
            "organisation": organisation,
            "matters": selectors.public_spot_matters(organisation),
            "plans": selectors.public_spot_plans(organisation),
            "year": timezone.localdate().year,
            "counts": selectors.spotcheck_year_counts(
                timezone.localdate().year, [organisation.pk] if organisation else None
            ),
        },
    )


def spotcheck_plan(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(
        SpotCheckPlan.objects.select_related("organisation"),
        pk=pk,
        status=ContentStatus.PUBLISHED,
    )
    return render(
        request,
        "portal/registers/spotcheck_plan.html",
        {"plan": plan, "results": selectors.public_spot_results(plan)},
    )


def proposal_list(request: HttpRequest) -> HttpResponse:
    years = selectors.proposal_years()
    year = bounded_int(request.GET.get("year"), low=1990, high=2100)
    year = year if year in years else None
    kind = request.GET.get("kind", "")
    kind = kind if kind in Proposal.Kind.values else ""
    shown_year = year or (years[0] if years else timezone.localdate().year)
    return render(
        request,
        "portal/registers/proposals.html",
        {
            "page_obj": paginate(request, selectors.public_proposals(year=year, kind=kind)),
            "years": years,
            "year": year,
            "kind": kind,
            "kinds": Proposal.Kind.choices,
            "counts_year": shown_year,
            "counts": selectors.proposal_year_counts(shown_year),
        },
    )


def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(
        Proposal.objects.select_related("organisation"), pk=pk, status=ContentStatus.PUBLISHED
    )
    return render(
        request,
        "portal/registers/proposal.html",
        {"proposal": proposal, "co_organisations": proposal.co_organisations.all()},
    )
