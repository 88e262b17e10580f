"""Broad queries: terms so common that scoring every match would take too long (a million
documents, `政务公开` in half of them). See docs/adr/0002-search-engine.md, "Broad queries".

The page is built without evaluating every match:

- the total and the facet counts are counted on a fixed slice of the index and scaled (the
  result says they are estimates);
- by relevance, the real query (phrases, weights, the prior) ranks the best few hundred
  candidates by bigram BM25, which tantivy finds with block-max WAND (ranking.py); a page
  beyond the candidates continues with the other matches, newest first;
- by date, the newest matches.

"Newest first" looks only at the most recent documents, in a window grown until it holds
enough matches, so it is exact: nothing older can come before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import tantivy
from django.conf import settings

from .facets import FacetCounter
from .params import Found, SearchParams, Visibility, count_of, filter_values
from .query import BOOST_BODY, BOOST_DOC_NUMBER, BOOST_TITLE, QueryBuilder, is_lone_char, run_grams
from .ranking import TopK, candidate_count, uid_query
from .schema import SAMPLE_SLICES, day_number

# Above this many candidate documents (see ``candidates``) a query goes the broad way;
# GONGKAI_SEARCH_BROAD_CANDIDATES overrides it. On this 2-core machine, verifying a common
# bigram phrase costs about 0.8 µs per candidate, so 25,000 candidates stay near 20 ms.
BROAD_CANDIDATES = 25_000
# A broad query counts on as many of the SAMPLE_SLICES slices as hold about this many documents.
SAMPLE_CANDIDATES = 16_000
NEWEST_MIN_WINDOW = 2_000  # documents in the smallest "newest first" window
DAY_BUCKET = 30  # days per bucket when sizing that window

Q, Occur = tantivy.Query, tantivy.Occur


def broad_candidates() -> int:
    return int(getattr(settings, "GONGKAI_SEARCH_BROAD_CANDIDATES", BROAD_CANDIDATES))


def candidates(searcher: Any, params: SearchParams, runs: list[str]) -> int:
    """An upper bound of the documents a query has to look at, from the term statistics:
    the rarest bigram of any run (or the character of a one-character run), or the smallest
    facet filter."""
    bound = int(searcher.num_docs)
    for run in runs:
        if is_lone_char(run):
            bound = min(bound, int(searcher.doc_freq("chars", run)))
        else:
            bound = min(bound, min(int(searcher.doc_freq("full", g)) for g in run_grams(run)))
    for name, values in filter_values(params).items():
        bound = min(bound, sum(int(searcher.doc_freq(name, v)) for v in values))
    return bound


def sample_slices(num_docs: int) -> int:
    """How many slices hold about SAMPLE_CANDIDATES documents (all of them: exact counts)."""
    return max(1, min(SAMPLE_SLICES, SAMPLE_SLICES * SAMPLE_CANDIDATES // max(1, num_docs)))


@dataclass
class _Page:
    """The part of the page found so far and how many matches are known to exist."""

    hits: list[tuple[float, Any]]
    lower: int = 0  # matches known to exist
    known: bool = False  # ``lower`` is the exact total


class BroadSearch:
    def __init__(self, schema: tantivy.Schema, queries: QueryBuilder, facets: FacetCounter):
        self.schema = schema
        self.queries = queries
        self.facets = facets
        self._buckets: tuple[Any, list[tuple[int, int]]] = (None, [])
        self.topk = TopK(
            schema, {"full": BOOST_BODY, "title": BOOST_TITLE, "doc_number": BOOST_DOC_NUMBER}
        )

    def find(
        self,
        searcher: Any,
        params: SearchParams,
        visibility: Visibility,
        runs: list[str],
        *,
        index_state: tuple[Any, ...],
        path: str = "broad",
        relaxed: bool = False,
    ) -> Found | None:
        """The page, the (estimated) total and facets; None when the slice holds no match at
        all (the caller then evaluates in full, relaxing the query if needed)."""
        filters = [
            (Occur.Must, Q.const_score_query(f, 0.0))
            for f in self.queries.filters(params, visibility)
        ]
        matching = Q.boolean_query([(Occur.Must, self._match(runs)), *filters])
        docs = max(1, int(searcher.num_docs))
        slices = sample_slices(docs)
        facets, estimate = self.facets.counts(
            searcher, matching, params, visibility, slices, index_state=index_state, path=path
        )
        if estimate == 0:
            return None
        page, rest = _Page(hits=[]), matching
        if runs and params.sort != "date":
            page, rest = self._ranked(searcher, params, visibility, runs, matching, relaxed)
        want = params.offset + params.limit
        if want > page.lower and not page.known:
            self._fill_newest(
                searcher,
                rest,
                params,
                page,
                density=estimate / docs,
                state=index_state,
                latest=latest_day(params),
            )
        return Found(
            hits=page.hits,
            total=page.lower if page.known else max(page.lower, estimate),
            facets=facets if params.facets else {},
            approximate=slices < SAMPLE_SLICES and not page.known,
        )

    def _match(self, runs: list[str]) -> Any:
        if not runs:
            return Q.all_query()
        return Q.boolean_query([(Occur.Must, self.queries.field_run("full", run)) for run in runs])

    def _ranked(
        self,
        searcher: Any,
        params: SearchParams,
        visibility: Visibility,
        runs: list[str],
        matching: Any,
        relaxed: bool,
    ) -> tuple[_Page, Any]:
        """The page ranked by relevance among the best candidates by bigram BM25 (ranking.py);
        and the query for the matches that were not candidates (newest first, only reached
        past the candidates: deep pages)."""
        wanted = candidate_count()
        # The facet and date filters narrow the candidates (so a filter keeping a tenth of the
        # index still yields ``wanted`` of them); visibility does not: nearly every document
        # is public, and intersecting with ``public`` doubled the cost of the pruned search.
        uids = self.topk.candidates(
            searcher,
            runs,
            wanted,
            filters=self.queries.content_filters(params),
            alternative=self.queries.exact_doc_number_clause(params),
        )
        query, query_runs = self.queries.build(params, visibility, relaxed=relaxed)
        hits, count = self.topk.verify(
            searcher,
            query,
            uids,
            query_runs,
            limit=params.limit,
            offset=params.offset,
            q=params.q,
        )
        page = _Page(
            hits=hits,
            lower=count,
            # Fewer candidates than asked for: every document with any of the query's bigrams
            # was verified, so the count is exact and there is nothing else.
            known=len(uids) < wanted,
        )
        others = uid_query(self.schema, uids)
        rest = Q.boolean_query([(Occur.Must, matching), (Occur.MustNot, others)])
        return page, rest

    def _fill_newest(
        self,
        searcher: Any,
        rest: Any,
        params: SearchParams,
        page: _Page,
        *,
        density: float,
        state: tuple[Any, ...],
        latest: int | None,
    ) -> None:
        """Complete the page with the newest of the other matches (score 0)."""
        in_tier = page.lower
        skip = max(0, params.offset - in_tier)
        want = params.offset + params.limit
        newest, complete = self.newest(
            searcher,
            rest,
            limit=want - in_tier - skip,
            offset=skip,
            density=density,
            state=state,
            latest=latest,
        )
        page.hits.extend((0.0, address) for _key, address in newest.hits)
        page.lower += count_of(newest)
        page.known = complete

    def newest(
        self,
        searcher: Any,
        query: Any,
        *,
        limit: int,
        offset: int,
        density: float,
        state: tuple[Any, ...],
        latest: int | None = None,
    ) -> tuple[Any, bool]:
        """The newest matches of ``query`` (by 发布日期), looking only at the most recent
        documents: a window of whole DAY_BUCKET-day buckets sized from the estimated density,
        grown 8× while it holds fewer than ``offset + limit`` matches. The window starts at the
        bucket of ``latest``, the last day the query's filters allow (a year, ``date_to``):
        newer documents cannot match, and counting from the newest document made a query for
        an old year grow its window up to the whole index. Returns the result and whether the
        window held every day that can match (then its count is exact)."""
        want = offset + limit
        buckets = self.day_buckets(searcher, state)
        target = max(NEWEST_MIN_WINDOW, want * 4 / max(density, 1e-9))
        while True:
            days = _window_days(buckets, target, latest)
            windowed = query
            if days is not None:
                # The window's days as a term set (see facets.py): its postings lead.
                windowed = Q.boolean_query(
                    [
                        (Occur.Must, query),
                        (Occur.Must, Q.term_set_query(self.schema, "day", days)),
                    ]
                )
            result = searcher.search(
                windowed,
                limit=limit,
                offset=offset,
                order_by_field="day",
                order=tantivy.Order.Desc,
            )
            if days is None or count_of(result) >= want:
                return result, days is None
            target *= 8

    def day_buckets(self, searcher: Any, state: tuple[Any, ...]) -> list[tuple[int, int]]:
        """(first day, documents) of each DAY_BUCKET-day bucket, newest first; once per index
        state."""
        state = (*state, int(searcher.num_docs))
        if self._buckets[0] != state:
            raw = searcher.aggregate(
                Q.all_query(),
                {"days": {"histogram": {"field": "day", "interval": DAY_BUCKET}}},
            )
            buckets = [
                (int(b["key"]), int(b["doc_count"]))
                for b in raw.get("days", {}).get("buckets", [])
                if int(b["doc_count"])
            ]
            self._buckets = (state, buckets[::-1])
        return self._buckets[1]


def _window_days(
    buckets: list[tuple[int, int]], target: float, latest: int | None = None
) -> list[int] | None:
    """The days of the newest whole buckets up to ``latest`` holding ``target`` documents;
    None when that is every bucket up to ``latest`` (no window: every day that can match)."""
    covered, end = 0, None
    for first_day, count in buckets:
        if latest is not None and first_day > latest:
            continue
        end = first_day + DAY_BUCKET if end is None else end
        covered += count
        if covered >= target:
            return list(range(first_day, end))
    return None


def latest_day(params: SearchParams) -> int | None:
    """The last day a query's filters let a document have (``date_to``, the latest 公开年份
    of a year filter); None when they do not bound it."""
    bounds = []
    if params.date_to:
        bounds.append(day_number(params.date_to))
    years = filter_values(params).get("year")
    if years:
        bounds.append(day_number(date(min(max(max(years), 1), 9999), 12, 31)))
    return min(bounds) if bounds else None
