"""Outbound webhooks: signed with HMAC-SHA256, retried with back-off, logged (only the HTTP
POST is replaced)."""

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from gongkai.accounts.models import Role
from gongkai.core.models import AuditEntry
from gongkai.interaction import services, webhooks
from gongkai.interaction.models import WebhookDelivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform(org_tree, make_staff):
    admin = make_staff(Role.ADMIN, org_tree["finance"])
    handler = make_staff(Role.FOI_HANDLER, org_tree["finance"])
    integration, _token, secret = services.integration_issue(
        name="接诉即办平台",
        organisation=org_tree["finance"],
        channel="jsjb",
        webhook_url="https://jsjb.example.gov.cn/hook",
        acting_user=admin,
    )
    message, created = services.message_receive_work_order(
        integration=integration,
        data={
            "work_order_id": "W-1",
            "title": "噪音",
            "content": "夜间施工",
            "category": "complaint",
        },
    )
    assert created
    return integration, secret, message, handler


class FakePost:
    def __init__(self, answers):
        self.answers = list(answers)
        self.calls = []

    def __call__(self, url, body, headers):
        self.calls.append((url, body, headers))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def test_signature_is_hmac_sha256_of_timestamp_and_body(platform, monkeypatch):
    _integration, secret, message, handler = platform
    fake = FakePost([200])
    monkeypatch.setattr(webhooks, "_post", fake)
    services.message_start(message=message, acting_user=handler)
    delivery = WebhookDelivery.objects.get(event="started")
    now = timezone.now()
    webhooks.webhook_attempt(delivery, now=now)
    url, body, headers = fake.calls[0]
    assert url == "https://jsjb.example.gov.cn/hook"
    expected = hmac.new(
        secret.encode(), f"{int(now.timestamp())}.".encode() + body, hashlib.sha256
    ).hexdigest()
    assert headers["X-Gongkai-Signature"] == f"sha256={expected}"
    assert headers["X-Gongkai-Timestamp"] == str(int(now.timestamp()))
    payload = json.loads(body)
    assert payload["work_order_id"] == "W-1"
    assert payload["status"] == "in_progress"
    assert payload["event"] == "started"
    delivery.refresh_from_db()
    assert delivery.state == WebhookDelivery.State.DELIVERED
    assert delivery.attempts == 1


def test_failures_are_retried_with_back_off_then_given_up(platform, monkeypatch):
    _integration, _secret, message, handler = platform
    fake = FakePost([OSError("connection refused"), 503, 500, 502, 504, 500])
    monkeypatch.setattr(webhooks, "_post", fake)
    services.message_start(message=message, acting_user=handler)
    delivery = WebhookDelivery.objects.get(event="started")
    now = timezone.now()
    webhooks.webhook_attempt(delivery, now=now)
    delivery.refresh_from_db()
    assert delivery.state == WebhookDelivery.State.PENDING
    assert delivery.last_error == "OSError: connection refused"
    assert delivery.next_attempt_at == now + timedelta(minutes=1)
    # Not due yet: nothing is sent.
    assert webhooks.webhooks_retry_due(now=now + timedelta(seconds=59)) == 0
    waits = [5, 25, 125, 625]
    t = now + timedelta(minutes=1)
    for wait in waits:
        assert webhooks.webhooks_retry_due(now=t) == 1
        delivery.refresh_from_db()
        assert delivery.next_attempt_at == t + timedelta(minutes=wait)
        t = delivery.next_attempt_at
    assert webhooks.webhooks_retry_due(now=t) == 1
    delivery.refresh_from_db()
    assert delivery.state == WebhookDelivery.State.FAILED
    assert delivery.attempts == webhooks.MAX_ATTEMPTS
    assert delivery.last_status == 500
    assert len(fake.calls) == 6
    assert webhooks.webhooks_retry_due(now=t + timedelta(days=1)) == 0
    logged = AuditEntry.objects.filter(
        target_type="interaction.message", detail__webhook=delivery.pk
    )
    assert logged.count() == 6


def test_messages_not_from_a_platform_send_nothing(org_tree, make_staff):
    handler = make_staff(Role.FOI_HANDLER, org_tree["finance"])
    message, _ = services.message_submit(
        organisation=org_tree["finance"],
        data={"title": "t", "content": "c", "category": "consult"},
    )
    services.message_start(message=message, acting_user=handler)
    assert WebhookDelivery.objects.count() == 0


def test_delivery_runs_after_commit(platform, monkeypatch, django_capture_on_commit_callbacks):
    _integration, _secret, message, handler = platform
    fake = FakePost([204])
    monkeypatch.setattr(webhooks, "_post", fake)
    with django_capture_on_commit_callbacks(execute=True):
        services.message_start(message=message, acting_user=handler)
    delivery = WebhookDelivery.objects.get(event="started")
    assert delivery.state == WebhookDelivery.State.DELIVERED
    assert len(fake.calls) == 1
