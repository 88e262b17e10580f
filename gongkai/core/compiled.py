"""Queries whose SQL is compiled once per process and shape (issue 17 item 4).

Compiling a queryset — resolving its joins, columns and ``select_related`` tree into SQL — took
a third to a half millisecond of CPU per query on the public pages, often more than running it.
A query whose shape does not change (the same filters, only their values differ: an item's id,
a column's slug, the selected value of a facet) need not be compiled again: it is compiled once
per database alias and shape with stand-in values and, on each call, the stand-ins are swapped
for the request's values in the compiled parameters. The rows are then built by the queryset's
own iterable (model instances with their ``select_related`` rows, or ``values_list`` tuples)
from the compiler prepared by the first compilation, so they are exactly what evaluating the
queryset would give. Nothing of the rows is kept: every call runs the query. On PostgreSQL
the statement is also prepared on the server (``core.prepared``): planned once per connection
instead of on every call.

Stand-ins must be values no other parameter of the statement has, of the type the compiled
parameter has (an integer field's parameter is an ``int``): a large negative integer, an
improbable string. A stand-in missing from the compiled parameters is reported by the first
compilation. A page's ``OFFSET`` is the one value the SQL carries as text: ``offset=…``
compiles ``[_ANY_OFFSET:_ANY_OFFSET + limit]`` and writes the offset as a number into the text.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Hashable
from typing import Any

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.sql.constants import MULTI

from gongkai.core.prepared import prepared_cursor, prepares

# Shapes a process keeps at most (a shape is a few kilobytes: the compiler and its SQL); the
# shapes of the public pages are a few dozen, a flood of odd filter combinations only empties
# the table now and then.
MAX_SHAPES = 512
_ANY_OFFSET = 987_654_300

_compiled: dict[tuple[Hashable, ...], tuple[QuerySet[Any], Any, str, tuple[Any, ...]]] = {}
_lock = threading.Lock()


def _prepare(
    key: tuple[Hashable, ...],
    build: Callable[..., QuerySet[Any]],
    stand_ins: dict[str, Any],
    limit: int | None,
) -> tuple[QuerySet[Any], Any, str, tuple[Any, ...]]:
    found = _compiled.get(key)
    if found is not None:
        return found
    alias = str(key[0])
    queryset = build(**stand_ins).using(alias)
    if limit is not None:
        queryset = queryset[_ANY_OFFSET : _ANY_OFFSET + limit]
    compiler = queryset.query.get_compiler(using=alias)
    sql, params = compiler.as_sql()  # also prepares select, klass_info, converters
    missing = sorted(name for name, value in stand_ins.items() if value not in params)
    if missing:
        raise ValueError(f"stand-ins not in the compiled parameters: {', '.join(missing)}")
    if limit is not None:
        marker = f" OFFSET {_ANY_OFFSET}"
        if sql.count(marker) != 1:
            raise ValueError("the compiled SQL has no single OFFSET to fill in")
    # The converters of the selected columns (dates from text on SQLite, decimals…) are the
    # same for every call: looked up once (results_iter asks the compiler for them each time).
    fields = [column[0] for column in compiler.select[0 : compiler.col_count]]
    converters = compiler.get_converters(fields)
    compiler.get_converters = lambda expressions: converters
    prepared = (queryset, compiler, sql, tuple(params))
    with _lock:
        if len(_compiled) >= MAX_SHAPES:
            _compiled.clear()
        _compiled[key] = prepared
    return prepared


def compiled_rows(
    shape: Hashable,
    model: type[Model],
    build: Callable[..., QuerySet[Any]],
    stand_ins: dict[str, Any],
    values: dict[str, Any],
    *,
    offset: int | None = None,
    limit: int | None = None,
) -> list[Any]:
    """Evaluate ``build(**values)`` (sliced ``[offset:offset + limit]`` when a limit is given)
    with the SQL compiled for ``build(**stand_ins)`` the first time this ``shape`` was asked
    for. ``shape`` names everything the SQL's text depends on besides the stand-ins' values."""
    alias = router.db_for_read(model)
    queryset, compiler, sql, params = _prepare((alias, shape, limit), build, stand_ins, limit)
    if limit is not None:
        head, _, tail = sql.partition(f" OFFSET {_ANY_OFFSET}")
        sql = f"{head} OFFSET {int(offset or 0)}{tail}"
    swap = {(type(v), v): values[name] for name, v in stand_ins.items()}
    bound = tuple(swap.get((type(p), p), p) if _hashable(p) else p for p in params)
    # A copy of the prepared compiler that answers with the compiled SQL: the iterable of a
    # fresh clone reads its select list, joined models and converters from it.
    prepared = copy.copy(compiler)
    prepared.as_sql = lambda *args, **kwargs: (sql, bound)
    connection = connections[alias]
    if not offset and prepares(connection):
        # The SQL is the same on every call: prepared on the server, planned once per
        # connection (core.prepared). Not a page past the first: its OFFSET is in the text,
        # and a statement kept for every page number read once would crowd out the others.
        # The iterables ask for every row at once (MULTI).
        def execute_sql(result_type: Any = MULTI, *args: Any, **kwargs: Any) -> Any:
            if result_type != MULTI:
                raise ValueError("compiled queries are read whole")
            with prepared_cursor(connection) as cursor:
                cursor.execute(sql, bound)
                rows = cursor.fetchall()
            if prepared.has_extra_select:
                rows = [row[0 : prepared.col_count] for row in rows]
            return [rows]

        prepared.execute_sql = execute_sql
    clone = queryset._chain()  # type: ignore[attr-defined]  # Django's clone for evaluation
    clone.query.get_compiler = lambda *args, **kwargs: prepared
    return list(clone)


class CompiledQuery:
    """A query of one shape: ``build(**stand_ins)`` gives the queryset; ``rows(**values)``
    evaluates it with the values in place of the stand-ins."""

    def __init__(
        self, model: type[Model], build: Callable[..., QuerySet[Any]], **stand_ins: Any
    ) -> None:
        self.model = model
        self.build = build
        self.stand_ins = stand_ins

    def rows(self, **values: Any) -> list[Any]:
        return compiled_rows(id(self), self.model, self.build, self.stand_ins, values)


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True
