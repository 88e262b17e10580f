"""The 错敏词 dictionary as the checker reads it: one read, shared by every road.

:func:`build_checker` (given a DB-API cursor) is the only place that says which columns of the
dictionary table are read, in which order, and how a category becomes its label. The web
workers reach it through :func:`gongkai.checks.selectors.build_checker` (with the ORM
loaded); ``gongkai check_text FILE`` reaches it without loading any app or model, on SQLite
with a connection straight from the driver (:mod:`gongkai.checks.cli`, issue 18: Django's model
layer, which even its database backends import, was a fifth of that command's start-up). So
this module imports neither ``django.db.models`` nor :mod:`gongkai.checks.models`: the SQL is
written from the names below, and the tests pin it to the SQL the ORM compiles for
``WordlistEntry.objects.values_list(*COLUMNS)`` (table, columns and ``Meta.ordering``), so the
two cannot drift apart unnoticed.

It is a plain read of the current table on every call: nothing is cached across processes, so
a changed dictionary is seen by the very next check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.utils.translation import gettext_lazy as _

from .text import TextChecker, WordEntry

# ``WordlistEntry._meta.db_table`` (the table kept its name when it moved from the review app).
TABLE = "review_wordlistentry"
COLUMNS = ("word", "category", "suggestion", "is_blocking")
# ``WordlistEntry.Meta.ordering``: the order the ORM read in, kept so the automaton is built
# from the same sequence of words.
ORDERING = ("category", "word")
# The categories and their labels; ``models.WordCategory`` is built from these.
CATEGORY_CHOICES = (
    ("wrong_expression", _("错误表述")),
    ("sensitive", _("敏感词")),
    ("typo", _("错别字")),
    ("other", _("其他")),
)

_CHUNK = 5000


def select_sql(quote_name: Callable[[str], str]) -> str:
    """The ``SELECT`` of :data:`COLUMNS` in :data:`ORDERING`, written as the ORM writes it
    (Django 6.1: aliased columns, ordered by their positions)."""
    table = quote_name(TABLE)
    columns = ", ".join(f"{table}.{quote_name(c)} AS {quote_name(c)}" for c in COLUMNS)
    order = ", ".join(f"{COLUMNS.index(c) + 1} ASC" for c in ORDERING)
    # Only the constant names above go into the SQL: nothing comes from input.
    return f"SELECT {columns} FROM {table} ORDER BY {order}"  # noqa: S608


def read_rows(
    cursor: Any, quote_name: Callable[[str], str]
) -> Iterator[tuple[str, str, str, bool]]:
    """``(word, category, suggestion, is_blocking)`` of every entry, read with ``cursor`` (of a
    Django connection or straight from the driver; read-only). ``is_blocking`` is made a
    ``bool`` as the ORM's converters do (SQLite stores 0/1)."""
    cursor.execute(select_sql(quote_name))
    while rows := cursor.fetchmany(_CHUNK):
        for word, category, suggestion, blocking in rows:
            yield word, category, suggestion, bool(blocking)


def build_checker(cursor: Any, quote_name: Callable[[str], str]) -> TextChecker:
    """The checker over the dictionary as it is now in ``cursor``'s database."""
    labels = {value: str(label) for value, label in CATEGORY_CHOICES}
    return TextChecker(
        [
            WordEntry(word, labels.get(category, category), suggestion, blocking)
            for word, category, suggestion, blocking in read_rows(cursor, quote_name)
        ]
    )
