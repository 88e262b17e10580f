"""Annual report over N cases (default 1,000,000): `python -m benchmarks.report [--cases N]`.

Builds a benchmark database under var/bench/ (SQLite unless DATABASE_URL is set), fills it with
synthetic cases spread over 2021–2026 in a government with departments, then times the whole
report (tables 二, 三, 四, checks, summary) for the government roll-up and one department.
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    root = Path(__file__).resolve().parent.parent
    bench_dir = root / "var" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    db_file = bench_dir / f"report-{args.cases}.sqlite3"
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{db_file}")
    os.environ.setdefault("GONGKAI_VAR_DIR", str(bench_dir))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from gongkai.accounts.models import Organisation
    from gongkai.foi.models import Case
    from gongkai.reports.build import build_annual_report

    call_command("migrate", verbosity=0)
    government, _ = Organisation.objects.get_or_create(
        code="BENCH-GOV", defaults={"name": "基准测试市人民政府", "kind": "government"}
    )
    departments = []
    for n in range(8):
        org, _ = Organisation.objects.get_or_create(
            code=f"BENCH-D{n}",
            defaults={"name": f"基准测试部门{n}", "kind": "department", "parent": government},
        )
        departments.append(org)
    orgs = [government, *departments]

    existing = Case.objects.filter(reference__startswith="BENCH-").count()
    if existing < args.cases:
        started = time.perf_counter()
        rng = random.Random(20251231)
        types = (
            ["natural"] * 70
            + ["business"] * 15
            + ["research", "nonprofit"] * 3
            + ["legal_service"] * 5
            + ["other"] * 4
        )
        outcomes = ["1"] * 40 + ["2"] * 15 + ["3.4", "3.6", "4.1", "4.1", "4.2", "5.2", "6.1"] * 5
        channels = ["online"] * 6 + ["letter", "in_person", "fax", "other"]
        day0 = date(2021, 1, 1)
        span = (date(2026, 11, 1) - day0).days
        batch: list = []
        for n in range(existing, args.cases):
            received = day0 + timedelta(days=rng.randrange(span))
            closed = None
            outcome = ""
            if rng.random() < 0.97:
                closed = received + timedelta(days=rng.randrange(1, 45))
                outcome = rng.choice(outcomes)
            batch.append(
                Case(
                    reference=f"BENCH-{n:08d}",
                    organisation_id=rng.choice(orgs).pk,
                    applicant_type=rng.choice(types),
                    channel=rng.choice(channels),
                    received_date=received,
                    closed_date=closed,
                    outcome=outcome,
                    status="archived" if closed else "in_progress",
                    info_title="基准测试",
                )
            )
            if len(batch) == 20_000:
                with transaction.atomic():
                    Case.objects.bulk_create(batch, batch_size=2_000)
                batch.clear()
                print(f"{n + 1} cases", file=sys.stderr)
        if batch:
            with transaction.atomic():
                Case.objects.bulk_create(batch, batch_size=2_000)
        emit(
            benchmark="report",
            step="load_cases",
            cases=args.cases,
            seconds=round(time.perf_counter() - started, 2),
        )
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    for label, org, include in (
        ("government_roll_up", government, True),
        ("department", departments[0], False),
    ):
        timings = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            report = build_annual_report(org, args.year, include_subordinates=include)
            timings.append(time.perf_counter() - started)
        emit(
            benchmark="report",
            step=label,
            database=connection.vendor,
            cases=args.cases,
            year=args.year,
            new_applications=report["applications"]["rows"]["new"]["total"],
            checks_ok=report["checks"]["ok"],
            best_seconds=round(min(timings), 3),
            median_seconds=round(sorted(timings)[len(timings) // 2], 3),
            target_seconds=5,
        )


if __name__ == "__main__":
    main()
