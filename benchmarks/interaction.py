"""政民互动 at scale: `python -m benchmarks.interaction [--messages N]` (default 1,000,000).

Builds a benchmark database under var/bench/ (SQLite unless DATABASE_URL is set), fills it with
synthetic messages over 2024–2026 in a government with departments, then times the statistics
(``selectors.interaction_stats``, the one computation behind the command, the API and the page)
for the government roll-up and one department over a year, beside the raw SQL aggregate of the
same five figures (the ratio shows the ORM's cost), and the first page of the public list.
Prints JSON lines only.
"""

import argparse
import json
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path


def emit(**fields: object) -> None:
    print(json.dumps(fields, ensure_ascii=False), flush=True)


def interleaved(fns: list, repeat: int) -> list[tuple[float, object]]:
    """Run each of ``fns`` once per round, ``repeat`` rounds after one unmeasured warm-up
    round; the best time of each (on a shared machine the minimum is the least disturbed)."""
    for fn in fns:
        fn()
    timings: list[list[float]] = [[] for _ in fns]
    results: list[object] = [None] * len(fns)
    for _ in range(repeat):
        for n, fn in enumerate(fns):
            started = time.perf_counter()
            results[n] = fn()
            timings[n].append(time.perf_counter() - started)
    return [(round(min(t), 4), r) for t, r in zip(timings, results, strict=True)]


CHUNK = 20_000


def _records(first: int, last: int, orgs, rng) -> list[tuple[int, dict[str, str]]]:
    """Lines of an ``import_messages`` file (the contract's columns, China time)."""
    channels = ["website"] * 5 + ["wechat", "app", "hotline_12345", "jsjb", "letter"]
    categories = ["consult"] * 4 + ["suggestion", "complaint", "help", "report"]
    day0 = date(2024, 1, 1)
    span = (date(2026, 11, 1) - day0).days
    out = []
    for n in range(first, last):
        received = day0 + timedelta(days=rng.randrange(span))
        replied = received + timedelta(days=rng.randrange(1, 20)) if rng.random() < 0.95 else None
        out.append(
            (
                n + 2,  # the CSV line (after the header)
                {
                    "reference": f"BENCH-{n:08d}",
                    "org_code": rng.choice(orgs).code,
                    "channel": rng.choice(channels),
                    "category": rng.choice(categories),
                    "received": f"{received.isoformat()} 10:00",
                    "title": "关于小区周边道路夜间施工噪声的咨询",
                    "content": "近期夜间施工持续到凌晨，请问是否办理了夜间施工许可？",
                    "replied": f"{replied.isoformat()} 15:00" if replied else "",
                    "reply": "经核查，该工程已办理夜间施工许可，我局已要求施工单位落实降噪措施。"
                    if replied
                    else "",
                },
            )
        )
    return out


def _load(args, orgs, Message, transaction) -> None:
    """Fill the database through ``import_messages``' own service (``messages_import``: the
    validation, due dates on the working-day calendar, 历史导入 events, the change log), in
    chunks of CHUNK lines, each one atomic import. Imported messages are never public, so half
    of the replied ones are then marked public in one bulk update per chunk, reported to the
    change log like every bulk write (the benchmark's stand-in for publishing them one by one
    through the review chain)."""
    from gongkai.core.signals import rows_written_send
    from gongkai.interaction.importing import messages_import
    from gongkai.interaction.models import Publication

    existing = Message.objects.filter(reference__startswith="BENCH-").count()
    if existing >= args.messages:
        return
    started = time.perf_counter()
    rng = random.Random(20260101 + existing)
    for first in range(existing, args.messages, CHUNK):
        last = min(first + CHUNK, args.messages)
        messages_import(records=_records(first, last, orgs, rng), source="benchmark")
        with transaction.atomic():
            replied = Message.objects.filter(
                reference__gte=f"BENCH-{first:08d}",
                reference__lte=f"BENCH-{last - 1:08d}",
                replied_at__isnull=False,
            ).values_list("id", flat=True)
            public = [pk for pk in replied if pk % 2 == 0]
            Message.objects.filter(id__in=public).update(publication=Publication.PUBLIC)
            rows_written_send(Message, public)
        print(f"{last} messages, {time.perf_counter() - started:.0f} s", file=sys.stderr)
    emit(
        benchmark="interaction",
        step="load_messages",
        method="messages_import (the import_messages service) in chunks of "
        f"{CHUNK} lines; half of the replied messages then marked public in bulk",
        messages=args.messages,
        seconds=round(time.perf_counter() - started, 2),
    )


