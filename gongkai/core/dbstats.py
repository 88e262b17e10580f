"""Planner statistics kept current (issue 17 item 4).

The query planner chooses indexes from table statistics. Without them a large import leaves it
guessing: at 1,000,000 documents a policy page took 4.4 s (the "replaces" lookup scanned the
public-items index) and 18-33 ms once statistics existed. PostgreSQL's autovacuum analyses
eventually; SQLite never does on its own. So statistics are refreshed after every import
(``import_documents``, ``import_applications``, ``demo --documents``), every night by the job
consumer, and on demand with ``gongkai db_optimize``.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from django.db import connection

# SQLite: rows sampled per index by ANALYZE, so a refresh stays well under a second at any size
# (the SQLite documentation suggests 100-1000); the estimates are good enough for index choice.
SQLITE_ANALYSIS_LIMIT = 1000


def db_optimize() -> dict[str, Any]:
    """Refresh the planner statistics of the whole database; what was run and how long it took.

    PostgreSQL: ``ANALYZE`` (samples each table; runs beside normal traffic, takes no lock that
    blocks reads or writes). SQLite: ``PRAGMA optimize`` with a sampling limit; since SQLite
    3.46 flag 0x10002 makes it look at every table, not only the ones this connection used, so
    older versions get a plain (limited) ``ANALYZE``.
    """
    started = time.monotonic()
    vendor = connection.vendor
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            statements = ["ANALYZE"]
        elif vendor == "sqlite":
            optimize = (
                "PRAGMA optimize=0x10002"
                if sqlite3.sqlite_version_info >= (3, 46, 0)
                else "ANALYZE"
            )
            statements = [f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}", optimize]
        else:
            statements = []
        for statement in statements:
            cursor.execute(statement)
    return {
        "vendor": vendor,
        "statements": statements,
        "seconds": round(time.monotonic() - started, 3),
    }
