"""Public pages of the policy library, interpretations and the Q&A knowledge base."""

from typing import Any
from urllib.parse import urlencode

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import InternalUnit, Organisation
from gongkai.catalogue.richtext import sanitize_html
from gongkai.catalogue.selectors import public_items
from gongkai.core.pagination import paginate
from gongkai.core.params import bounded_int
from gongkai.policies import selectors as ps
from gongkai.policies.models import Interpretation

PAGE_SIZE = 20


def _toggle_url(
    path: str,
    filters: ps.PolicyFilters,
    key: str,
    value: str,
    encoded: dict[tuple[str, str], str] | None = None,
) -> str:
    """The library's address with ``value`` of facet ``key`` switched on or off. ``encoded``
    keeps each ``k=v`` pair quoted once for all the links of one page (some fifty links, each
    repeating the active filters: quoting them again was a tenth of the page's CPU)."""
    if encoded is None:
        encoded = {}
    parts: list[str] = []
    for k in ps.FACET_KEYS:
        values = filters.get(k, [])
        if k == key:
            values = [v for v in values if v != value] if value in values else [*values, value]
        for v in values:
            pair = encoded.get((k, v))
            if pair is None:
                pair = encoded[(k, v)] = urlencode([(k, v)])
            parts.append(pair)
    return f"{path}?{'&'.join(parts)}" if parts else path


SCOPES: dict[str, dict[str, Any]] = {
    "all": {
        "title": _("政策文件库"),
        "intro": _("汇集本级政府及所属部门、下级政府发布的政策文件，可按六个维度组合筛选。"),
    },
    "normative": {
        "title": _("行政规范性文件库"),
        "intro": _("行政机关依照法定权限和程序制定并公开发布的行政规范性文件。"),
    },
    "repealed": {
        "title": _("废止失效文件"),
        "intro": _("已经失效或被废止的政策文件，仅供查阅，不再作为执行依据。"),
    },
}


def _library(request: HttpRequest, scope: str) -> HttpResponse:
    config = SCOPES[scope]
    library = ps.policy_library_query(dict(request.GET.lists()), scope=scope)
    filters, facets = library.filters, library.facets
    encoded: dict[tuple[str, str], str] = {}
    for facet in facets:
        for value in facet.values:
            value.url = _toggle_url(request.path, filters, facet.key, value.value, encoded)
    # The pager needs only the count; the page's rows and their interpretations are two
    # queries compiled once per process and shape of the selection (policies.selectors),
    # read instead of a slice of the results' queryset.
    page = paginate(request, [], PAGE_SIZE, count=library.count)
    page.object_list = ps.policy_library_rows(
        scope, filters, offset=(page.number - 1) * PAGE_SIZE, limit=PAGE_SIZE
    )
    return render(
        request,
        "portal/policies/library.html",
        {
            "scope": scope,
            "title": config["title"],
            "intro": config["intro"],
            "facets": facets,
            "filters": filters,
            "has_filters": bool(filters),
            "page_obj": page,
            "total": page.paginator.count,
        },
    )


def policy_library(request: HttpRequest) -> HttpResponse:
    return _library(request, "all")


def policy_normative(request: HttpRequest) -> HttpResponse:
    return _library(request, "normative")


def policy_repealed(request: HttpRequest) -> HttpResponse:
    return _library(request, "repealed")


def interpretation_list(request: HttpRequest) -> HttpResponse:
    qs = ps.public_interpretations().select_related("organisation")
    form = request.GET.get("form", "")
    if form in Interpretation.Form.values:
        qs = qs.filter(form=form)
    else:
        form = ""
    page = paginate(request, qs)
    return render(
        request,
        "portal/policies/interpretation_list.html",
        {"page_obj": page, "forms": Interpretation.Form.choices, "current_form": form},
    )


def interpretation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    interpretation = get_object_or_404(
        ps.public_interpretations().select_related("organisation"), pk=pk
    )
    # 双向关联: only the public policies are linked back; others are not even named.
    policies = list(
        public_items()
        .filter(interpretations=interpretation)
        .select_related("organisation", "replaced_by")
        .order_by("-published_date", "-id")
    )
    return render(
        request,
        "portal/policies/interpretation_detail.html",
        {
            "interpretation": interpretation,
            "policies": policies,
            "body_html": sanitize_html(interpretation.body),
        },
    )


def qa_list(request: HttpRequest) -> HttpResponse:
    """政策问答知识库: browse by related policy or by answering unit (机构 + 科室)."""
    entries = ps.public_qa_entries()
    policy = organisation = unit = None
    policy_id = bounded_int(request.GET.get("policy"))
    org_id = bounded_int(request.GET.get("org"))
    unit_id = bounded_int(request.GET.get("unit"))
    if policy_id is not None:
        policy = get_object_or_404(ps.public_policies(), pk=policy_id)
        entries = entries.filter(policy=policy)
    if org_id is not None:
        organisation = get_object_or_404(Organisation.objects.filter(is_active=True), pk=org_id)
        entries = entries.filter(organisation=organisation)
    if unit_id is not None:
        unit = get_object_or_404(InternalUnit.objects.select_related("organisation"), pk=unit_id)
        entries = entries.filter(unit=unit)
    all_public = ps.public_qa_entries().order_by()
    by_policy = list(
        all_public.filter(policy__isnull=False)
        .values("policy_id", "policy__title")
        .annotate(n=Count("id"))
        .order_by("-n", "policy__title")[:50]
    )
    by_unit = list(
        all_public.values(
            "organisation_id", "organisation__name", "unit_id", "unit__name", "unit__phone"
        )
        .annotate(n=Count("id"))
        .order_by("organisation__name", "unit__name")
    )
    page = paginate(
        request,
        entries.select_related("organisation", "unit", "policy").order_by("-published_date", "-id"),
    )
    for entry in page.object_list:
        entry.answer_html = sanitize_html(entry.answer)
    return render(
        request,
        "portal/policies/qa_list.html",
        {
            "page_obj": page,
            "by_policy": by_policy,
            "by_unit": by_unit,
            "policy": policy,
            "organisation": organisation,
            "unit": unit,
        },
    )


def qa_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(
        ps.public_qa_entries().select_related("organisation", "unit", "policy"), pk=pk
    )
    return render(
        request,
        "portal/policies/qa_detail.html",
        {"entry": entry, "answer_html": sanitize_html(entry.answer)},
    )
