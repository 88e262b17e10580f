"""审查台账: reading, exporting and pruning the audit trail.

The audit trail is append-only (``AuditEntry`` refuses update and delete on an instance). It is
the 审查台账 every seed agency keeps and inspections ask for, so it must be filterable, export
to Excel, and be kept at least 180 days (issue 5 item 3); only ``audit_prune`` removes rows,
and it refuses a shorter retention.
"""

from __future__ import annotations

import datetime
import io
import json
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.models import Role
from gongkai.accounts.selectors import organisation_ids_for_role
from gongkai.core.models import AuditEntry
from gongkai.core.services import audit_record
from gongkai.core.text import spreadsheet_text

MIN_RETENTION_DAYS = 180

EXPORT_HEADERS = (
    "时间",
    "操作人",
    "操作",
    "对象类型",
    "对象编号",
    "对象名称",
    "所属机构",
    "详情",
    "IP地址",
)
EXPORT_LIMIT = 100_000


@dataclass(frozen=True)
class LedgerFilter:
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    action: str = ""
    actor: str = ""
    organisation_id: int | None = None
    target_type: str = ""


def ledger_scope(user: Any) -> set[int] | None:
    """Organisations whose rows ``user`` may read: 政务公开管理员 see their organisations (and
    those below with 含下级机构); superusers see everything (``None``)."""
    scope = organisation_ids_for_role(user, Role.ADMIN)
    if scope is not None and not scope:
        raise PermissionDenied(_("只有政务公开管理员可以查看审查台账"))
    return scope


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def ledger_entries(user: Any, filters: LedgerFilter) -> QuerySet[AuditEntry]:
    scope = ledger_scope(user)
    qs = AuditEntry.objects.select_related("organisation")
    if scope is not None:
        qs = qs.filter(organisation_id__in=scope)
    if filters.date_from:
        qs = qs.filter(created_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        qs = qs.filter(created_at__lt=_day_start(filters.date_to + datetime.timedelta(days=1)))
    if filters.action:
        qs = qs.filter(action=filters.action)
    if filters.actor:
        qs = qs.filter(
            Q(actor_name__icontains=filters.actor) | Q(actor__username__iexact=filters.actor)
        )
    if filters.organisation_id:
        qs = qs.filter(organisation_id=filters.organisation_id)
    if filters.target_type:
        qs = qs.filter(target_type__in=[filters.target_type, *_former_labels(filters.target_type)])
    return qs.order_by("-created_at", "-id")


# Audit rows are append-only, so rows written before issue 11 moved these models out of the
# review app keep their old label; the ledger reads and filters them under the new one.
MOVED_TARGET_TYPES = {
    "review.wordlistentry": "checks.wordlistentry",
    "review.errorreport": "oversight.errorreport",
    "review.inspectionrun": "oversight.inspectionrun",
    "review.disclosurereview": "oversight.disclosurereview",
    "review.article20category": "oversight.article20category",
}


def _former_labels(label_lower: str) -> list[str]:
    return [old for old, new in MOVED_TARGET_TYPES.items() if new == label_lower]


def target_type_label(label_lower: str) -> str:
    if not label_lower:
        return ""
    try:
        label_lower = MOVED_TARGET_TYPES.get(label_lower, label_lower)
        return str(apps.get_model(label_lower)._meta.verbose_name)
    except (LookupError, ValueError):
        return label_lower


def target_type_choices() -> list[tuple[str, str]]:
    """Every model that can appear as a target, by its Chinese name."""
    out = [(m._meta.label_lower, str(m._meta.verbose_name)) for m in apps.get_models()]
    out = [(value, label) for value, label in out if value.startswith("catalogue.")] + [
        (value, label)
        for value, label in out
        if value.split(".")[0]
        in (
            "policies",
            "review",
            "checks",
            "oversight",
            "accounts",
            "foi",
            "interaction",
            "reports",
            "workdays",
        )
    ]
    return sorted(set(out), key=lambda pair: pair[0])


def detail_text(detail: Any) -> str:
    if not detail:
        return ""
    return json.dumps(detail, ensure_ascii=False, sort_keys=True)


def ledger_workbook(entries: QuerySet[AuditEntry]) -> bytes:
    """The 审查台账 as an .xlsx file with Chinese headers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "审查台账"
    ws.append(list(EXPORT_HEADERS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    labels = dict(AuditEntry.Action.choices)
    type_labels: dict[str, str] = {}
    for entry in entries[:EXPORT_LIMIT].iterator(chunk_size=2000):
        if entry.target_type not in type_labels:
            type_labels[entry.target_type] = target_type_label(entry.target_type)
        row = [
            timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M:%S"),
            entry.actor_name or _("系统"),
            str(labels.get(entry.action, entry.action)),
            type_labels[entry.target_type],
            entry.target_id,
            entry.target_label,
            entry.organisation.name if entry.organisation else "",
            detail_text(entry.detail),
            entry.ip_address or "",
        ]
        # Titles and names are typed by users: none may become a live formula in Excel.
        ws.append([spreadsheet_text(value) for value in row])
    for column, width in zip("ABCDEFGHI", (20, 14, 12, 16, 10, 40, 24, 60, 16), strict=True):
        ws.column_dimensions[column].width = width
    ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def audit_prune(*, days: int, acting_user: Any = None, now: datetime.datetime | None = None) -> int:
    """Delete audit rows older than ``days`` days (never fewer than 180), leaving a row that
    says so. A QuerySet delete: ``AuditEntry.delete()`` on one row is refused by design."""
    if days < MIN_RETENTION_DAYS:
        raise ValidationError(
            _("审计记录至少保留 %(min)d 天，不能只保留 %(days)d 天")
            % {"min": MIN_RETENTION_DAYS, "days": days}
        )
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    with transaction.atomic():
        old = AuditEntry.objects.filter(created_at__lt=cutoff)
        count = old.count()
        if count:
            old._raw_delete(old.db)  # no cascades point at AuditEntry; skip the collector
        audit_record(
            action=AuditEntry.Action.DELETE,
            acting_user=acting_user,
            target_label=_("清理审计记录"),
            detail={"days": days, "before": cutoff.isoformat(), "deleted": count},
        )
    return count
