"""Shared view helpers: run a search from a request and build the links of the results page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, QueryDict

from .forms import parse_query
from .selectors import FACET_TITLES, Page, run_search


class _Toggles:
    """The facet links of one results page: the query with one value of a facet switched on or
    off (comma-separated values split, ``page`` dropped), as copying the ``QueryDict``,
    ``setlist`` and ``urlencode()`` printed it — but the query's pairs are quoted once per page
    instead of the query being deep-copied and quoted again for each of the fifty-odd links (a
    quarter of the page's CPU, issue 17). ``portal/tests/test_search_page.py`` compares it with
    that copy on queries with repeats, commas and new names."""

    def __init__(self, query: QueryDict) -> None:
        self.lists = [(k, v) for k, v in query.lists() if k != "page"]
        self.encoding = query.encoding
        self.quoted: dict[tuple[str, str], str] = {}

    def _pair(self, key: str, value: str) -> str:
        pair = self.quoted.get((key, value))
        if pair is None:
            # What QueryDict.urlencode() prints for one pair.
            pair = urlencode({key.encode(self.encoding): value.encode(self.encoding)})
            self.quoted[(key, value)] = pair
        return pair

    def url(self, name: str, value: Any) -> str:
        if name == "page":  # never a facet; the copy's pop would remove the value again
            raise ValueError("page is not a facet")
        value = str(value)
        parts: list[str] = []
        found = False
        for key, values in self.lists:
            if key == name:
                found = True
                values = [v for part in values for v in part.split(",") if v]
                if value in values:
                    values.remove(value)  # the first only, as list.remove on the copy did
                else:
                    values.append(value)
            parts.extend(self._pair(key, str(v)) for v in values)
        if not found:  # QueryDict.setlist appends a new name after the others
            parts.append(self._pair(name, value))
        return "?" + "&".join(parts)


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
    toggles = _Toggles(request.GET)
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
                            "url": toggles.url(name, v.value),
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
