"""View tests moved from gongkai/subscriptions/tests/test_subscriptions.py (issue 11 item 7)."""

from gongkai.catalogue.models import InformationItem
from gongkai.core.models import AuditEntry
from gongkai.policies.tests.factories import (
    PolicyItemFactory,
)
from gongkai.subscriptions.models import InboxEntry, Subscription
from gongkai.subscriptions.services import subscription_create
from gongkai.subscriptions.tests.test_subscriptions import account


def test_subscription_pages_and_inbox_in_personal_centre(client, org_tree, public_user):
    client.force_login(public_user)
    r = client.post("/subscriptions/", {"kind": "keyword", "keyword": "补贴"})
    assert r.status_code == 302
    r = client.post("/subscriptions/", {"kind": "topic"})
    assert "请选择或填写要订阅的政策主题" in r.content.decode()
    subscription = Subscription.objects.get(user=public_user)
    assert (subscription.kind, subscription.keyword) == ("keyword", "补贴")
    item = PolicyItemFactory(organisation=org_tree["finance"], title="创业补贴办法")
    r = client.post(f"/subscriptions/policy/{item.pk}/")
    assert r.status_code == 302
    InboxEntry.objects.create(user=public_user, item=item, reason="您订阅的关键词：补贴")
    me = client.get("/accounts/me/").content.decode()
    assert "创业补贴办法" in me
    assert "您订阅的关键词：补贴" in me
    client.post(f"/subscriptions/{subscription.pk}/delete/")
    assert list(Subscription.objects.values_list("kind", flat=True)) == ["policy"]
    assert AuditEntry.objects.filter(action="delete", target_id=str(subscription.pk)).exists()


def test_private_atom_feed_of_a_subscription(client, org_tree):
    user = account("reader")
    subscription = subscription_create(user=user, kind="keyword", target="补贴", acting_user=user)
    PolicyItemFactory(organisation=org_tree["finance"], title="创业补贴办法")
    PolicyItemFactory(organisation=org_tree["finance"], title="人才公寓办法")
    PolicyItemFactory(
        organisation=org_tree["finance"], title="补贴草稿", status=InformationItem.Status.DRAFT
    )
    r = client.get(f"/subscriptions/feed/{subscription.feed_token}/")
    assert r.status_code == 200
    body = r.content.decode()
    assert "<title>创业补贴办法</title>" in body
    assert "人才公寓办法" not in body
    assert "补贴草稿" not in body
    assert client.get("/subscriptions/feed/not-a-token/").status_code == 404
