"""The interaction API: statistics (same figures as the command) and idempotent intake."""

import json
from datetime import date

import pytest

from gongkai.accounts.models import Role
from gongkai.core.models import AuditEntry
from gongkai.interaction import services
from gongkai.interaction.models import Message, MessageEvent

pytestmark = pytest.mark.django_db

HEADER = "reference,org_code,channel,category,received,title,content,replied,reply\n"


@pytest.fixture
def integration(org_tree, make_staff):
    admin = make_staff(Role.ADMIN, org_tree["city"])
    integration, token, secret = services.integration_issue(
        name="杭东市12345热线",
        organisation=org_tree["city"],
        acting_user=admin,
        webhook_url="https://12345.example.gov.cn/hook",
    )
    return integration, token, secret


ORDER = {
    "work_order_id": "GD20251009001",
    "title": "小区门口路灯不亮",
    "content": "请尽快维修，联系电话13812345678",
    "category": "help",
    "org_code": "113301000024900002",
    "received": "2025-09-26T10:00:00+08:00",
    "name": "李四",
    "phone": "13812345678",
}


def post(client, token, body):
    return client.post(
        "/api/v1/interaction/messages",
        data=json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def test_intake_is_idempotent_by_work_order(client, integration, org_tree):
    _item, token, _secret = integration
    first = post(client, token, ORDER)
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["created"] is True
    assert body["organisation"] == org_tree["finance"].code
    # hotline_12345 (the integration's channel): Fri 9/26 → Sun 9/28 调休, 9/29, 9/30.
    assert body["due_date"] == "2025-09-30"
    again = post(client, token, {**ORDER, "title": "改过的标题"})
    assert again.status_code == 200
    assert again.json()["reference"] == body["reference"]
    assert again.json()["created"] is False
    assert Message.objects.count() == 1
    message = Message.objects.get()
    assert message.title == "小区门口路灯不亮"
    assert message.phone == "13812345678"
    assert "13812345678" not in message.phone_enc
    assert message.received_date == date(2025, 9, 26)
    assert MessageEvent.objects.filter(message=message, type="received_api").count() == 1


def test_intake_refuses_bad_tokens_and_foreign_organisations(client, integration, org_tree):
    _item, token, _secret = integration
    assert post(client, "gk_nope_nope", ORDER).status_code == 401
    assert post(client, token[:-2] + "xx", ORDER).status_code == 401
    response = post(client, token, {**ORDER, "org_code": "NOT-OURS"})
    assert response.status_code == 422
    assert "承办机构代码不存在" in response.json()["detail"]
    response = post(client, token, {**ORDER, "category": "praise"})
    assert response.status_code == 422
    assert Message.objects.count() == 0


def test_revoked_integration_is_refused(client, integration, make_staff, org_tree):
    item, token, _secret = integration
    admin = make_staff(Role.ADMIN, org_tree["city"])
    services.integration_revoke(integration=item, acting_user=admin)
    assert post(client, token, ORDER).status_code == 401
    assert AuditEntry.objects.filter(target_type="interaction.integration").count() == 2
