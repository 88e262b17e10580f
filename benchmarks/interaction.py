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
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from zoneinfo import ZoneInfo


def emit(**fields: object) -> None:
    print(json.dumps(fields, ensure_ascii=False), flush=True)


def best(fn, repeat: int) -> tuple[float, object]:
    timings, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        timings.append(time.perf_counter() - started)
    return round(min(timings), 4), result


def _load(args, orgs, Message, transaction, deadlines) -> None:
    china = ZoneInfo("Asia/Shanghai")
    existing = Message.objects.filter(reference__startswith="BENCH-").count()
    if existing >= args.messages:
        return
    started = time.perf_counter()
    rng = random.Random(20260101)
    channels = ["website"] * 5 + ["wechat", "app", "hotline_12345", "jsjb", "letter"]
    categories = ["consult"] * 4 + ["suggestion", "complaint", "help", "report"]
    day0 = date(2024, 1, 1)
    span = (date(2026, 11, 1) - day0).days
    batch: list = []
    for n in range(existing, args.messages):
        received = day0 + timedelta(days=rng.randrange(span))
        replied = received + timedelta(days=rng.randrange(1, 20)) if rng.random() < 0.95 else None
        public = replied is not None and rng.random() < 0.5
        batch.append(
            Message(
                reference=f"BENCH-{n:08d}",
                organisation_id=rng.choice(orgs).pk,
                channel=rng.choice(channels),
                category=rng.choice(categories),
                received_at=datetime.combine(received, dtime(10), tzinfo=china),
                received_date=received,
                title="基准测试留言",
                content="基准测试",
                reply="基准测试答复" if replied else "",
                replied_at=datetime.combine(replied, dtime(15), tzinfo=china) if replied else None,
                replied_date=replied,
                due_date=received + timedelta(days=7),
                three_months_date=deadlines.three_months_after(received),
                status="closed" if replied else "registered",
                publication="public" if public else "private",
            )
        )
        if len(batch) == 20_000:
            with transaction.atomic():
                Message.objects.bulk_create(batch, batch_size=2_000)
            batch.clear()
            print(f"{n + 1} messages", file=sys.stderr)
    if batch:
        with transaction.atomic():
            Message.objects.bulk_create(batch, batch_size=2_000)
    emit(
        benchmark="interaction",
        step="load_messages",
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
    from gongkai.interaction import deadlines, selectors
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
    _load(args, orgs, Message, transaction, deadlines)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    start, end = date(2025, 1, 1), date(2025, 12, 31)
    for label, org in (("stats_government_roll_up", government), ("stats_department", orgs[1])):
        seconds, stats = best(lambda o=org: selectors.interaction_stats(o, start, end), args.repeat)
        ids = ",".join(str(i) for i in selectors.scope_organisation_ids(org))

        def raw(ids=ids):
            with connection.cursor() as cursor:
                cursor.execute(RAW.format(ids=ids), [end, end, end, end, end, start, end])
                return cursor.fetchone()

        raw_seconds, row = best(raw, args.repeat)
        emit(
            benchmark="interaction",
            step=label,
            database=connection.vendor,
            messages=args.messages,
            received=stats["received"],  # type: ignore[index]
            raw_received=row[0],  # type: ignore[index]
            seconds=seconds,
            raw_sql_seconds=raw_seconds,
            ratio=round(seconds / raw_seconds, 2) if raw_seconds else None,
        )
    seconds, first = best(
        lambda: list(selectors.public_messages(organisation=orgs[1])[:20]), args.repeat
    )
    emit(
        benchmark="interaction",
        step="public_list_first_page",
        database=connection.vendor,
        messages=args.messages,
        rows=len(first),  # type: ignore[arg-type]
        seconds=seconds,
    )


if __name__ == "__main__":
    main()
