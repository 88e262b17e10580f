"""Shared view helpers: run a search from a request and build the links of the results page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, QueryDict

from .forms import parse_query
from .selectors import FACET_TITLES, Page, run_search

# The results page links some fifty facet values, sort and scope switches, each a variant of the
# query string. Copying the QueryDict (a deep copy) and encoding it for every link was a quarter
# of the page's CPU (issue 17); these work on its (key, values) pairs instead and give the same
# string: the keys in the request's order, a changed key in place, a new one last, every value
# encoded as QueryDict.urlencode does (quote_plus, UTF-8).
Items = list[tuple[str, list[str]]]


def _set(items: Items, name: str, values: list[str] | None) -> None:
    """``setlist(name, values)``, or ``pop(name)`` when ``values`` is None."""
    for i, (key, _old) in enumerate(items):
        if key == name:
            if values is None:
                del items[i]
            else:
                items[i] = (key, values)
            return
    if values is not None:
        items.append((name, values))


def _encode(items: Items, encoded: dict[tuple[str, str], str] | None = None) -> str:
    """``"?" + urlencode(pairs)``, each ``k=v`` quoted once for all the links of one page
    (``encoded``): a link repeats the query's pairs, and quoting them again for each of the
    page's ~55 links was a tenth of its CPU (issue 17)."""
    if encoded is None:
        encoded = {}
    parts: list[str] = []
    for key, values in items:
        for value in values:
            pair = encoded.get((key, value))
            if pair is None:
                pair = encoded[(key, value)] = urlencode([(key, value)])
            parts.append(pair)
    return "?" + "&".join(parts)


def _toggle(
    query: QueryDict, name: str, value: Any, encoded: dict[tuple[str, str], str] | None = None
) -> str:
    values = [v for part in query.getlist(name) for v in part.split(",") if v]
    value = str(value)
    if value in values:
        values.remove(value)
    else:
        values.append(value)
    items: Items = list(query.lists())
    _set(items, name, values)
    _set(items, "page", None)
    return _encode(items, encoded)


def _with(
    query: QueryDict, encoded: dict[tuple[str, str], str] | None = None, **changes: Any
) -> str:
    items: Items = list(query.lists())
    for name, value in changes.items():
        _set(items, name, None if value is None else [str(value)])
    return _encode(items, encoded)


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
    encoded: dict[tuple[str, str], str] = {}
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
                            "url": _toggle(request.GET, name, v.value, encoded),
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
            "prev": _with(request.GET, encoded, page=result.page - 1) if result.page > 1 else "",
            "next": _with(request.GET, encoded, page=result.page + 1)
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
        "sort_relevance_url": _with(request.GET, encoded, sort=None, page=None),
        "sort_date_url": _with(request.GET, encoded, sort="date", page=None),
        "clear_filters_url": _clear(request.GET),
        "scope_urls": {
            "policy": _with(request.GET, encoded, scope="policy", page=None),
            "all": _with(request.GET, encoded, scope="all", page=None),
        },
    }
