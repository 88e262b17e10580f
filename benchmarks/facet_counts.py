"""The policy library's facet counts, one GROUP BY per facet against one GROUPING SETS scan.

`DATABASE_URL=postgres://…/db python -m benchmarks.facet_counts` on a database filled with
`gongkai demo --documents N` (PostgreSQL: GROUPING SETS is not used on SQLite). Median of
``--repeat`` runs over every public policy (no filter: the heaviest library view); asserts that
both ways give the same values. One JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections.abc import Callable


def _median_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings.dev")
    import django

    django.setup()
    from django.db import connection

    from gongkai.policies import selectors as s

    base = s.public_policies()
    keys = list(s.COLUMN_FACETS)
    one_by_one = {k: s._facet_counts(k, base) for k in keys}
    assert s._grouped_counts(keys, base) == one_by_one, "the two ways disagree"
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "public_policies": base.count(),
                "four_group_by_ms": _median_ms(
                    lambda: [s._facet_counts(k, base) for k in keys], args.repeat
                ),
                "one_grouping_sets_ms": _median_ms(
                    lambda: s._grouped_counts(keys, base), args.repeat
                ),
                "audience_and_special_ms": _median_ms(
                    lambda: [s._facet_counts(k, base) for k in (s.FACET_AUDIENCE, s.FACET_SPECIAL)],
                    args.repeat,
                ),
                "method": f"median of {args.repeat}, warm, one process, no filter",
            }
        )
    )


if __name__ == "__main__":
    main()
