"""政策找人 over N policies with conditions (default 100,000): `python -m benchmarks.match
[--policies N]` (issue 14).

Builds a benchmark database under var/bench/ (SQLite unless DATABASE_URL is set) with N public,
有效 policies whose conditions mix regions, industries at every level, scales, years,
qualifications and windows, then times ``match_policies`` for one enterprise profile (the SQL
prefilter plus the pure rules on its candidates). Prints JSON lines only.
"""

import argparse
import io
import json
import os
import random
import time
from datetime import date, timedelta
from pathlib import Path


def emit(**fields: object) -> None:
    print(json.dumps(fields, ensure_ascii=False), flush=True)


def _fill(n_from: int, n_to: int, orgs, quals) -> None:
    from django.db import transaction

    from gongkai.catalogue.models import InformationItem
    from gongkai.policies.conditions import ConditionsData
    from gongkai.policies.services import policy_conditions_bulk_create

    rng = random.Random(20261129 + n_from)
    sections = "ABCDEFGHIJKLMNOPQRST"
    codes = ["C", "C39", "C391", "C3911", "I", "I65", "I651", "I6513", "F51", "K70", "M73"]
    for start in range(n_from, n_to, 5000):
        stop = min(start + 5000, n_to)
        items = [
            InformationItem(
                index_number=f"BENCH-MATCH/{n:07d}",
                organisation=orgs[n % len(orgs)],
                title=f"基准惠企政策{n}",
                published_date=date(2024, 1, 1) + timedelta(days=n % 1000),
                policy_kind="normative",
                status="published",
                disclosure="proactive",
                validity="valid" if n % 10 else "repealed",
                external_id=f"bench-match-{n}",
            )
            for n in range(start, stop)
        ]
        pairs = []
        for item in items:
            data = ConditionsData()
            if rng.random() < 0.5:
                data.region_ids = [rng.choice(orgs).pk]
            if rng.random() < 0.7:
                data.industries = [
                    rng.choice(codes) if rng.random() < 0.5 else rng.choice(sections)
                ]
            if rng.random() < 0.5:
                data.scales = rng.sample(["large", "medium", "small", "micro"], rng.randint(1, 3))
            if rng.random() < 0.4:
                data.min_years = rng.randint(1, 8)
            if rng.random() < 0.3:
                data.qualification_ids = [rng.choice(quals)]
            if rng.random() < 0.4:
                first = date(2025, 1, 1) + timedelta(days=rng.randrange(700))
                data.apply_from, data.apply_until = first, first + timedelta(days=90)
            pairs.append((item, data))
        with transaction.atomic():
            InformationItem.objects.bulk_create(items, batch_size=1000)
            policy_conditions_bulk_create(pairs=pairs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--policies", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    root = Path(__file__).resolve().parent.parent
    bench_dir = root / "var" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    db_file = bench_dir / f"match-{args.policies}.sqlite3"
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{db_file}")
    os.environ.setdefault("GONGKAI_VAR_DIR", str(bench_dir))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command

    from gongkai.accounts.models import Organisation
    from gongkai.catalogue.models import InformationItem
    from gongkai.policies.models import Qualification
    from gongkai.policies.selectors import OrgTree, match_policies, profile_for

    call_command("migrate", verbosity=0)
    city, _ = Organisation.objects.get_or_create(
        code="BENCH-CITY", defaults={"name": "基准测试市人民政府", "kind": "government"}
    )
    district, _ = Organisation.objects.get_or_create(
        code="BENCH-DIST", defaults={"name": "基准测试区", "kind": "government", "parent": city}
    )
    orgs = [city, district]
    for n in range(6):
        org, _ = Organisation.objects.get_or_create(
            code=f"BENCH-M{n}",
            defaults={
                "name": f"基准测试部门{n}",
                "kind": "department",
                "parent": district if n % 2 else city,
            },
        )
        orgs.append(org)
    quals = list(Qualification.objects.values_list("id", flat=True))
    existing = InformationItem.objects.filter(index_number__startswith="BENCH-MATCH/").count()
    if existing < args.policies:
        started = time.perf_counter()
        _fill(existing, args.policies, orgs, quals)
        emit(step="fill", policies=args.policies, seconds=round(time.perf_counter() - started, 1))
        call_command("db_optimize", stdout=io.StringIO())

    tree = OrgTree.load()
    profile = profile_for(
        tree,
        region="BENCH-M1",
        industry="C3911",
        scale="small",
        established=date(2021, 6, 1),
        qualifications=["高新技术企业"],
    )
    timings = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        result = match_policies(profile, date(2026, 3, 1), tree)
        timings.append(time.perf_counter() - started)
    emit(
        step="match_one_profile",
        policies=args.policies,
        matches=len(result.matches),
        near_misses=len(result.near_misses),
        best_ms=round(min(timings) * 1000, 1),
        median_ms=round(sorted(timings)[len(timings) // 2] * 1000, 1),
    )


if __name__ == "__main__":
    main()
