"""Search benchmark (issue 3): `python -m benchmarks.search [--documents N]`.

Builds a corpus with `gongkai demo --documents N` in its own SQLite file under var/bench/,
rebuilds the index, then prints JSON lines (and only JSON lines) on stdout:
index build time/size/rate; p50/p95/p99 latency of >= 200 fixed queries end to end through
GET /api/v1/search (Django test client, in process) for the default engine and for a second
replica (the multi-server arrangement), and raw tantivy on the same tokens and queries; and the
publish-to-visible latency. Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

COMMON = ["政务公开", "工作", "通知", "管理", "建设", "服务", "企业", "实施", "发展", "信息"]
MEDIUM = [
    "营商环境",
    "政策解读",
    "依申请公开",
    "预算",
    "安全生产",
    "乡村振兴",
    "数字政府",
    "养老",
    "教育",
    "医疗保障",
    "生态环境",
    "财政",
    "就业",
    "统计",
    "招标",
]
RARE = [
    "海绵城市",
    "窨井盖",
    "留抵退税",
    "适老化",
    "门诊共济",
    "择校费",
    "公租房",
    "专项债券",
    "双随机",
    "创新券",
    "三公经费",
    "防汛防台",
]
DOCNUMS = ["杭政办〔2020〕6号", "杭政发[2021]15号", "杭政办（2022）11号"]


def emit(record: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def note(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def percentiles(values: list[float]) -> dict[str, float]:
    values = sorted(values)
    if not values:
        return {}

    def pct(p: float) -> float:
        k = min(len(values) - 1, max(0, round(p / 100 * len(values) + 0.5) - 1))
        return round(values[k], 2)

    return {
        "p50": pct(50),
        "p95": pct(95),
        "p99": pct(99),
        "max": round(values[-1], 2),
        "mean": round(statistics.fmean(values), 2),
        "n": len(values),
    }


def make_queries(facet_values: dict[str, list[Any]], n: int = 240) -> list[dict[str, Any]]:
    """A fixed (seeded) mix: 1-4 terms, common/rare, with/without facets, page 1 and deep."""
    rng = random.Random(20261123)
    out: list[dict[str, Any]] = []
    pools = {"common": COMMON, "medium": MEDIUM, "rare": RARE}
    classes = [
        (terms, pool, facet, deep)
        for terms in (1, 2, 3, 4)
        for pool in ("common", "medium", "rare")
        for facet in (False, True)
        for deep in (False, True)
    ]
    i = 0
    while len(out) < n:
        terms, pool, facet, deep = classes[i % len(classes)]
        i += 1
        words = [rng.choice(pools[pool]) for _ in range(terms)]
        if terms > 1 and pool == "rare":
            words = [rng.choice(RARE)] + [rng.choice(COMMON) for _ in range(terms - 1)]
        params: dict[str, Any] = {"q": " ".join(dict.fromkeys(words))}
        if facet:
            name = rng.choice([k for k, v in facet_values.items() if v])
            params[name] = rng.choice(facet_values[name])
        if deep:
            params["page"] = 50
        out.append(
            {
                "class": f"{terms}t-{pool}-{'facet' if facet else 'nofacet'}-"
                f"{'deep' if deep else 'first'}",
                "params": params,
            }
        )
    for docnum in DOCNUMS:
        out.append({"class": "docnum", "params": {"q": docnum}})
    return out


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description="Gongkai search benchmark")
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=240)
    parser.add_argument("--rebuild-db", action="store_true", help="regenerate the corpus")
    parser.add_argument(
        "--reuse-index",
        action="store_true",
        help="query the existing index instead of rebuilding it (no index_build line)",
    )
    args = parser.parse_args()
    if args.queries < 200:
        parser.error("--queries must be at least 200")

    bench = ROOT / "var" / "bench"
    bench.mkdir(parents=True, exist_ok=True)
    db_path = bench / f"search-{args.documents}.sqlite3"
    if args.rebuild_db:
        for p in bench.glob(f"search-{args.documents}.sqlite3*"):
            p.unlink()
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ["GONGKAI_SEARCH_DIR"] = str(bench / f"index-{args.documents}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings.dev")
    os.environ.setdefault("GONGKAI_LOG_LEVEL", "ERROR")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import io

    import tantivy
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings

    from gongkai.catalogue.models import InformationItem
    from gongkai.search.engine import Engine, SearchParams, Visibility, get_engine

    # Bulk loading goes around the signals anyway; don't apply the log after every demo commit.
    settings.GONGKAI_SEARCH_APPLY_ON_COMMIT = False
    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    call_command("migrate", verbosity=0)
    have = InformationItem.objects.count()
    if have < args.documents:
        note(f"generating {args.documents - have} documents with `gongkai demo --documents` …")
        started = time.perf_counter()
        buf = io.StringIO()
        call_command("demo", documents=args.documents - have, stdout=buf)
        emit(
            {
                "bench": "search",
                "step": "corpus",
                "documents": args.documents,
                "seconds": round(time.perf_counter() - started, 2),
                "demo": buf.getvalue().strip(),
            }
        )
    settings.GONGKAI_SEARCH_APPLY_ON_COMMIT = True
    total_items = InformationItem.objects.count()

    # ---------------------------------------------------------------- index build
    engine = get_engine()
    import resource

    def cpu() -> float:
        own = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

    if args.reuse_index and engine.read_current():
        note("reusing the existing index (--reuse-index) …")
    else:
        note("building the index …")
        cpu0 = cpu()
        started = time.perf_counter()
        count = engine.rebuild()
        seconds = time.perf_counter() - started
        cpu_seconds = cpu() - cpu0
        gen_dir = engine.base / engine.read_current()
        text_bytes = sum(
            len((t or "").encode()) + len((b or "").encode())
            for t, b in InformationItem.objects.values_list("title", "body_text").iterator(
                chunk_size=5000
            )
        )
        emit(
            {
                "bench": "search",
                "step": "index_build",
                "engine": "tantivy-embedded",
                "documents": count,
                "items_in_db": total_items,
                "seconds": round(seconds, 2),
                "docs_per_second": round(count / seconds, 1),
                # CPU time of this process and its tokenising workers: comparable across runs on a
                # shared machine, where wall time depends on what else runs.
                "cpu_seconds": round(cpu_seconds, 1),
                "docs_per_cpu_second": round(count / cpu_seconds, 1),
                "load_average_1m": round(os.getloadavg()[0], 2),
                "index_bytes": dir_size(gen_dir),
                "text_bytes": text_bytes,
                "size_over_text": round(dir_size(gen_dir) / max(1, text_bytes), 3),
            }
        )

    # ---------------------------------------------------------------- queries
    engine.catch_up()
    facets = engine.search(
        SearchParams(q="", facets=True, facet_size=20), Visibility.public()
    ).facets
    facet_values = {
        k: list(v)[:10]
        for k, v in facets.items()
        if k in ("org", "year", "type", "policy_kind", "topic", "audience")
    }
    queries = make_queries(facet_values, args.queries)
    client = Client()

    def run_api(label: str) -> dict[str, list[str]]:
        for q in queries[:20]:  # warm-up
            client.get("/api/v1/search", q["params"])
        times: dict[str, list[float]] = {}
        tops: dict[str, list[str]] = {}
        cpu_times: list[float] = []
        for n, q in enumerate(queries):
            t0 = time.perf_counter()
            c0 = time.process_time()
            response = client.get("/api/v1/search", q["params"])
            ms = (time.perf_counter() - t0) * 1000
            cpu_times.append((time.process_time() - c0) * 1000)
            assert response.status_code == 200, response.content[:300]
            data = response.json()
            tops[str(n)] = [f"{h['type']}:{h['id']}" for h in data["hits"]]
            times.setdefault(q["class"].split("-")[0], []).append(ms)
            times.setdefault("deep" if "deep" in q["class"] else "first", []).append(ms)
            times.setdefault("facet" if "-facet-" in q["class"] else "nofacet", []).append(ms)
            times.setdefault(
                q["class"].split("-")[1] if "-" in q["class"] else q["class"], []
            ).append(ms)
            times.setdefault("all", []).append(ms)
        emit(
            {
                "bench": "search",
                "step": "query_latency_ms",
                "engine": label,
                "path": "/api/v1/search (facets+snippets)",
                "queries": len(queries),
                **{"all": percentiles(times.pop("all"))},
                # CPU time of this process per query: what the query costs when the machine
                # is not shared (wall times above include waiting for the CPU).
                "cpu_ms": percentiles(cpu_times),
                "load_average_1m": round(os.getloadavg()[0], 2),
                "by_class": {k: percentiles(v) for k, v in sorted(times.items())},
            }
        )
        return tops

    note("querying the default engine …")
    default_tops = run_api("tantivy-embedded (default, change-log replica)")

    # ---------------------------------------------------------------- second replica
    replica_dir = bench / f"index-{args.documents}-replica"
    shutil.rmtree(replica_dir, ignore_errors=True)
    shutil.copytree(engine.base, replica_dir, ignore=shutil.ignore_patterns("apply.lock"))
    with override_settings(GONGKAI_SEARCH_DIR=replica_dir):
        note("querying the second replica …")
        replica_tops = run_api("tantivy-embedded, second server replica (multi-server)")
        same = sum(1 for k in default_tops if default_tops[k] == replica_tops[k])
        emit(
            {
                "bench": "search",
                "step": "replica_agreement",
                "queries": len(default_tops),
                "identical_top_pages": same,
            }
        )

    # ---------------------------------------------------------------- raw tantivy reference
    note("raw tantivy …")
    raw = Engine(engine.base)
    raw.ensure_open()
    searcher = raw.index.searcher()  # type: ignore[union-attr]
    from gongkai.search.engine import FACET_FIELDS
    from gongkai.search.forms import parse_query

    facet_aggs = {name: {"terms": {"field": name, "size": 50}} for name in FACET_FIELDS}

    def raw_run(with_aggs: bool) -> dict[str, Any]:
        times: list[float] = []
        cpu_times: list[float] = []
        by_class: dict[str, list[float]] = {}
        for q in queries:
            parsed = parse_query(q["params"])
            params = SearchParams(
                q=parsed.q, filters=parsed.filters, offset=(parsed.page - 1) * 10, limit=10
            )
            t0 = time.perf_counter()
            c0 = time.process_time()
            query, _runs = raw.build_query(params, Visibility.public())
            result = searcher.search(
                query, limit=10, offset=params.offset, weight_by_field="recency"
            )
            for _score, addr in result.hits:
                searcher.doc(addr)
            if with_aggs and result.count:
                searcher.aggregate(query, facet_aggs)
            ms = (time.perf_counter() - t0) * 1000
            cpu_times.append((time.process_time() - c0) * 1000)
            times.append(ms)
            parts = q["class"].split("-")
            for name in (parts[0], *parts[1:2], "deep" if "deep" in parts else "first"):
                by_class.setdefault(name, []).append(ms)
        return {
            "all": percentiles(times),
            "cpu_ms": percentiles(cpu_times),
            "by_class": {k: percentiles(v) for k, v in sorted(by_class.items())},
        }

    emit(
        {
            "bench": "search",
            "step": "query_latency_ms",
            "engine": "raw tantivy (same tokens, same queries, top-10 + count + stored docs)",
            **raw_run(False),
        }
    )
    emit(
        {
            "bench": "search",
            "step": "query_latency_ms",
            "engine": "raw tantivy + exact facet aggregation",
            **raw_run(True),
        }
    )
    del tantivy

    # ---------------------------------------------------------------- publish → visible
    note("publish-to-visible …")
    from gongkai.accounts.models import Organisation

    org = Organisation.objects.order_by("id").first()
    same_proc: list[float] = []
    other_replica: list[float] = []
    for n in range(20):
        title = f"基准发布可见性测试文件第{n}号甲乙丙"
        t0 = time.perf_counter()
        item = InformationItem.objects.create(
            index_number=f"BENCH-{time.time_ns()}",
            organisation=org,
            title=title,
            status="published",
        )
        found = engine.search(SearchParams(q=title, facets=False), Visibility.public())
        same_proc.append((time.perf_counter() - t0) * 1000)
        assert found.hits
        assert found.hits[0].key == f"item:{item.pk}"
        with override_settings(GONGKAI_SEARCH_DIR=replica_dir):
            t1 = time.perf_counter()
            found = get_engine().search(SearchParams(q=title, facets=False), Visibility.public())
            other_replica.append((time.perf_counter() - t0) * 1000)
            assert found.hits, (t1, found)
            assert found.hits[0].key == f"item:{item.pk}", (t1, found)
        item.delete()
    emit(
        {
            "bench": "search",
            "step": "publish_to_visible_ms",
            "same_process": percentiles(same_proc),
            "other_replica": percentiles(other_replica),
        }
    )


if __name__ == "__main__":
    main()
