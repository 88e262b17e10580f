"""A saved search keeps every value of each facet (issue 14): several 主题, several 服务对象,
several 发布机构 and 文件类型 — OR within a facet, AND across facets, as in the policy library.
Matching a publication (one query), the private Atom feed and the digest honour all of them;
existing one-value saved searches are migrated without losing their value."""

import datetime
import importlib
import re
import zoneinfo

import pytest
from django.apps import apps
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gongkai.accounts.models import User
from gongkai.catalogue.models import Audience, TopicCategory
from gongkai.core.models import AuditEntry
from gongkai.core.signals import announce, content_published
from gongkai.policies.tests.factories import PolicyItemFactory
from gongkai.subscriptions.models import InboxEntry, MailAddress, SavedSearchValue, Subscription
from gongkai.subscriptions.selectors import items_for_subscription, subscriptions_for_item
from gongkai.subscriptions.services import mail_send_due, subscription_create

pytestmark = pytest.mark.django_db
CN = zoneinfo.ZoneInfo("Asia/Shanghai")


def account(name: str) -> User:
    return User.objects.create_user(username=name, password="pass-1234-abcd", kind="public")


def topic(name: str, parent: str | None = None) -> TopicCategory:
    if parent is None:
        return TopicCategory.objects.get(parent=None, name=name)
    return TopicCategory.objects.get(parent__name=parent, name=name)


@pytest.fixture
def world(org_tree):
    science, labour = topic("科技、教育"), topic("劳动、人事、监察")
    enterprise, public = Audience.objects.get(name="企业"), Audience.objects.get(name="公众")
    user = account("multi")
    sub = subscription_create(
        user=user,
        kind="search",
        target={
            "topic": [science, labour],
            "audience": [enterprise, public],
            "organisation": [org_tree["finance"], org_tree["office"]],
            "keyword": "补贴",
        },
        acting_user=user,
    )
    return {
        "user": user,
        "sub": sub,
        "science": science,
        "labour": labour,
        "enterprise": enterprise,
        "public": public,
        "org_tree": org_tree,
    }


def policy(w, title, *, topic_obj, audiences, org="finance", **extra):
    item = PolicyItemFactory(organisation=w["org_tree"][org], title=title, topic=topic_obj, **extra)
    item.audiences.set(audiences)
    return item


def test_every_value_of_every_facet_is_kept(world):
    sub = world["sub"]
    assert sub.facet_count == 4
    assert str(sub) == (
        "保存的检索条件：政策主题：科技、教育、劳动、人事、监察；服务对象：企业、公众；"
        "发布机构：杭东市财政局、杭东市人民政府办公厅；关键词：补贴"
    )
    assert sorted(sub.search_values.values_list("facet", "value")) == sorted(
        [
            ("topic", str(world["science"].pk)),
            ("topic", str(world["labour"].pk)),
            ("audience", str(world["enterprise"].pk)),
            ("audience", str(world["public"].pk)),
            ("organisation", str(world["org_tree"]["finance"].pk)),
            ("organisation", str(world["org_tree"]["office"].pk)),
            ("keyword", "补贴"),
        ]
    )
    entry = AuditEntry.objects.filter(action="create", target_id=str(sub.pk)).get()
    assert entry.detail["kind"] == "search"
    assert len(entry.detail["values"]) == 7


def test_the_same_values_in_another_order_are_the_same_search(world):
    user, org_tree = world["user"], world["org_tree"]
    again = subscription_create(
        user=user,
        kind="search",
        target={
            "organisation": [org_tree["office"], org_tree["finance"]],
            "audience": [world["public"], world["enterprise"]],
            "topic": [world["labour"], world["science"]],
            "keyword": " 补贴 ",
        },
        acting_user=user,
    )
    assert again.pk == world["sub"].pk
    assert Subscription.objects.filter(user=user).count() == 1
    narrower = subscription_create(
        user=user,
        kind="search",
        target={"topic": [world["science"]], "keyword": "补贴"},
        acting_user=user,
    )
    assert narrower.pk != world["sub"].pk
    assert narrower.facet_count == 2


def test_matching_holds_any_value_within_a_facet_and_every_facet(
    world, django_capture_on_commit_callbacks
):
    child = topic("科技", parent="科技、教育")
    hits = [
        policy(world, "科技型企业研发补贴", topic_obj=child, audiences=[world["enterprise"]]),
        policy(
            world,
            "就业补贴办法",
            topic_obj=world["labour"],
            audiences=[world["public"]],
            org="office",
        ),
    ]
    social = Audience.objects.get(name="社会组织")
    finance = topic("财政、金融、审计")
    misses = [
        # a 主题 not chosen
        policy(world, "财政补贴办法", topic_obj=finance, audiences=[world["enterprise"]]),
        # no chosen 服务对象
        policy(world, "社会组织补贴", topic_obj=world["labour"], audiences=[social]),
        # another 发布机构
        policy(
            world,
            "区级补贴",
            topic_obj=world["labour"],
            audiences=[world["public"]],
            org="district",
        ),
        # the keyword missing
        policy(world, "科技奖励办法", topic_obj=world["science"], audiences=[world["enterprise"]]),
    ]
    for item in hits + misses:
        with CaptureQueriesContext(connection) as queries:
            found = list(subscriptions_for_item(item))
        # the item's 服务对象 are read first; the matching itself is one query
        sql = [q["sql"] for q in queries.captured_queries]
        assert len([q for q in sql if "subscriptions_subscription" in q]) == 1
        assert [s.pk for s in found] == ([world["sub"].pk] if item in hits else []), item.title
    with django_capture_on_commit_callbacks(execute=True):
        for item in hits + misses:
            announce(content_published, item, kind="item")
    assert sorted(InboxEntry.objects.values_list("item__title", "reason")) == [
        ("就业补贴办法", f"您订阅的{world['sub']}"),
        ("科技型企业研发补贴", f"您订阅的{world['sub']}"),
    ]


