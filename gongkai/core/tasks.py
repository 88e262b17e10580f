"""A harmless job that proves the Huey consumer runs: `gongkai jobs_check` queues it and waits
for the answer (operators after an installation; the deployment smoke test)."""

import os
import socket
from typing import Any

from django.db import connection
from huey.contrib.djhuey import db_task


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
