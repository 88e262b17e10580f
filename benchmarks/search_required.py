"""The candidates' required terms (ADR 0002 addendum 8), with and without, on the corpus and
index `benchmarks.search` built (var/bench/), read only:
`python -m benchmarks.search_required --documents N [--rounds 2]`.

Prints JSON lines:

- ``cpu_ms``: engine.search in process (facets on, facet cache cleared before each query) for
  the search benchmark's queries and the judged queries, with and without the requirement
  alternating per query (and which goes first), CPU ms (time.process_time) per class;
- ``first_pages``: how many pages are identical with and without, and how many first pages of
  broad queries equal the full evaluation's (``Engine._exact``: every match scored).

Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.data.judged_search import TOPICS  # noqa: E402
from benchmarks.search import (  # noqa: E402
    emit,
    make_queries,
    note,
    percentiles,
    query_classes,
    use_bench_corpus,
)


def main() -> None:
    parser = argparse.ArgumentParser(description="required rarest terms, with and without")
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=240)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()

    use_bench_corpus(args.documents)
    import django

    django.setup()
    from gongkai.search.engine import SearchParams, Visibility, get_engine, ranking
    from gongkai.search.engine.broad import broad_candidates, candidates
    from gongkai.search.engine.query import query_runs
    from gongkai.search.forms import parse_query

    engine = get_engine()
    engine.catch_up()
    visibility = Visibility.public()
    shares = (ranking.REQUIRE_SHARE, ranking.REQUIRE_SHARE_FILTERED)

    def required(on: bool) -> None:
        # A negative share is below every document frequency: never required.
        ranking.REQUIRE_SHARE, ranking.REQUIRE_SHARE_FILTERED = shares if on else (-1.0, -1.0)

    def params_of(raw: dict[str, Any], *, facets: bool = True) -> SearchParams:
        parsed = parse_query(raw)
        return SearchParams(
            q=parsed.q,
            filters=parsed.filters,
            offset=(parsed.page - 1) * 10,
            limit=10,
            facets=facets,
        )

    facets = engine.search(SearchParams(q="", facets=True, facet_size=20), visibility).facets
    facet_values = {
        k: list(v)[:10]
        for k, v in facets.items()
        if k in ("org", "year", "type", "policy_kind", "topic", "audience")
    }
    queries = make_queries(facet_values, args.queries)
    queries += [{"class": "judged", "params": {"q": topic.query}} for topic in TOPICS]
    for q in make_queries(facet_values, 40, seed=7):  # warm-up, not measured
        for on in (True, False):
            required(on)
            engine.search(params_of(q["params"]), visibility)

    note(f"{len(queries)} queries × {args.rounds} rounds, with and without …")
    cpu: dict[bool, dict[str, list[float]]] = {True: {}, False: {}}
    same = 0
    for r in range(args.rounds):
        for n, q in enumerate(queries):
            keys = {}
            for on in (True, False) if (n + r) % 2 == 0 else (False, True):
                required(on)
                engine.facets.clear_cache()
                c0 = time.process_time()
                found = engine.search(params_of(q["params"]), visibility)
                ms = (time.process_time() - c0) * 1000
                keys[on] = [hit.key for hit in found.hits]
                for name in query_classes(q["class"]):
                    cpu[on].setdefault(name, []).append(ms)
            same += r == 0 and keys[True] == keys[False]
    for on in (False, True):
        emit(
            {
                "bench": "search_required",
                "step": "cpu_ms",
                "method": "engine.search in process (facets, facet cache cleared), "
                f"required rarest terms {'on' if on else 'off'}, alternating per query with "
                f"the other, {args.rounds} rounds; time.process_time",
                "load_average_1m": round(os.getloadavg()[0], 2),
                "by_class": {k: percentiles(v) for k, v in sorted(cpu[on].items())},
            }
        )

    note("first pages against the full evaluation …")
    searcher = engine.index.searcher()  # type: ignore[union-attr]  # open after catch_up
    broad = {True: 0, False: 0}
    overlap = {True: 0, False: 0}
    pages = 0
    for q in queries:
        params = params_of(q["params"], facets=False)
        runs = query_runs(params)
        if params.offset or not runs or candidates(searcher, params, runs) <= broad_candidates():
            continue
        pages += 1
        full = [
            str(searcher.doc(address)["key"][0])
            for _score, address in engine._exact(searcher, params, visibility).hits
        ]
        for on in (True, False):
            required(on)
            keys = [hit.key for hit in engine.search(params, visibility).hits]
            broad[on] += keys == full
            overlap[on] += len(set(keys) & set(full))
    required(True)
    emit(
        {
            "bench": "search_required",
            "step": "first_pages",
            "method": "pages identical with and without; first pages of broad queries equal "
            "to the full evaluation (Engine._exact, every match scored)",
            "queries": len(queries),
            "identical_pages": same,
            "broad_first_pages": pages,
            "equal_to_full_with": broad[True],
            "equal_to_full_without": broad[False],
            "top10_overlap_with": overlap[True],
            "top10_overlap_without": overlap[False],
        }
    )


if __name__ == "__main__":
    main()
