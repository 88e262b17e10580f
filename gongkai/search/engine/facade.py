"""The ``Engine``: one per index base directory and process. It is this server's replica of
the change log (replica.py) and answers searches, choosing per query how to find the page:
exact phrases, the relaxed form of long runs, or the broad way."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import tantivy

from .. import text
from .broad import BroadSearch, broad_candidates, candidates
from .facets import FacetCounter
from .params import Found, Hit, SearchParams, SearchResult, Visibility, count_of
from .query import QueryBuilder, query_runs, relaxed_words
from .ranking import PriorRanker
from .replica import Replica
from .schema import SAMPLE_SLICES

RELAX_BELOW = 10  # strict phrase results below this → retry with the words of long runs
_DIGIT_RE = re.compile(r"\d")


class Engine(Replica):
    def __init__(self, base: Path):
        super().__init__(base)
        self.queries = QueryBuilder(self.schema)
        self.facets = FacetCounter(self.schema)
        self.broad = BroadSearch(self.schema, self.queries, self.facets)
        self.ranker = PriorRanker()

    def _index_state(self) -> tuple[Any, ...]:
        """What cached counts depend on: the generation and the log position loaded."""
        return (self.gen, self.loaded_applied)

    def build_query(
        self, params: SearchParams, visibility: Visibility, *, relaxed: bool = False
    ) -> tuple[Any, list[str]]:
        return self.queries.build(params, visibility, relaxed=relaxed)

    def search(self, params: SearchParams, visibility: Visibility) -> SearchResult:
        """Exact phrases first; only when they find fewer than RELAX_BELOW documents is the
        query relaxed to "every word of each long run" (see ``QueryBuilder.relaxed_run``).
        Common queries thus pay for one strict pass, and natural-language queries still find
        their match. A query whose terms are too common to evaluate in full goes the broad way
        (broad.py)."""
        self.catch_up()
        assert self.index is not None
        searcher = self.index.searcher()
        runs = query_runs(params)
        found = self._find(searcher, params, visibility, runs)
        return SearchResult(
            total=found.total,
            hits=[Hit.from_stored(searcher.doc(address), score) for score, address in found.hits],
            facets=found.facets,
            runs=runs,
            exact_doc_number=self._exact_doc_number(searcher, params, visibility, runs),
            total_approximate=found.approximate,
        )

    def _find(
        self, searcher: Any, params: SearchParams, visibility: Visibility, runs: list[str]
    ) -> Found:
        found: Found | None
        if candidates(searcher, params, runs) > broad_candidates():
            found = self.broad.find(  # None: no match in the slice
                searcher, params, visibility, runs, index_state=self._index_state()
            )
        else:
            found = self._exact(searcher, params, visibility)
        relaxable = any(relaxed_words(run) for run in runs)
        if relaxable and (found is None or found.total < RELAX_BELOW):
            return self._relaxed(searcher, params, visibility, runs)
        if found is None:
            return self._exact(searcher, params, visibility)
        return found

    def _exact(
        self, searcher: Any, params: SearchParams, visibility: Visibility, *, relaxed: bool = False
    ) -> Found:
        """Every match evaluated and scored."""
        query, runs = self.queries.build(params, visibility, relaxed=relaxed)
        hits, total = self._top(searcher, query, params, runs)
        facets: dict[str, dict[Any, int]] = {}
        if params.facets and total:
            facets = self.facets.counts(
                searcher,
                query,
                params,
                visibility,
                SAMPLE_SLICES,
                index_state=self._index_state(),
                path="relaxed" if relaxed else "exact",
            )[0]
        return Found(hits=hits, total=total, facets=facets)

    def _relaxed(
        self, searcher: Any, params: SearchParams, visibility: Visibility, runs: list[str]
    ) -> Found:
        """The query with each long run replaced by its words (``QueryBuilder.relaxed_run``);
        itself bounded, so it may go the broad way."""
        words = [word for run in runs for word in (relaxed_words(run) or [run])]
        if candidates(searcher, params, words) > broad_candidates():
            found = self.broad.find(
                searcher,
                params,
                visibility,
                words,
                index_state=self._index_state(),
                path="broad-relaxed",
                relaxed=True,
            )
            if found is not None:
                return found
        return self._exact(searcher, params, visibility, relaxed=True)

    def _top(
        self, searcher: Any, query: Any, params: SearchParams, runs: list[str]
    ) -> tuple[list[tuple[float, Any]], int]:
        """The page ((score, address); score 0 when sorted by date) and the total."""
        if params.sort == "date" or not runs:
            result = searcher.search(
                query,
                limit=params.limit,
                offset=params.offset,
                order_by_field="day",
                order=tantivy.Order.Desc,
            )
            return [(0.0, address) for _day, address in result.hits], count_of(result)
        return self.ranker.page(
            searcher,
            query,
            runs,
            q=params.q,
            limit=params.limit,
            offset=params.offset,
        )

    def _exact_doc_number(
        self, searcher: Any, params: SearchParams, visibility: Visibility, runs: list[str]
    ) -> str:
        """The key of the one visible document whose 文号 the query is, else ""."""
        docnum = text.normalise_doc_number(params.q)
        if not (docnum and runs and _DIGIT_RE.search(docnum)):  # a 文号 has a year and serial
            return ""
        Q, Occur = tantivy.Query, tantivy.Occur
        exact_query = Q.boolean_query(
            [
                (Occur.Must, self.queries.doc_number_term(docnum)),
                *[(Occur.Must, f) for f in self.queries.filters(SearchParams(), visibility)],
            ]
        )
        found = searcher.search(exact_query, limit=2)
        if len(found.hits) == 1:
            return str(searcher.doc(found.hits[0][1])["key"][0])
        return ""

    def doc_count(self, *, public_only: bool = False) -> int:
        self.catch_up()
        assert self.index is not None
        searcher = self.index.searcher()
        if public_only:
            return count_of(searcher.search(tantivy.Query.term_query(self.schema, "public", 1)))
        return int(searcher.num_docs)
