"""Outbound webhooks to the 12345 / 接诉即办 platforms: each status change and reply of a
message that came from a platform is sent back, signed, retried with back-off and logged.

Signature: ``X-Gongkai-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`` with the
integration's secret, ``X-Gongkai-Timestamp: <unix seconds>`` and ``X-Gongkai-Event``. The body
is compact JSON (UTF-8). A platform recomputes the HMAC over the timestamp, a dot and the raw
body, and rejects stale timestamps. Any 2xx answer is success; anything else (or no answer) is
retried after 1, 5, 25, 125 and 625 minutes; after ``MAX_ATTEMPTS`` the delivery is 发送失败.
Every attempt is kept on the ``WebhookDelivery`` row and written to the audit log.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.request
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.core.models import AuditEntry
from gongkai.core.services import audit_record

from .models import Message, WebhookDelivery

MAX_ATTEMPTS = 6
TIMEOUT_SECONDS = 10
# Events a platform is told about: every step a person or the platform would see.
SENT_EVENTS = {
    "assigned",
    "transferred",
    "started",
    "contacted",
    "replied",
    "closed",
    "feedback",
    "redo",
    "merged",
    "rejected",
}


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """``sha256=`` + hex HMAC-SHA256 over ``b"<timestamp>." + body``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def backoff(attempts: int) -> timedelta:
    """Wait before the next try after ``attempts`` failed ones: 1, 5, 25, 125, 625 minutes."""
    return timedelta(minutes=5 ** max(attempts - 1, 0))


def payload_for(message: Message, event: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "event": event,
        "work_order_id": message.work_order_id,
        "reference": message.reference,
        "status": message.status,
        "organisation": message.organisation.code,
        "due_date": message.due_date.isoformat() if message.due_date else None,
    }
    if event == "replied":
        data["reply"] = message.reply
        data["replied_at"] = (
            timezone.localtime(message.replied_at).isoformat() if message.replied_at else None
        )
    return data


def webhook_queue(*, message: Message, event: str) -> WebhookDelivery | None:
    """Inside the step's transaction: record the delivery; send it once the step commits."""
    integration = message.integration
    if integration is None or not integration.webhook_url or event not in SENT_EVENTS:
        return None
    delivery = WebhookDelivery.objects.create(
        integration=integration,
        message=message,
        event=event,
        payload=payload_for(message, event),
        next_attempt_at=timezone.now(),
    )

    def send() -> None:
        from .tasks import webhook_deliver

        webhook_deliver(delivery.pk)

    transaction.on_commit(send)
    return delivery


def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    """The only thing that leaves the machine (tests replace it)."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
        return int(response.status)


def webhook_attempt(delivery: WebhookDelivery, *, now: datetime | None = None) -> WebhookDelivery:
    """One try at sending ``delivery``; records the outcome and the next try's time."""
    now = now or timezone.now()
    if delivery.state != WebhookDelivery.State.PENDING:
        return delivery
    integration = delivery.integration
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = int(now.timestamp())
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "X-Gongkai-Event": delivery.event,
        "X-Gongkai-Timestamp": str(timestamp),
        "X-Gongkai-Signature": sign(integration.secret, timestamp, body),
        "X-Gongkai-Delivery": str(delivery.pk),
    }
    status: int | None = None
    error = ""
    try:
        status = _post(integration.webhook_url, body, headers)
    except Exception as exc:  # any failure of the remote end is retried
        error = f"{type(exc).__name__}: {exc}"[:500]
        status = getattr(exc, "code", None)
    delivery.attempts += 1
    delivery.last_status = status
    ok = status is not None and 200 <= status < 300 and not error
    delivery.last_error = "" if ok else (error or f"HTTP {status}")
    if ok:
        delivery.state = WebhookDelivery.State.DELIVERED
        delivery.next_attempt_at = None
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.state = WebhookDelivery.State.FAILED
        delivery.next_attempt_at = None
    else:
        delivery.next_attempt_at = now + backoff(delivery.attempts)
    with transaction.atomic():
        delivery.save()
        audit_record(
            action=AuditEntry.Action.TRANSITION,
            target=delivery.message,
            target_label=delivery.message.reference,
            organisation=delivery.message.organisation,
            detail={
                "webhook": delivery.pk,
                "event": delivery.event,
                "attempt": delivery.attempts,
                "state": delivery.state,
                "status": status,
            },
        )
    return delivery


def webhooks_retry_due(*, now: datetime | None = None) -> int:
    """Retry every pending delivery whose next try is due; returns how many were tried."""
    now = now or timezone.now()
    due = WebhookDelivery.objects.filter(
        state=WebhookDelivery.State.PENDING, next_attempt_at__lte=now
    ).select_related("integration", "message__organisation")
    count = 0
    for delivery in due:
        webhook_attempt(delivery, now=now)
        count += 1
    return count
