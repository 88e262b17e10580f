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


# --------------------------------------------------------------------------------------------
# 条例第十八条: 定期评估审查 of items marked 依申请公开 / 不予公开
# --------------------------------------------------------------------------------------------


def _reviewable(item: Any) -> None:
    from gongkai.catalogue.models import InformationItem

    if item.disclosure == InformationItem.Disclosure.PROACTIVE:
        raise ValidationError(_("“%(title)s”已是主动公开信息，无需评估") % {"title": item.title})
    if item.status == InformationItem.Status.WITHDRAWN:
        raise ValidationError(_("“%(title)s”已撤回，无需评估") % {"title": item.title})


def _review_row(
    *,
    item: Any,
    outcome: str,
    before: str,
    reason: str,
    proposal: Any,
    acting_user: Any,
    today: Any,
) -> Any:
    from .models import DisclosureReview

    review = DisclosureReview.objects.create(
        item=item,
        reviewed_on=today or timezone.localdate(),
        outcome=outcome,
        disclosure_before=before,
        disclosure_after=item.disclosure,
        reason=reason,
        proposal=proposal,
        reviewer=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        reviewer_name=acting_user.get_full_name() if acting_user is not None else "",
    )
    audit_record(
        action=AuditEntry.Action.CREATE,
        acting_user=acting_user,
        target=review,
        target_label=_("定期评估：%(title)s") % {"title": item.title},
        organisation=item.organisation,
        detail={
            "item": item.index_number,
            "outcome": outcome,
            "from": before,
            "to": item.disclosure,
            "reviewed_on": review.reviewed_on.isoformat(),
        },
    )
    return review


def disclosure_review_keep(
    *, item: Any, disclosure: str, reason: str, acting_user: Any, today: Any = None
) -> Any:
    """The review finds the reason still holds: the item stays 依申请公开 or 不予公开 (staff may
    move it between the two) with a freshly stated reason, saved through the catalogue's own
    ``item_update`` (role check, its audit row), and the review is recorded with its date."""
    from gongkai.catalogue.models import InformationItem
    from gongkai.catalogue.services import item_update

    _reviewable(item)
    kept = (InformationItem.Disclosure.ON_REQUEST, InformationItem.Disclosure.WITHHELD)
    if disclosure not in kept:
        raise ValidationError({"disclosure": _("请选择维持“依申请公开”或“不予公开”")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写维持不主动公开的理由")})
    before = item.disclosure
    with transaction.atomic():
        item_update(
            item=item,
            data={"disclosure": disclosure, "disclosure_reason": reason},
            acting_user=acting_user,
        )
        return _review_row(
            item=item,
            outcome="keep",
            before=before,
            reason=reason,
            proposal=None,
            acting_user=acting_user,
            today=today,
        )


def disclosure_review_propose(
    *, item: Any, reason: str, acting_user: Any, today: Any = None
) -> Any:
    """条例第十八条: 因情势变化可以公开的政府信息应当公开. The review proposes 主动公开: a
    proposal joins the 转主动公开 queue of 第四十四条 for the 政务公开管理员; the item itself is
    unchanged until an editor switches it to 主动公开 and the review chain approves it."""
    from gongkai.foi.services import item_propose_proactive

    _reviewable(item)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写建议转为主动公开的理由")})
    with transaction.atomic():
        proposal = item_propose_proactive(item=item, reason=reason, acting_user=acting_user)
        return _review_row(
            item=item,
            outcome="propose",
            before=item.disclosure,
            reason=reason,
            proposal=proposal,
            acting_user=acting_user,
            today=today,
        )


# --------------------------------------------------------------------------------------------
# 条例第二十条: which columns carry each kind (网站自查 configuration)
# --------------------------------------------------------------------------------------------


def can_configure_article20(user: Any) -> bool:
    """The mapping serves every organisation, so only an administrator of a top-level
    organisation (or a superuser) may change it."""
    from gongkai.accounts.models import Organisation, Role
    from gongkai.accounts.selectors import organisation_ids_for_role

    scope = organisation_ids_for_role(user, Role.ADMIN)
    if scope is None:
        return True
    return Organisation.objects.filter(pk__in=scope, parent__isnull=True).exists()


def article20_columns_set(*, number: int, columns: list[Any], acting_user: Any) -> Any:
    from django.core.exceptions import PermissionDenied

    from .disclosure import category_label
    from .models import Article20Category

    if acting_user is not None and not can_configure_article20(acting_user):
        raise PermissionDenied(_("只有上级机关的政务公开管理员可以设置第二十条栏目对应关系"))
    try:
        label = category_label(number)
    except KeyError:
        raise ValidationError(_("第二十条没有第%(n)s项") % {"n": number}) from None
    inactive = [c.name for c in columns if not c.is_active]
    if inactive:
        raise ValidationError(
            _("%(label)s：栏目%(names)s已停用")
            % {"label": label, "names": "、".join(f"“{n}”" for n in inactive)}
        )
    with transaction.atomic():
        category, _created = Article20Category.objects.select_for_update().get_or_create(
            number=number
        )
        before = sorted(category.columns.values_list("slug", flat=True))
        category.columns.set(columns)
        after = sorted(c.slug for c in columns)
        if before != after:
            audit_record(
                action=AuditEntry.Action.EDIT,
                acting_user=acting_user,
                target=category,
                target_label=label,
                detail={"from": before, "to": after},
            )
    return category
