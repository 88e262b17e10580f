"""Where a search's CPU goes, step by step (issue 18): `python -m benchmarks.search_steps
--documents N` on the corpus and index `benchmarks.search` built (var/bench/), read only.

Runs the search benchmark's fixed queries and the judged queries end to end through
GET /api/v1/search (facet cache cleared before each, warm-up not measured) with timers around
the engine's steps, and prints one JSON line per query class: CPU ms per query (p50/p95/p99/mean)
of each step and of the whole request (and its wall-clock time, ``request_wall``). A step's
time includes the steps it calls (``verify`` includes ``rescore``); ``api`` is the request
minus ``engine.search``.

Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.search import (  # noqa: E402
    benchmark_queries,
    emit,
    note,
    percentiles,
    query_classes,
    use_bench_corpus,
)

_CPU: dict[str, float] = defaultdict(float)


def timed(owner: Any, name: str, label: str) -> None:
    """Wrap ``owner.name`` so its CPU time adds to ``_CPU[label]``."""
    inner = getattr(owner, name)

    @functools.wraps(inner)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        c0 = time.process_time()
        try:
            return inner(*args, **kwargs)
        finally:
            _CPU[label] += (time.process_time() - c0) * 1000

    setattr(owner, name, wrapper)


def main() -> None:
    parser = argparse.ArgumentParser(description="CPU per search step")
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=240)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--slowest", type=int, default=15, help="print the slowest queries")
    args = parser.parse_args()

    use_bench_corpus(args.documents)
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from gongkai.search import text
    from gongkai.search.engine import broad, facade, get_engine, ranking
    from gongkai.search.engine import facets as facets_module
    from gongkai.search.engine import params as params_module

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    settings.GONGKAI_RATE_LIMITS = {**settings.GONGKAI_RATE_LIMITS, "search": {}, "api": {}}
    engine = get_engine()
    engine.catch_up()

    steps = {
        (facade, "candidates", "bound"),
        (broad, "candidates", "bound"),
        (facets_module.FacetCounter, "_count", "facets"),
        (ranking.TopK, "candidates", "topk.candidates"),
        (ranking.TopK, "verify", "topk.verify"),
        (ranking.PriorRanker, "page", "ranker.page"),
        (ranking.PriorRanker, "rescored", "ranker.rescore"),
        (broad.BroadSearch, "_fill_newest", "newest"),
        (facade.Engine, "_exact", "exact"),
        (facade.Engine, "_exact_doc_number", "docnum"),
        (params_module.Hit, "from_stored", "hits.stored"),
        (text, "highlight", "snippets"),
        (facade.Engine, "search", "engine.search"),
    }
    for owner, name, label in steps:
        if isinstance(owner, type) and name == "from_stored":
            inner = owner.from_stored.__func__  # type: ignore[attr-defined]

            def stored(cls: Any, *a: Any, _inner: Any = inner, **k: Any) -> Any:
                c0 = time.process_time()
                try:
                    return _inner(cls, *a, **k)
                finally:
                    _CPU["hits.stored"] += (time.process_time() - c0) * 1000

            owner.from_stored = classmethod(stored)  # type: ignore[assignment]
        else:
            timed(owner, name, label)

    queries, warmup = benchmark_queries(engine, args.queries)
    client = Client()
    for q in warmup:
        client.get("/api/v1/search", q["params"])

    by_class: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    slowest: list[tuple[float, dict[str, Any], dict[str, float]]] = []
    note(f"{len(queries)} queries × {args.repeat} …")
    for _ in range(args.repeat):
        for q in queries:
            engine.facets.clear_cache()
            _CPU.clear()
            t0, c0 = time.perf_counter(), time.process_time()
            response = client.get("/api/v1/search", q["params"])
            total = (time.process_time() - c0) * 1000
            wall = (time.perf_counter() - t0) * 1000
            assert response.status_code == 200
            sample = dict(_CPU)
            sample["request"] = total
            sample["request_wall"] = wall
            sample["api"] = total - sample.get("engine.search", 0.0)
            slowest.append((total, q, sample))
            for cls in query_classes(q["class"]):
                for label, ms in sample.items():
                    by_class[cls][label].append(ms)
                by_class[cls]["_n"].append(1)
    labels = sorted({label for _o, _n, label in steps} | {"request", "request_wall", "api"})
    for cls, values in sorted(by_class.items()):
        n = len(values.pop("_n"))
        emit(
            {
                "bench": "search_steps",
                "class": cls,
                "queries": n,
                "method": "CPU ms (time.process_time) per query and step, end to end through "
                "GET /api/v1/search, facet cache cleared; p50/p95 over the queries where "
                "the step ran, mean over all queries of the class",
                "load_average_1m": round(os.getloadavg()[0], 2),
                "steps": {
                    label: {
                        "ran": len(values[label]),
                        "p50": percentiles(values[label]).get("p50"),
                        "p95": percentiles(values[label]).get("p95"),
                        "p99": percentiles(values[label]).get("p99"),
                        "mean_all": round(sum(values[label]) / n, 2),
                    }
                    for label in labels
                    if values.get(label)
                },
            }
        )

    for _total, q, sample in sorted(slowest, key=lambda s: -s[0])[: args.slowest]:
        emit(
            {
                "bench": "search_steps",
                "slow_query": q["params"],
                "class": q["class"],
                "steps": {k: round(v, 2) for k, v in sorted(sample.items())},
            }
        )


if __name__ == "__main__":
    main()
