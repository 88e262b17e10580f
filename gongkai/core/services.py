"""Writes of the shared kernel: the audit trail."""

from typing import Any

from django.db import models

from .models import AuditEntry


def audit_record(
    *,
    action: str,
    acting_user: Any = None,
    target: models.Model | None = None,
    target_label: str = "",
    organisation: Any = None,
    detail: dict | None = None,
    ip_address: str | None = None,
) -> AuditEntry:
    """Append one audit row. Call it inside the transaction of the change it records."""
    actor = acting_user if getattr(acting_user, "is_authenticated", False) else None
    entry = AuditEntry(
        action=action,
        actor=actor,
        actor_name=(actor.get_full_name() or actor.get_username()) if actor else "",
        detail=detail or {},
        ip_address=ip_address,
        organisation=organisation,
    )
    if target is not None:
        entry.target_type = target._meta.label_lower
        entry.target_id = str(target.pk)
        entry.target_label = (target_label or str(target))[:300]
        if organisation is None:
            entry.organisation = getattr(target, "organisation", None)
    else:
        entry.target_label = target_label[:300]
    entry.save()
    return entry