def test_a_search_of_one_facet_with_several_values(org_tree):
    user = account("kinds")
    sub = subscription_create(
        user=user, kind="search", target={"policy_kind": ["rule", "other"]}, acting_user=user
    )
    rule = PolicyItemFactory(organisation=org_tree["finance"], policy_kind="rule")
    other = PolicyItemFactory(organisation=org_tree["office"], policy_kind="other")
    normative = PolicyItemFactory(organisation=org_tree["finance"], policy_kind="normative")
    assert [list(subscriptions_for_item(i)) for i in (rule, other, normative)] == [
        [sub],
        [sub],
        [],
    ]
    assert list(items_for_subscription(sub).order_by("id")) == [rule, other]


def test_the_atom_feed_lists_items_of_every_chosen_value(world, client):
    child = topic("科技", parent="科技、教育")
    old = datetime.date(2026, 1, 5)
    first = policy(world, "科技型企业研发补贴", topic_obj=child, audiences=[world["enterprise"]])
    second = policy(
        world,
        "就业补贴办法",
        topic_obj=world["labour"],
        audiences=[world["public"]],
        org="office",
        published_date=old + datetime.timedelta(days=1),
    )
    policy(world, "科技奖励办法", topic_obj=world["science"], audiences=[world["enterprise"]])
    policy(
        world, "区级补贴", topic_obj=world["labour"], audiences=[world["public"]], org="district"
    )
    assert list(items_for_subscription(world["sub"])) == [second, first]
    feed = client.get(f"/subscriptions/feed/{world['sub'].feed_token}/").content.decode()
    assert re.findall(r"<entry><title>([^<]+)</title>", feed) == [
        "就业补贴办法",
        "科技型企业研发补贴",
    ]


def test_the_digest_carries_the_items_of_every_value_once(world):
    user, sub = world["user"], world["sub"]
    sub.delivery = "daily"
    sub.mail_since = datetime.datetime(2026, 3, 1, tzinfo=CN)
    sub.save()
    MailAddress.objects.create(user=user, email="multi@example.cn", confirmed_at=timezone.now())
    child = topic("科技", parent="科技、教育")
    items = [
        policy(world, "科技型企业研发补贴", topic_obj=child, audiences=[world["enterprise"]]),
        policy(world, "就业补贴办法", topic_obj=world["labour"], audiences=[world["public"]]),
    ]
    for item in items:
        for subscription in subscriptions_for_item(item):
            entry = InboxEntry.objects.create(
                user=user, item=item, reason="r", subscription=subscription
            )
            InboxEntry.objects.filter(pk=entry.pk).update(
                created_at=datetime.datetime(2026, 3, 2, 9, tzinfo=CN)
            )
    run = datetime.datetime(2026, 3, 3, 7, 30, tzinfo=CN)
    assert mail_send_due(mode="daily", now=run) == 1
    assert mail_send_due(mode="daily", now=run) == 0
    (message,) = mail.outbox
    assert (
        message.subject
        == (
            "【政务公开平台】每日订阅摘要：保存的检索条件：政策主题：科技、教育、劳动、人事、监察；"
            "服务对象：企业、公众；发布机构：杭东市财政局、杭东市人民政府办公厅；关键词：补贴（2条）"
        )[:200]
    )
    assert "· 科技型企业研发补贴" in message.body
    assert "· 就业补贴办法" in message.body


def test_bad_values_are_refused_and_nothing_is_saved(org_tree):
    user = account("bad")
    with pytest.raises(ValidationError, match="文件类型不正确：decree"):
        subscription_create(
            user=user,
            kind="search",
            target={"policy_kind": ["rule", "decree"], "organisation": [org_tree["finance"]]},
            acting_user=user,
        )
    many = list(Audience.objects.all()) * 7
    with pytest.raises(ValidationError, match="“服务对象”最多选择30项"):
        subscription_create(user=user, kind="search", target={"audience": many}, acting_user=user)
    assert not Subscription.objects.filter(user=user).exists()
    assert not SavedSearchValue.objects.exists()


def test_migration_keeps_the_one_value_of_old_saved_searches(org_tree):
    migration = importlib.import_module("gongkai.subscriptions.migrations.0003_saved_search_values")
    user = account("old")
    finance = topic("财政、金融、审计")
    old = Subscription.objects.create(
        user=user,
        kind="search",
        topic=finance,
        organisation=org_tree["finance"],
        policy_kind="normative",
        keyword="补贴",
        query="/policies/?topic=1",
    )
    single = Subscription.objects.create(user=user, kind="topic", topic=finance)
    migration.forwards(apps, None)
    old.refresh_from_db()
    single.refresh_from_db()
    assert sorted(old.search_values.values_list("facet", "value")) == [
        ("keyword", "补贴"),
        ("organisation", str(org_tree["finance"].pk)),
        ("policy_kind", "normative"),
        ("topic", str(finance.pk)),
    ]
    assert (old.facet_count, old.topic, old.organisation, old.policy_kind, old.keyword) == (
        4,
        None,
        None,
        "",
        "",
    )
    assert old.label == (
        "政策主题：财政、金融、审计；发布机构：杭东市财政局；文件类型：行政规范性文件；关键词：补贴"
    )
    assert (single.topic, single.search_values.count()) == (finance, 0)
    hit = PolicyItemFactory(
        organisation=org_tree["finance"],
        title="纾困补贴",
        topic=topic("财政", parent="财政、金融、审计"),
    )
    assert list(subscriptions_for_item(hit)) == [old, single]
