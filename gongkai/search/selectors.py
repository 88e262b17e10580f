"""Search reads that encode who may see what, plus the labels of facet values."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import Role
from gongkai.accounts.selectors import is_staff_user, organisation_ids_for_role
from gongkai.core import page_cache

from . import text
from .engine import Hit, SearchParams, SearchResult, Visibility, get_engine
from .registry import (
    adapter_for_prefix,
    facet_choice_labels,
    facet_choices,
    facet_models,
    split_key,
    type_labels,
)

PAGE_SIZE = 10
MAX_PAGE_SIZE = 50
MAX_OFFSET = 10_000  # deeper pages are refused: nobody reads page 1,001

FACET_TITLES = {
    "type": _("内容类型"),
    "policy_kind": _("文件类型"),
    "org": _("发布机构"),
    "year": _("公开年份"),
    "topic": _("文件主题"),
    "audience": _("服务对象"),
    "special": _("特色分类"),
    "validity": _("有效性"),
}
FACET_ORDER = ("type", "policy_kind", "org", "year", "topic", "audience", "special", "validity")
INACTIVE_VALIDITY = {"expired", "repealed"}


def visibility_for(user: Any, *, staff_scope: bool) -> Visibility:
    """The public sees only public documents — whoever asks on the portal. In the back office
    a staff member also sees the non-public documents (drafts, 依申请公开, withdrawn) of the
    organisations where they edit, review or administer."""
    if not staff_scope or not is_staff_user(user):
        return Visibility.public()
    return Visibility(
        org_ids=organisation_ids_for_role(user, Role.EDITOR, Role.REVIEWER, Role.ADMIN),
        staff=True,
    )


@dataclass
class FacetValue:
    value: Any
    label: str
    count: int
    selected: bool = False


@dataclass
class Page:
    q: str
    total: int
    page: int
    page_size: int
    hits: list[dict[str, Any]]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    exact_url: str = ""
    facets_approximate: bool = False
    total_approximate: bool = False

    @property
    def num_pages(self) -> int:
        return max(1, -(-min(self.total, MAX_OFFSET + self.page_size) // self.page_size))


def run_search(
    *,
    user: Any,
    q: str = "",
    filters: dict[str, list[Any]] | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    sort: str = "relevance",
    page: int = 1,
    page_size: int = PAGE_SIZE,
    staff_scope: bool = False,
    facets: bool = True,
    title_only: bool = False,
) -> Page:
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    page = max(1, min(page, MAX_OFFSET // page_size + 1))
    params = SearchParams(
        q=q[:200],
        filters=filters or {},
        date_from=date_from,
        date_to=date_to,
        sort="date" if sort == "date" else "relevance",
        offset=(page - 1) * page_size,
        limit=page_size,
        facets=facets,
        title_only=title_only,
    )
    result = get_engine().search(params, visibility_for(user, staff_scope=staff_scope))
    out = Page(
        q=q,
        total=result.total,
        page=page,
        page_size=page_size,
        hits=[hit_dict(h, result, staff_scope=staff_scope) for h in result.hits],
        facets=facet_values(result, params.filters) if facets else {},
        facets_approximate=bool(result.facets.get("_approximate")),
        total_approximate=result.total_approximate,
    )
    if result.exact_doc_number:
        prefix, pk = split_key(result.exact_doc_number)
        adapter = adapter_for_prefix(prefix)
        kind = (
            "policy"
            if any(h.key == result.exact_doc_number and h.type == "policy" for h in result.hits)
            else prefix
        )
        out.exact_url = adapter.url(kind, pk) if adapter else ""
    return out


def hit_dict(hit: Hit, result: SearchResult, *, staff_scope: bool = False) -> dict[str, Any]:
    prefix, pk = split_key(hit.key)
    adapter = adapter_for_prefix(prefix)
    labels = type_labels()
    validity_labels = _validity_labels()
    snippet = text.highlight(hit.body, result.runs) if hit.body else ""
    return {
        "id": pk,
        "key": hit.key,
        "external_id": hit.external_id or None,
        "type": hit.type,
        "type_label": str(labels.get(hit.type, hit.type)),
        "title": hit.title,
        "title_html": text.highlight(hit.title, result.runs, width=400),
        "doc_number": hit.doc_number,
        "url": _hit_url(adapter, hit, pk, staff_scope),
        "status": hit.status,
        "snippet": snippet,
        "published": hit.published or None,
        "score": round(hit.score, 4),
        "validity": hit.validity,
        "validity_label": str(validity_labels.get(hit.validity, "")) if hit.validity else "",
        # 废止/失效 documents stay findable but are marked (issue 3 §2).
        "inactive": hit.validity in INACTIVE_VALIDITY,
    }


def _hit_url(adapter: Any, hit: Hit, pk: int, staff_scope: bool) -> str:
    if adapter is None:
        return ""
    if staff_scope and adapter.staff_url is not None:
        return adapter.staff_url(hit.type, pk)
    return adapter.url(hit.type, pk)


def _validity_labels() -> dict[str, Any]:
    return facet_choice_labels("validity")


_NAMES: dict[Any, tuple[float, int, dict[int, str]]] = {}
NAMES_TTL_SECONDS = 60.0


def _names(model: Any, wanted: Any = (), generation: int | None = None) -> dict[int, str]:
    """Facet labels: these small tables change rarely, so each process reads them at most
    once a minute instead of once per query — or at once when a value has no label yet, or
    when the table was written since (a 主题分类 or 服务对象 renamed in 公开管理): the page
    cache's table generation, kept in the shared cache, is bumped by every write on every
    server (``core.page_cache``), so a rename is never shown late."""
    now = time.monotonic()
    if generation is None:
        table = model._meta.db_table
        generation = page_cache.generations([table])[table]
    cached = _NAMES.get(model)
    if (
        cached is None
        or now - cached[0] > NAMES_TTL_SECONDS
        or cached[1] != generation
        or any(value not in cached[2] for value in wanted)
    ):
        cached = (now, generation, dict(model._default_manager.values_list("pk", "name")))
        _NAMES[model] = cached
    return cached[2]


def facet_values(
    result: SearchResult, selected: dict[str, list[Any]]
) -> dict[str, list[FacetValue]]:
    from gongkai.accounts.models import Organisation

    # Facet labels come from the content apps that registered them (search.registry).
    names: dict[str, dict[Any, Any]] = {"type": type_labels(), **facet_choices()}
    models: dict[str, Any] = {"org": Organisation, **facet_models()}
    # One round trip to the shared cache for the generations of every label table.
    tables = page_cache.generations({m._meta.db_table for m in models.values()})
    for facet, model in models.items():
        names[facet] = _names(model, result.facets.get(facet, {}), tables[model._meta.db_table])
    out: dict[str, list[FacetValue]] = {}
    for facet in FACET_ORDER:
        counts = result.facets.get(facet, {})
        chosen = {str(v) for v in selected.get(facet, [])}
        values = [
            FacetValue(
                value=value,
                label=str(value)
                if facet == "year"
                else str(names.get(facet, {}).get(value, value)),
                count=count,
                selected=str(value) in chosen,
            )
            for value, count in counts.items()
        ]
        if facet == "year":
            values.sort(key=lambda v: -int(v.value))
        else:
            values.sort(key=lambda v: (-v.count, str(v.value)))
        out[facet] = values
    return out
