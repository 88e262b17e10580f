"""Writes of the review context; each one is atomic and leaves an audit row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core.models import AuditEntry
from gongkai.core.services import audit_record

from .models import ErrorReport, WordlistEntry, default_blocking
from .wordlist import WordRow

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

    ``rows`` come from :func:`gongkai.review.wordlist.parse_wordlist`, which has already
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


# --------------------------------------------------------------------------------------------
# 我为政府网站找错
# --------------------------------------------------------------------------------------------


def error_report_submit(
    *,
    page_url: str,
    description: str,
    contact: str = "",
    acting_user: Any = None,
    ip_address: str | None = None,
) -> ErrorReport:
    """A report from the public (the form validated the fields)."""
    reporter = acting_user if getattr(acting_user, "is_authenticated", False) else None
    with transaction.atomic():
        report = ErrorReport.objects.create(
            page_url=page_url, description=description, contact=contact, reporter=reporter
        )
        audit_record(
            action=AuditEntry.Action.CREATE,
            acting_user=acting_user,
            target=report,
            target_label=f"网站找错 {page_url}"[:300],
            ip_address=ip_address,
        )
    return report


def error_report_answer(*, report: ErrorReport, answer: str, acting_user: Any) -> ErrorReport:
    """Record the answer; answering again replaces it (the audit trail keeps every version)."""
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": _("请填写答复内容")})
    with transaction.atomic():
        report = ErrorReport.objects.select_for_update().get(pk=report.pk)
        previous = report.status
        report.answer = answer
        report.status = ErrorReport.Status.ANSWERED
        report.answered_at = timezone.now()
        report.answered_by = acting_user
        report.save(update_fields=["answer", "status", "answered_at", "answered_by"])
        audit_record(
            action=AuditEntry.Action.TRANSITION,
            acting_user=acting_user,
            target=report,
            target_label=f"网站找错 {report.page_url}"[:300],
            detail={"from": previous, "to": report.status, "answer": answer[:500]},
        )
    return report


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


def item_mask_personal_data(*, item: Any, acting_user: Any) -> list[str]:
    """One-click masking on an information item: ID, bank-card and mobile numbers and e-mail
    addresses in the title, summary and body are replaced by their masked forms (rules note
    §5.6, 去标识化). Saved through the catalogue's own update service (role check, audit row).
    Returns the names of the fields that changed. Attachments cannot be rewritten: their
    findings stay until the file is replaced."""
    from gongkai.catalogue.services import item_update

    from .checks import mask, mask_html, privacy_findings

    data: dict[str, str] = {}
    for name in ("title", "summary"):
        value = getattr(item, name) or ""
        masked = mask(value, privacy_findings(value))
        if masked != value:
            data[name] = masked
    body = item.body or ""
    masked_body = mask_html(body)
    if masked_body != body:
        data["body"] = masked_body
    if data:
        item_update(item=item, data=data, acting_user=acting_user)
    return sorted(data)
