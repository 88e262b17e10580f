"""Subscription e-mail (issue 14): double opt-in, immediate mail, digests sent exactly once
(also across an interrupted run), China-time digest boundaries, one-click unsubscribe,
bounces and saved searches. Mail goes to Django's locmem backend."""

import datetime
import io
import json
import re
import time
import zoneinfo

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from gongkai.accounts.models import User
from gongkai.core.signals import announce, content_published
from gongkai.policies.tests.factories import PolicyItemFactory
from gongkai.subscriptions import mail as sub_mail
from gongkai.subscriptions.models import Delivery, InboxEntry, MailAddress, Subscription
from gongkai.subscriptions.services import (
    mail_address_confirm,
    mail_address_request,
    mail_send_due,
    subscription_create,
)

pytestmark = pytest.mark.django_db

CN = zoneinfo.ZoneInfo("Asia/Shanghai")


def account(name: str) -> User:
    return User.objects.create_user(username=name, password="pass-1234-abcd", kind="public")


def confirmed(user: User, email: str) -> None:
    MailAddress.objects.create(user=user, email=email, confirmed_at=timezone.now())


def entry_at(sub: Subscription, item, when: datetime.datetime) -> InboxEntry:
    entry = InboxEntry.objects.create(user=sub.user, item=item, reason="r", subscription=sub)
    InboxEntry.objects.filter(pk=entry.pk).update(created_at=when)
    return entry


def test_double_opt_in_mails_only_after_the_link_is_opened(
    client, org_tree, django_capture_on_commit_callbacks
):
    user = account("alice")
    subscription_create(
        user=user, kind="organisation", target=org_tree["finance"], acting_user=user,
        delivery="immediate",
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        mail_address_request(user=user, email="Alice@Example.cn", acting_user=user)
    assert [m.to for m in mail.outbox] == [["alice@example.cn"]]
    link = re.search(
        r"http://localhost:8000(/subscriptions/mail/confirm/\S+/)", mail.outbox[0].body
    )
    assert link is not None
    mail.outbox.clear()
    item = PolicyItemFactory(organisation=org_tree["finance"], title="未确认前发布")
    with django_capture_on_commit_callbacks(execute=True):
        announce(content_published, item, kind="item")
    assert mail.outbox == []  # not confirmed: inbox only
    assert InboxEntry.objects.filter(user=user).count() == 1
    r = client.get(link.group(1))
    assert r.status_code == 200
    assert "邮箱 alice@example.cn 已确认" in r.content.decode()
    second = PolicyItemFactory(organisation=org_tree["finance"], title="确认后发布")
    with django_capture_on_commit_callbacks(execute=True):
        announce(content_published, second, kind="item")
    # the waiting entry and the new one, one mail each
    assert sorted(m.subject for m in mail.outbox) == [
        "【政务公开平台】未确认前发布",
        "【政务公开平台】确认后发布",
    ]


def test_confirmation_link_expires_and_cannot_be_forged(client, monkeypatch):
    user = account("bob")
    MailAddress.objects.create(user=user, email="bob@example.cn")
    token = sub_mail.confirm_token(user_id=user.pk, email="bob@example.cn")
    r = client.get(f"/subscriptions/mail/confirm/{token}x/")
    assert r.status_code == 400
    assert "确认链接无效" in r.content.decode()
    forged = sub_mail.confirm_token(user_id=user.pk, email="evil@example.cn")
    r = client.get(f"/subscriptions/mail/confirm/{forged}/")
    assert r.status_code == 400
    assert "不是您当前申请的订阅邮箱" in r.content.decode()
    # Three days and a minute later the genuine link is refused too.
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + sub_mail.CONFIRM_MAX_AGE + 60)
    r = client.get(f"/subscriptions/mail/confirm/{token}/")
    assert r.status_code == 400
    assert "确认链接已过期" in r.content.decode()
    assert MailAddress.objects.get(user=user).confirmed_at is None
    monkeypatch.setattr(time, "time", real_time)
    r = client.get(f"/subscriptions/mail/confirm/{token}/")
    assert r.status_code == 200
    assert MailAddress.objects.get(user=user).confirmed_at is not None


