"""Shared view helpers: run a search from a request and build the links of the results page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, QueryDict

from .forms import parse_query
from .selectors import FACET_TITLES, Page, run_search


def _toggle(query: QueryDict, name: str, value: Any) -> str:
    q = query.copy()
    values = [v for part in q.getlist(name) for v in part.split(",") if v]
    value = str(value)
    if value in values:
        values.remove(value)
    else:
        values.append(value)
    q.setlist(name, values)
    q.pop("page", None)
    return "?" + q.urlencode()


def _with(query: QueryDict, **changes: Any) -> str:
    q = query.copy()
    for name, value in changes.items():
        if value is None:
            q.pop(name, None)
        else:
            q[name] = str(value)
    return "?" + q.urlencode()


def _clear(query: QueryDict) -> str:
    """Without the filters; the query and the 政策文件/标题 switches stay."""
    q = QueryDict(mutable=True)
    for name in ("q", "scope", "field"):
        value = query.get(name)
        if value:
            q[name] = str(value)
    return "?" + q.urlencode()


def search_context(
    request: HttpRequest, *, staff_scope: bool, default_scope: str = "all"
) -> dict[str, Any]:
    parsed = parse_query(request.GET, default_scope=default_scope)
    result: Page | None = None
    if parsed.q or parsed.filters or parsed.date_from or parsed.date_to:
        result = run_search(user=request.user, staff_scope=staff_scope, **parsed.as_kwargs())
    facets = []
    if result is not None:
        for name, values in result.facets.items():
            if not values:
                continue
            facets.append(
                {
                    "name": name,
                    "title": FACET_TITLES[name],
                    "values": [
                        {
                            "label": v.label,
                            "count": v.count,
                            "selected": v.selected,
                            "url": _toggle(request.GET, name, v.value),
                        }
                        for v in values
                    ],
                }
            )
    pages: dict[str, Any] = {}
    if result is not None and result.total:
        pages = {
            "current": result.page,
            "count": result.num_pages,
            "prev": _with(request.GET, page=result.page - 1) if result.page > 1 else "",
            "next": _with(request.GET, page=result.page + 1)
            if result.page < result.num_pages
            else "",
            "first_index": (result.page - 1) * result.page_size + 1,
            "last_index": (result.page - 1) * result.page_size + len(result.hits),
        }
    return {
        "parsed": parsed,
        "result": result,
        "facets": facets,
        "pages": pages,
        "sort_relevance_url": _with(request.GET, sort=None, page=None),
        "sort_date_url": _with(request.GET, sort="date", page=None),
        "clear_filters_url": _clear(request.GET),
        "scope_urls": {
            "policy": _with(request.GET, scope="policy", page=None),
            "all": _with(request.GET, scope="all", page=None),
        },
    }
