"""Writes of the throw-away kind, shaped like every content app's services."""

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.core.models import AuditEntry
from gongkai.core.services import audit_record
from gongkai.review.chain_services import content_saved, withdraw_published

from .models import Notice


def notice_create(*, organisation: Any, title: str, body: str, acting_user: Any) -> Notice:
    with transaction.atomic():
        notice = Notice.objects.create(
            organisation=organisation, title=title, body=body, created_by=acting_user
        )
        # The one call after an edit: a version, and content_changed once committed.
        content_saved(content=notice, created=True)
        audit_record(action=AuditEntry.Action.CREATE, acting_user=acting_user, target=notice)
    return notice


def notice_publish(*, notice: Notice, acting_user: Any, on: datetime.date | None) -> None:
    notice.status = Notice.Status.PUBLISHED
    notice.published_date = on or timezone.localdate()
    notice.save(update_fields=["status", "published_date", "updated_at"])
    audit_record(action=AuditEntry.Action.PUBLISH, acting_user=acting_user, target=notice)


def notice_withdraw(*, notice: Notice, reason: str, acting_user: Any) -> None:
    # The one withdraw step: status, audit row and ``content_withdrawn``, like every kind.
    withdraw_published(notice, reason=reason, acting_user=acting_user)
