"""Writes of the throw-away kind, shaped like every content app's services."""

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.core.models import AuditEntry
from gongkai.core.services import audit_record
from gongkai.review.chain_services import content_saved, publish_approved, withdraw_published

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


def notice_publish(*, notice: Notice, acting_user: Any, on: datetime.date | None = None) -> Notice:
    # The one publish step (row lock, final approval, status, 发布日期, audit row), never a copy
    # of its writes: a copy would publish what the chain never approved. A kind's own refusals
    # and side effects go in as the step's problem / prepare / detail hooks.
    return publish_approved(notice, acting_user=acting_user, on=on, already=_("该公告已经发布"))


def notice_withdraw(*, notice: Notice, reason: str, acting_user: Any) -> None:
    # The one withdraw step: status, audit row and ``content_withdrawn``, like every kind.
    withdraw_published(notice, reason=reason, acting_user=acting_user)
