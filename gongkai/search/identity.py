"""Which database an index belongs to (docs/adr/0002-search-engine.md, addendum 3).

The identity is a random UUID in a one-row table: a new database gets a new one (the migration
creates it; a database emptied by ``flush`` gets one on first use), so an index directory left
over from another database is recognised and rebuilt instead of answering with that
database's documents.
"""

from __future__ import annotations

import uuid

from django.db import connection, transaction

from .models import DatabaseIdentity


def database_stamp() -> dict[str, str]:
    """The stamp an index built from the current database carries."""
    row, _created = DatabaseIdentity.objects.get_or_create(pk=1)
    return {
        "uuid": str(row.uuid),
        "vendor": connection.vendor,
        "name": str(connection.settings_dict.get("NAME") or ""),
    }


def stamp_matches(stamp: object, current: dict[str, str]) -> bool:
    # The name is kept for the log only: the same database reached under another name or
    # path (a moved SQLite file) holds the same documents.
    return (
        isinstance(stamp, dict)
        and stamp.get("uuid") == current["uuid"]
        and stamp.get("vendor") == current["vendor"]
    )


def database_identity_renew() -> str:
    """Give this database a new identity, so every server's index is rebuilt before its next
    answer. A restored backup carries the identity of the database it was dumped from: call
    this after a restore (``gongkai reindex --new-database-identity``)."""
    new = uuid.uuid4()
    with transaction.atomic():
        updated = DatabaseIdentity.objects.filter(pk=1).update(uuid=new)
        if not updated:
            DatabaseIdentity.objects.create(pk=1, uuid=new)
    return str(new)
