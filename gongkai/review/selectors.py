"""Reads of the review context: the compiled 错敏词 checker, cached per process."""

from __future__ import annotations

import threading
from typing import Any

from django.db import connection
from django.db.models import Count, Max

from .checks import TextChecker, WordEntry
from .models import WordCategory, WordlistEntry

_lock = threading.Lock()
_cache: dict[str, Any] = {"key": None, "checker": None}


def wordlist_version() -> tuple[Any, ...]:
    """Changes whenever the dictionary does: one cheap aggregate query.

    Adding a word raises max(updated_at); deleting one lowers the count; editing one (admin or
    import) raises max(updated_at). So every worker process notices a change on its next check
    without any cross-process signalling.
    """
    agg = WordlistEntry.objects.aggregate(n=Count("id"), latest=Max("updated_at"))
    return (connection.alias, connection.settings_dict.get("NAME"), agg["n"], agg["latest"])


def build_checker() -> TextChecker:
    labels = {value: str(label) for value, label in WordCategory.choices}
    entries = [
        WordEntry(word, labels.get(category, category), suggestion, blocking)
        for word, category, suggestion, blocking in WordlistEntry.objects.values_list(
            "word", "category", "suggestion", "is_blocking"
        ).iterator(chunk_size=5000)
    ]
    return TextChecker(entries)


def current_checker() -> TextChecker:
    """The checker over the current dictionary; rebuilt only when the dictionary changed."""
    key = wordlist_version()
    checker = _cache["checker"]
    if checker is not None and _cache["key"] == key:
        return checker
    with _lock:
        if _cache["checker"] is not None and _cache["key"] == key:
            return _cache["checker"]
        checker = build_checker()
        _cache["key"] = key
        _cache["checker"] = checker
        return checker
