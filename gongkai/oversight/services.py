"""Writes of the oversight context: 网站找错 answers, the 第十八条 review, the 第二十条 mapping."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core.models import AuditEntry
from gongkai.core.services import audit_record

from .models import ErrorReport


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
    ``item_keep_withheld`` (role check, its audit row), and the review is recorded with its
    date."""
    from gongkai.catalogue.models import InformationItem
    from gongkai.catalogue.services import item_keep_withheld

    _reviewable(item)
    kept = (InformationItem.Disclosure.ON_REQUEST, InformationItem.Disclosure.WITHHELD)
    if disclosure not in kept:
        raise ValidationError({"disclosure": _("请选择维持“依申请公开”或“不予公开”")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写维持不主动公开的理由")})
    before = item.disclosure
    with transaction.atomic():
        item_keep_withheld(item=item, disclosure=disclosure, reason=reason, acting_user=acting_user)
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