def test_daily_digest_china_time_boundary_and_never_twice(org_tree):
    user = account("carol")
    confirmed(user, "carol@example.cn")
    sub = subscription_create(
        user=user, kind="organisation", target=org_tree["finance"], acting_user=user,
        delivery="daily",
    )  # fmt: skip
    Subscription.objects.filter(pk=sub.pk).update(mail_since=None)
    a, b = PolicyItemFactory.create_batch(2, organisation=org_tree["finance"])
    entry_at(sub, a, datetime.datetime(2026, 11, 29, 23, 59, 59, tzinfo=CN))
    entry_at(sub, b, datetime.datetime(2026, 11, 30, 0, 0, 0, tzinfo=CN))  # = 11-29 16:00 UTC
    run = datetime.datetime(2026, 11, 30, 7, 30, tzinfo=CN)
    assert mail_send_due(mode="daily", now=run) == 1
    assert mail.outbox[0].subject == f"【政务公开平台】每日订阅摘要：{sub}（1条）"
    assert a.title in mail.outbox[0].body
    assert b.title not in mail.outbox[0].body
    assert mail_send_due(mode="daily", now=run) == 0  # a re-run sends nothing
    assert mail_send_due(mode="daily", now=run + datetime.timedelta(days=1)) == 1
    assert b.title in mail.outbox[1].body
    assert a.title not in mail.outbox[1].body
    assert Delivery.objects.filter(subscription=sub).count() == 2


def test_weekly_digest_covers_monday_to_sunday_china_time(org_tree):
    user = account("dan")
    confirmed(user, "dan@example.cn")
    sub = subscription_create(
        user=user, kind="organisation", target=org_tree["finance"], acting_user=user,
        delivery="weekly",
    )  # fmt: skip
    Subscription.objects.filter(pk=sub.pk).update(mail_since=None)
    a, b = PolicyItemFactory.create_batch(2, organisation=org_tree["finance"])
    entry_at(sub, a, datetime.datetime(2026, 11, 29, 23, 59, tzinfo=CN))  # Sunday
    entry_at(sub, b, datetime.datetime(2026, 11, 30, 0, 1, tzinfo=CN))  # Monday
    # Monday 07:40 China time is Sunday 23:40 UTC: still the new week in China.
    run = datetime.datetime(2026, 11, 29, 23, 40, tzinfo=datetime.UTC)
    assert mail_send_due(mode="weekly", now=run) == 1
    assert "（1条）" in mail.outbox[0].subject
    assert a.title in mail.outbox[0].body
    assert mail_send_due(mode="daily", now=run) == 0  # another mode's run leaves it alone
    assert mail_send_due(mode="weekly", now=run + datetime.timedelta(days=6)) == 0
    assert mail_send_due(mode="weekly", now=run + datetime.timedelta(days=7)) == 1
    assert b.title in mail.outbox[1].body


class FailAfterTwo(EmailBackend):
    def send_messages(self, messages):
        if len(mail.outbox) >= 2:
            raise ConnectionError("SMTP gone")
        return super().send_messages(messages)


def test_interrupted_digest_run_resumes_without_duplicates_or_losses(org_tree):
    subs = []
    for n in range(5):
        user = account(f"u{n}")
        confirmed(user, f"u{n}@example.cn")
        sub = subscription_create(
            user=user, kind="organisation", target=org_tree["finance"], acting_user=user,
            delivery="daily",
        )  # fmt: skip
        Subscription.objects.filter(pk=sub.pk).update(mail_since=None)
        subs.append(sub)
    items = PolicyItemFactory.create_batch(2, organisation=org_tree["finance"])
    for sub in subs:
        for item in items:
            entry_at(sub, item, datetime.datetime(2026, 11, 29, 10, 0, tzinfo=CN))
    run = datetime.datetime(2026, 11, 30, 7, 30, tzinfo=CN)
    backend = f"{__name__}.FailAfterTwo"
    with (
        override_settings(MAILERS={"default": {"BACKEND": backend}}),
        pytest.raises(ConnectionError),
    ):
        mail_send_due(mode="daily", now=run)
    assert len(mail.outbox) == 2
    assert Delivery.objects.count() == 4  # two digests of two entries, nothing for the third
    assert mail_send_due(mode="daily", now=run) == 3
    assert mail_send_due(mode="daily", now=run) == 0
    assert sorted(m.to[0] for m in mail.outbox) == [f"u{n}@example.cn" for n in range(5)]
    assert all("（2条）" in m.subject for m in mail.outbox)
    assert Delivery.objects.count() == 10