RAW = """
SELECT COUNT(*),
       SUM(CASE WHEN replied_date IS NOT NULL AND replied_date <= %s THEN 1 ELSE 0 END),
       SUM(CASE WHEN replied_date IS NOT NULL AND replied_date <= %s
                AND replied_date <= due_date THEN 1 ELSE 0 END),
       SUM(CASE WHEN replied_date IS NULL OR replied_date > %s THEN 1 ELSE 0 END),
       SUM(CASE WHEN (replied_date IS NULL OR replied_date > %s) AND due_date < %s
                THEN 1 ELSE 0 END)
FROM interaction_message
WHERE received_date >= %s AND received_date <= %s AND organisation_id IN ({ids})
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    root = Path(__file__).resolve().parent.parent
    bench_dir = root / "var" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault(
        "DATABASE_URL", f"sqlite:///{bench_dir / f'interaction-{args.messages}.sqlite3'}"
    )
    os.environ.setdefault("GONGKAI_VAR_DIR", str(bench_dir))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from gongkai.accounts.models import Organisation
    from gongkai.interaction import selectors
    from gongkai.interaction.models import Message

    call_command("migrate", verbosity=0)
    government, _ = Organisation.objects.get_or_create(
        code="BENCH-GOV", defaults={"name": "基准测试市人民政府", "kind": "government"}
    )
    departments = [
        Organisation.objects.get_or_create(
            code=f"BENCH-D{n}",
            defaults={"name": f"基准测试部门{n}", "kind": "department", "parent": government},
        )[0]
        for n in range(8)
    ]
    orgs = [government, *departments]
    _load(args, orgs, Message, transaction)
    # Planner statistics and (PostgreSQL) the visibility map that index-only scans need: what
    # autovacuum and the nightly ``db_optimize`` give a production database after a bulk load.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "VACUUM ANALYZE")
    method = f"best of {args.repeat} interleaved runs after one warm-up run"

    start, end = date(2025, 1, 1), date(2025, 12, 31)
    # The roll-up is the government with every department under it (``--scope all``; the
    # contract's default counts an organisation's own messages only).
    cases = (
        ("stats_government_roll_up", government, selectors.SCOPE_ALL),
        ("stats_department", orgs[1], selectors.SCOPE_OWN),
    )
    for label, org, scope in cases:
        ids = ",".join(str(i) for i in selectors.scope_organisation_ids(org, scope))

        def raw(ids=ids):
            with connection.cursor() as cursor:
                cursor.execute(RAW.format(ids=ids), [end, end, end, end, end, start, end])
                return cursor.fetchone()

        (seconds, stats), (raw_seconds, row) = interleaved(
            [lambda o=org, s=scope: selectors.interaction_stats(o, start, end, s), raw],
            args.repeat,
        )
        emit(
            benchmark="interaction",
            step=label,
            method=method + " (ORM selector and raw SQL alternating)",
            load_average=round(os.getloadavg()[0], 1),
            database=connection.vendor,
            messages=args.messages,
            received=stats["received"],  # type: ignore[index]
            raw_received=row[0],  # type: ignore[index]
            seconds=seconds,
            raw_sql_seconds=raw_seconds,
            ratio=round(seconds / raw_seconds, 2) if raw_seconds else None,
        )
    (seconds, first), (all_seconds, first_all) = interleaved(
        [
            lambda: list(selectors.public_messages(organisation=orgs[1])[:20]),
            lambda: list(selectors.public_messages()[:20]),
        ],
        args.repeat,
    )
    for step, took, rows in (
        ("public_list_first_page", seconds, first),
        ("public_list_first_page_all_organisations", all_seconds, first_all),
    ):
        emit(
            benchmark="interaction",
            step=step,
            method=method,
            load_average=round(os.getloadavg()[0], 1),
            database=connection.vendor,
            messages=args.messages,
            rows=len(rows),  # type: ignore[arg-type]
            seconds=took,
        )


if __name__ == "__main__":
    main()
