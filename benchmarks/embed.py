"""Free-text needs on the demo world: recall@10 of keyword-only vs keyword + meaning (issue 14
item 4). `python -m benchmarks.embed` (`make bench-embed`).

Builds the demo world (``gongkai demo``) in a benchmark database under var/bench/ (SQLite unless
DATABASE_URL is set; kept between runs), then answers every need of the judged set
``benchmarks/data/policy_needs.jsonl`` — each need with the valid policies a person asking it
should be shown (title fragments) — with the keyword engine alone and with the hybrid ranking
(``gongkai.search.semantic``). Prints JSON lines only: one per method with recall@10 and the
latency per query (recall@3 and MRR too: the demo world has only 36 valid
policies, so @10 is a quarter of them), and the vector store's build time.
"""

import argparse
import io
import json
import os
import statistics
import time
from pathlib import Path

DATA = Path(__file__).parent / "data" / "policy_needs.jsonl"
K = 10


def emit(**fields: object) -> None:
    print(json.dumps(fields, ensure_ascii=False), flush=True)


def judged_set() -> list[dict]:
    return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line]


def _setup(base: Path) -> None:
    base.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{base / 'embed.sqlite3'}")
    os.environ.setdefault("GONGKAI_SEARCH_DIR", str(base / "embed-search"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command

    quiet = io.StringIO()
    call_command("migrate", "--noinput", stdout=quiet, stderr=quiet)
    call_command("demo", "--if-empty", stdout=quiet, stderr=quiet)


def relevant_keys(fragments: list[str]) -> set[str]:
    from gongkai.catalogue.models import InformationItem
    from gongkai.search.registry import make_key

    keys: set[str] = set()
    for fragment in fragments:
        found = list(
            InformationItem.objects.filter(
                title__contains=fragment,
                validity="valid",
                revision_of=None,
                status="published",
                disclosure="proactive",
            )
            .exclude(policy_kind="")
            .values_list("pk", flat=True)
        )
        if not found:
            raise SystemExit(f"judged set: no valid demo policy matches {fragment!r}")
        keys.update(make_key("item", pk) for pk in found)
    return keys


def recall(found: list[str], relevant: set[str], k: int = K) -> float:
    return len(set(found[:k]) & relevant) / len(relevant)


def reciprocal_rank(found: list[str], relevant: set[str]) -> float:
    return next((1.0 / (i + 1) for i, key in enumerate(found) if key in relevant), 0.0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", default="var/bench", help="where the benchmark database lives")
    args = parser.parse_args()
    _setup(Path(args.dir))

    from gongkai.search import semantic
    from gongkai.search.engine import get_engine

    get_engine().catch_up()
    start = time.perf_counter()
    embedded = semantic.get_store().rebuild()
    emit(
        bench="embed",
        step="vector_store_rebuild",
        model=semantic.MODEL_ID,
        documents=embedded,
        seconds=round(time.perf_counter() - start, 3),
    )
    needs = judged_set()
    judged = [(n["need"], relevant_keys(n["relevant"])) for n in needs]
    semantic.embed_query("预热")  # the model's first call maps its file: not a query's cost
    methods = {
        "keyword": lambda q: semantic.keyword_policy_keys(q, K),
        "semantic": lambda q: [k for k, _s in semantic.semantic_policy_keys(q, K)],
        "hybrid_rrf": lambda q: [r.key for r in semantic.hybrid_policy_search(q, K)],
    }
    for method, answer in methods.items():
        recalls, recalls3, rrs, latencies = [], [], [], []
        for need, relevant in judged:
            t0 = time.perf_counter()
            found = answer(need)
            latencies.append(time.perf_counter() - t0)
            recalls.append(recall(found, relevant))
            recalls3.append(recall(found, relevant, 3))
            rrs.append(reciprocal_rank(found, relevant))
        emit(
            bench="embed",
            method=method,
            needs=len(judged),
            recall_at_10=round(statistics.mean(recalls), 3),
            recall_at_3=round(statistics.mean(recalls3), 3),
            mrr=round(statistics.mean(rrs), 3),
            latency_ms_median=round(statistics.median(latencies) * 1000, 1),
            latency_ms_max=round(max(latencies) * 1000, 1),
        )


if __name__ == "__main__":
    main()