def test_every_mail_has_one_click_unsubscribe_and_the_post_works(client, org_tree):
    user = account("erin")
    confirmed(user, "erin@example.cn")
    sub = subscription_create(
        user=user, kind="organisation", target=org_tree["finance"], acting_user=user,
        delivery="daily",
    )  # fmt: skip
    Subscription.objects.filter(pk=sub.pk).update(mail_since=None)
    entry_at(sub, PolicyItemFactory(organisation=org_tree["finance"]),
             datetime.datetime(2026, 11, 29, 10, tzinfo=CN))  # fmt: skip
    mail_send_due(mode="daily", now=datetime.datetime(2026, 11, 30, 8, tzinfo=CN))
    message = mail.outbox[0]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert f"退订本订阅的邮件（无需登录）：{url}" in message.body
    path = url.removeprefix("http://localhost:8000")
    page = client.get(path)
    assert "确定不再接收" in page.content.decode()
    assert Subscription.objects.get(pk=sub.pk).delivery == "daily"  # GET changes nothing
    r = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert r.status_code == 200
    assert "已退订" in r.content.decode()
    sub.refresh_from_db()
    assert sub.delivery == "inbox"
    r = client.post(path[:-3] + "xx/")
    assert r.status_code == 400


def test_bounced_addresses_get_no_mail_until_reconfirmed(
    tmp_path, org_tree, django_capture_on_commit_callbacks
):
    user = account("fay")
    confirmed(user, "fay@example.cn")
    sub = subscription_create(
        user=user, kind="organisation", target=org_tree["finance"], acting_user=user,
        delivery="daily",
    )  # fmt: skip
    Subscription.objects.filter(pk=sub.pk).update(mail_since=None)
    path = tmp_path / "bounces.csv"
    path.write_text("FAY@example.cn,550 mailbox unavailable\nnobody@example.cn\n", "utf-8")
    out = io.StringIO()
    call_command("mail_bounces", str(path), stdout=out)
    assert json.loads(out.getvalue()) == {"marked": 1, "unknown": ["nobody@example.cn"]}
    address = MailAddress.objects.get(user=user)
    assert address.bounce_reason == "550 mailbox unavailable"
    entry_at(sub, PolicyItemFactory(organisation=org_tree["finance"]),
             datetime.datetime(2026, 11, 29, 10, tzinfo=CN))  # fmt: skip
    run = datetime.datetime(2026, 11, 30, 8, tzinfo=CN)
    assert mail_send_due(mode="daily", now=run) == 0
    with django_capture_on_commit_callbacks(execute=True):
        mail_address_request(user=user, email="fay@example.cn", acting_user=user)
    token = sub_mail.confirm_token(user_id=user.pk, email="fay@example.cn")
    mail_address_confirm(token=token)
    assert mail_send_due(mode="daily", now=run) == 1  # the waiting entry, not lost


def test_mail_bounces_bad_line_is_a_chinese_error_and_nothing_changes(tmp_path):
    user = account("gus")
    confirmed(user, "gus@example.cn")
    path = tmp_path / "b.txt"
    path.write_text("gus@example.cn\nnot-an-address\n", "utf-8")
    with pytest.raises(Exception, match="第2行"):
        call_command("mail_bounces", str(path), stdout=io.StringIO())
    assert MailAddress.objects.get(user=user).bounced_at is None


