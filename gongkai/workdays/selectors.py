"""Reads of the calendar table: ``load_calendar`` builds the pure ``WorkCalendar``.

The calendar is small (~40 rows a year) and read on every deadline computation, so it is cached
per process. The cache key is a cheap aggregate over both tables (latest ``updated_at`` and row
counts), so any save or delete — through the services, the admin or another process — yields a
fresh calendar on the next call without explicit invalidation messages.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Count, Max

from .calendar import CalendarException, WorkCalendar, year_missing_ahead
from .models import CalendarDay, CalendarYear

_cache: dict[tuple, WorkCalendar] = {}


def _state_key() -> tuple:
    years = CalendarYear.objects.aggregate(n=Count("id"), t=Max("updated_at"))
    days = CalendarDay.objects.aggregate(n=Count("id"), t=Max("updated_at"))
    return (years["n"], years["t"], days["n"], days["t"])


def clear_calendar_cache() -> None:
    _cache.clear()


def load_calendar(years: Iterable[int] | None = None) -> WorkCalendar:
    """The working-day calendar for the known years (restricted to ``years`` if given)."""
    wanted = None if years is None else frozenset(years)
    key = (_state_key(), wanted)
    cached = _cache.get(key)
    if cached is not None:
        return cached
    year_rows = CalendarYear.objects.all()
    day_rows = CalendarDay.objects.all()
    if wanted is not None:
        year_rows = year_rows.filter(year__in=wanted)
        day_rows = day_rows.filter(date__year__in=wanted)
    known = [y for y in year_rows.values_list("year", flat=True)]
    state = key[0]
    stamp = max((t for t in (state[1], state[3]) if t is not None), default=None)
    version = f"{stamp.isoformat()}" if stamp else ""
    calendar = WorkCalendar(
        known,
        (CalendarException(d, k, n) for d, k, n in day_rows.values_list("date", "kind", "name")),
        version=version,
    )
    if len(_cache) > 32:  # keys go stale after every edit; keep the dict small
        _cache.clear()
    _cache[key] = calendar
    return calendar


def known_years() -> list[int]:
    return sorted(CalendarYear.objects.values_list("year", flat=True))


def calendar_year_missing_ahead(today: date) -> int | None:
    """The year the workbench asks the administrator to enter (see ``year_missing_ahead``)."""
    return year_missing_ahead(today, known_years())
