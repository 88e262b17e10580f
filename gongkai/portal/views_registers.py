"""Public pages of the 清单: per organisation and kind, today's list or the list as it stood on
a past date, with search, category filter, adjustment history and Excel download."""

from __future__ import annotations

import datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from gongkai.accounts.models import Organisation
from gongkai.core.pagination import paginate
from gongkai.registers import excel, kinds, selectors

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
