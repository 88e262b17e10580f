"""Writes of the checks context (the 错敏词 dictionary): atomic, each with an audit row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core.models import AuditEntry
from gongkai.core.services import audit_record

from .models import WordlistEntry, default_blocking
from .wordlist import WordRow, starter_rows

BATCH_SIZE = 2000


@dataclass(frozen=True)
class WordlistImportResult:
    created: int
    updated: int
    unchanged: int


def wordlist_import(
    *, rows: list[WordRow], acting_user: Any = None, source: str = ""
) -> WordlistImportResult:
    """Create new words and update existing ones in one transaction.

    ``rows`` come from :func:`gongkai.checks.wordlist.parse_wordlist`, which has already
    refused the whole file if any line was bad, so this either applies every row or none.
    An updated word keeps its 阻止发布 flag unless its category changes, in which case it
    takes the category's default (an administrator's manual choice survives a re-import).
    """
    now = timezone.now()
    with transaction.atomic():
        existing = {e.word: e for e in WordlistEntry.objects.all()}
        to_create: list[WordlistEntry] = []
        to_update: list[WordlistEntry] = []
        unchanged = 0
        for row in rows:
            entry = existing.get(row.word)
            if entry is None:
                to_create.append(
                    WordlistEntry(
                        word=row.word,
                        category=row.category,
                        suggestion=row.suggestion,
                        is_blocking=default_blocking(row.category),
                    )
                )
                continue
            if entry.category == row.category and entry.suggestion == row.suggestion:
                unchanged += 1
                continue
            if entry.category != row.category:
                entry.is_blocking = default_blocking(row.category)
            entry.category = row.category
            entry.suggestion = row.suggestion
            # bulk_update does not apply auto_now; the checker cache keys on updated_at.
            entry.updated_at = now
            to_update.append(entry)
        WordlistEntry.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
        WordlistEntry.objects.bulk_update(
            to_update,
            ["category", "suggestion", "is_blocking", "updated_at"],
            batch_size=BATCH_SIZE,
        )
        result = WordlistImportResult(len(to_create), len(to_update), unchanged)
        audit_record(
            action=AuditEntry.Action.IMPORT,
            acting_user=acting_user,
            target_label=f"错敏词库 {source}".strip(),
            detail={
                "kind": "wordlist",
                "source": source,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
            },
        )
    return result


def wordlist_entry_save(
    *,
    word: str,
    category: str,
    suggestion: str = "",
    is_blocking: bool | None = None,
    acting_user: Any,
) -> WordlistEntry:
    """Add a word or update the existing one; ``is_blocking=None`` takes the category default
    for a new word and keeps the current flag of an existing word of the same category."""
    word = word.strip()
    if not word:
        raise ValidationError({"word": _("请填写词语")})
    with transaction.atomic():
        entry = WordlistEntry.objects.select_for_update().filter(word=word).first()
        created = entry is None
        if entry is None:
            entry = WordlistEntry(word=word)
        if is_blocking is None:
            is_blocking = (
                entry.is_blocking
                if not created and entry.category == category
                else default_blocking(category)
            )
        entry.category = category
        entry.suggestion = suggestion.strip()
        entry.is_blocking = is_blocking
        entry.full_clean()
        entry.save()
        audit_record(
            action=AuditEntry.Action.CREATE if created else AuditEntry.Action.EDIT,
            acting_user=acting_user,
            target=entry,
            detail={
                "category": entry.category,
                "suggestion": entry.suggestion,
                "is_blocking": entry.is_blocking,
            },
        )
    return entry


def wordlist_entry_delete(*, entry: WordlistEntry, acting_user: Any) -> None:
    with transaction.atomic():
        audit_record(
            action=AuditEntry.Action.DELETE,
            acting_user=acting_user,
            target=entry,
            detail={"category": entry.category, "suggestion": entry.suggestion},
        )
        entry.delete()


def wordlist_load_starter(*, acting_user: Any = None) -> WordlistImportResult:
    """Add the words of the shipped starter dictionary that the dictionary lacks.

    Existing words are never changed, so an administrator's edits (a suggestion reworded, a
    word made blocking) survive; a word the administrator deleted comes back only when this
    is run again on purpose (``gongkai seed_wordlist`` or the back office's button).
    """
    rows = starter_rows()
    with transaction.atomic():
        existing = set(WordlistEntry.objects.values_list("word", flat=True))
        missing = [row for row in rows if row.word not in existing]
        WordlistEntry.objects.bulk_create(
            [
                WordlistEntry(
                    word=row.word,
                    category=row.category,
                    suggestion=row.suggestion,
                    is_blocking=default_blocking(row.category),
                )
                for row in missing
            ],
            batch_size=BATCH_SIZE,
        )
        result = WordlistImportResult(len(missing), 0, len(rows) - len(missing))
        audit_record(
            action=AuditEntry.Action.IMPORT,
            acting_user=acting_user,
            target_label="错敏词库 内置词库",
            detail={
                "kind": "wordlist",
                "source": "starter",
                "created": result.created,
                "updated": 0,
                "unchanged": result.unchanged,
            },
        )
    return result
