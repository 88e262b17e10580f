"""Core jobs: a harmless one that proves the Huey consumer runs (`gongkai jobs_check` queues it
and waits for the answer: operators after an installation; the deployment smoke test), and the
nightly refresh of the planner statistics."""

import os
import socket
from typing import Any

from django.db import connection
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .dbstats import db_optimize


@db_task()
def jobs_ping(token: str) -> dict[str, Any]:
    """Answer with who ran the job: the consumer's process, host and database."""
    with connection.cursor() as cursor:
        # A query, so a consumer that cannot reach the database does not look healthy.
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {
        "token": token,
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "database": str(connection.settings_dict["NAME"]),
    }


@db_periodic_task(crontab(hour="3", minute="15"))
def db_optimize_nightly() -> dict[str, Any]:
    """Every night at 03:15 (after the 02:30 self-inspection): fresh planner statistics, so a
    day of publications or an import through the workbench never leaves the planner guessing."""
    return db_optimize()
