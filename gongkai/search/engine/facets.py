"""Facet counts and match totals: tantivy terms aggregations on fast fields, exact or counted on
a sample of the index slices and scaled, cached per (query, filters, viewer, index state)."""

from __future__ import annotations

from typing import Any

import tantivy

from .params import SearchParams, Visibility, count_of
from .schema import FACET_FIELDS, INT_FACETS, SAMPLE_SLICES

FACET_CACHE_SIZE = 256

Facets = dict[str, dict[Any, int]]


class FacetCounter:
    def __init__(self, schema: tantivy.Schema):
        self.schema = schema
        self._cache: dict[tuple[Any, ...], tuple[Facets, int]] = {}

    def clear_cache(self) -> None:
        """Forget every cached count (benchmarks compare uncached queries)."""
        self._cache.clear()

    def counts(
        self,
        searcher: Any,
        query: Any,
        params: SearchParams,
        visibility: Visibility,
        slices: int,
        *,
        index_state: tuple[Any, ...],
        path: str = "exact",
    ) -> tuple[Facets, int]:
        """Facet counts and the number of matches, counted on ``slices`` of the
        SAMPLE_SLICES slices of the index and scaled (all of them: exact). They do not change
        from page to page: the last few are kept per index state."""
        key = (path, *index_state, *_query_key(params, visibility), slices)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._count(searcher, query, params, slices)
            if len(self._cache) >= FACET_CACHE_SIZE:
                self._cache.pop(next(iter(self._cache)))
            self._cache[key] = cached
        return cached

    def _count(
        self, searcher: Any, query: Any, params: SearchParams, slices: int
    ) -> tuple[Facets, int]:
        if slices < SAMPLE_SLICES:
            # A term set, not a range: tantivy lets a term set's posting lists lead the
            # intersection, while a fast-field range nested in a boolean query does not.
            sample = tantivy.Query.term_set_query(self.schema, "sample", list(range(slices)))
            query = tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, query), (tantivy.Occur.Must, sample)]
            )
        scale = SAMPLE_SLICES / slices
        if not params.facets:
            return {}, round(count_of(searcher.search(query, limit=1)) * scale)
        agg = {name: {"terms": {"field": name, "size": params.facet_size}} for name in FACET_FIELDS}
        out = _scaled_buckets(searcher.aggregate(query, agg), scale)
        if slices < SAMPLE_SLICES:
            out["_approximate"] = {1: 1}
        # Every document has exactly one type, so the type counts add up to the matches.
        return out, sum(out["type"].values())


def _query_key(params: SearchParams, visibility: Visibility) -> tuple[Any, ...]:
    """What the counts depend on besides the index state (not the page nor the sort)."""
    return (
        params.q,
        repr(sorted(params.filters.items())),
        params.date_from,
        params.date_to,
        params.facet_size,
        params.facets,
        visibility.staff,
        None if visibility.org_ids is None else tuple(sorted(visibility.org_ids)),
    )


def _scaled_buckets(raw: dict[str, Any], scale: float) -> Facets:
    """{facet: {value: count × scale}} from a tantivy aggregation, values typed as indexed."""
    out: Facets = {}
    for name in FACET_FIELDS:
        buckets = raw.get(name, {}).get("buckets", [])
        out[name] = {
            (int(b["key"]) if name in INT_FACETS else b["key"]): round(int(b["doc_count"]) * scale)
            for b in buckets
        }
    return out