def test_saved_search_matches_all_its_facets(client, org_tree, django_capture_on_commit_callbacks):
    user = account("hal")
    client.force_login(user)
    r = client.post(
        "/subscriptions/search/",
        {"org": str(org_tree["finance"].pk), "q": "补贴", "query": "/policies/?q=补贴"},
    )
    assert r.status_code == 302
    sub = Subscription.objects.get(user=user)
    assert (sub.kind, sub.facet_count, sub.label) == (
        "search",
        2,
        "发布机构：杭东市财政局；关键词：补贴",
    )
    assert sorted(sub.search_values.values_list("facet", "value")) == [
        ("keyword", "补贴"),
        ("organisation", str(org_tree["finance"].pk)),
    ]
    hit = PolicyItemFactory(organisation=org_tree["finance"], title="创业补贴办法")
    other_org = PolicyItemFactory(organisation=org_tree["office"], title="就业补贴办法")
    no_word = PolicyItemFactory(organisation=org_tree["finance"], title="预算管理办法")
    with django_capture_on_commit_callbacks(execute=True):
        for item in (hit, other_org, no_word):
            announce(content_published, item, kind="item")
    assert list(InboxEntry.objects.values_list("item__title", flat=True)) == ["创业补贴办法"]


def test_admin_action_marks_bounces(admin_client):
    user = account("ivy")
    confirmed(user, "ivy@example.cn")
    r = admin_client.post(
        "/admin/subscriptions/mailaddress/",
        {"action": "mark_bounced", "_selected_action": [str(user.mail_address.pk)]},
    )
    assert r.status_code == 302
    address = MailAddress.objects.get(user=user)
    assert address.bounced_at is not None
    assert address.bounce_reason == "管理员标记"
    assert not address.usable


def test_subscription_page_sets_delivery_and_sends_confirmation(
    client, org_tree, django_capture_on_commit_callbacks
):
    user = account("jo")
    sub = subscription_create(user=user, kind="keyword", target="补贴", acting_user=user)
    client.force_login(user)
    page = client.get("/subscriptions/").content.decode()
    assert '<option value="weekly">每周邮件摘要</option>' in page
    r = client.post(f"/subscriptions/{sub.pk}/delivery/", {"delivery": "weekly"})
    assert r.status_code == 302
    sub.refresh_from_db()
    assert sub.delivery == "weekly"
    assert sub.mail_since is not None
    r = client.post(f"/subscriptions/{sub.pk}/delivery/", {"delivery": "hourly"})
    sub.refresh_from_db()
    assert sub.delivery == "weekly"
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post("/subscriptions/mail/", {"email": "not an address"}, follow=True)
    assert "电子邮箱格式不正确" in r.content.decode()
    assert mail.outbox == []
    assert not MailAddress.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post("/subscriptions/mail/", {"email": "jo@example.cn"}, follow=True)
    assert "确认邮件已发送到 jo@example.cn" in r.content.decode()
    assert "待确认（请打开确认邮件中的链接）" in r.content.decode()
    assert mail.outbox[0].subject == "【政务公开平台】请确认订阅邮箱"


def test_library_and_search_pages_offer_the_saved_search(client, org_tree):
    user = account("kim")
    client.force_login(user)
    org = org_tree["finance"].pk
    page = client.get(f"/policies/?org={org}&kind=other").content.decode()
    assert "订阅当前筛选条件" in page
    assert f'<input type="hidden" name="org" value="{org}">' in page
    assert '<input type="hidden" name="kind" value="other">' in page
    assert "订阅当前筛选条件" not in client.get("/policies/").content.decode()
    page = client.get("/search/?q=补贴&policy_kind=normative&redirect=0").content.decode()
    assert '<input type="hidden" name="policy_kind" value="normative">' in page
    client.post(
        "/subscriptions/search/", {"q": "补贴", "policy_kind": "normative", "query": "/search/"}
    )
    sub = Subscription.objects.get(user=user)
    assert sorted(sub.search_values.values_list("facet", "value")) == [
        ("keyword", "补贴"),
        ("policy_kind", "normative"),
    ]
    assert str(sub) == "保存的检索条件：文件类型：行政规范性文件；关键词：补贴"
    r = client.post("/subscriptions/search/", {"query": "/policies/"}, follow=True)
    assert "请先选择检索条件" in r.content.decode()
    assert Subscription.objects.filter(user=user).count() == 1
