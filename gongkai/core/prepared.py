"""Server-side prepared statements for the compiled queries (issue 17, seventh step).

Django sends every query with client-side binding: PostgreSQL parses and plans each one anew.
For the policy page's two statements planning took 0.4 ms each against 0.07 ms to run them;
most of the page's PostgreSQL CPU. The statements whose SQL is compiled once per process
(``core.compiled``, the item page's lists) are therefore sent through a server-binding psycopg
cursor that prepares them: the first call on a connection parses them, PostgreSQL keeps the
plan, and from the sixth call on (``plan_cache_mode = auto`` compares five custom plans with
the generic one) runs them without planning.

The statements live as long as the connection (``CONN_MAX_AGE``): psycopg keeps track of them
per connection, forgets them on a rollback (a whole transaction's or a savepoint's: the next
call prepares again) and a new connection starts with none. They need a server connection that
stays the client's between statements: direct connections, as deployed. Behind a pooler in
transaction mode, ``GONGKAI_PREPARED_STATEMENTS=0`` (settings) turns them off: the connection's
``prepare_threshold`` stays Django's ``None`` and these statements go through the ordinary
cursor. Every other query keeps Django's client-side binding (its cursor never prepares): only
statements sent through ``prepared_cursor`` are prepared.

The cursor is wrapped by Django's own ``CursorWrapper``: the execute wrappers (the page cache's
read recording and write tracking), query logging and error translation see these statements as
any other.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper

_cursor_class: Any = None


def _preparing_cursor_class() -> Any:
    # Imported on first use: a SQLite-only process never loads the PostgreSQL backend.
    global _cursor_class
    if _cursor_class is None:
        from django.db.backends.postgresql.base import ServerBindingCursor

        class PreparingCursor(ServerBindingCursor):
            def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
                kwargs["prepare"] = True
                return super().execute(query, params, **kwargs)  # type: ignore[misc]

        _cursor_class = PreparingCursor
    return _cursor_class


def prepares(connection: BaseDatabaseWrapper) -> bool:
    """Whether ``prepared_cursor`` prepares on this connection (PostgreSQL, setting on)."""
    if connection.vendor != "postgresql":
        return False
    threshold = connection.settings_dict.get("OPTIONS", {}).get("prepare_threshold")
    return threshold is not None


def prepared_cursor(connection: BaseDatabaseWrapper) -> CursorWrapper:
    """A cursor of ``connection`` whose statements are prepared on the server, or the ordinary
    cursor where they are not (SQLite, the setting off). Its statements' SQL uses ``%s``
    placeholders, as the ORM's; their parameters are sent apart from it (server-side binding),
    so a statement's text is the same whatever the values."""
    if not prepares(connection):
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        raw = connection.connection
        cursor = _preparing_cursor_class()(raw)
        # As Django's create_cursor: its time zone only when the connection's differs.
        from django.db.backends.postgresql.base import TIMESTAMPTZ_OID
        from django.db.backends.postgresql.psycopg_any import register_tzloader
        from psycopg.pq import Format

        tzloader = raw.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
        if connection.timezone != tzloader.timezone:
            register_tzloader(connection.timezone, cursor)
        # Django's own wrapping (debug or not), as connection.cursor() would.
        return connection._prepare_cursor(cursor)  # type: ignore[attr-defined]
