"""Subscriptions and the inbox (issue 14): a publication through the review chain reaches its
subscribers and the matching 政策找人 profiles once each — found by one query; imports are
announced to nobody; a new interpretation reaches the subscribers of its policies."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongkai.accounts.models import Role, User
from gongkai.catalogue.models import Audience, InformationItem, TopicCategory
from gongkai.core.signals import announce, content_published
from gongkai.policies.models import Interpretation
from gongkai.policies.tests.factories import (
    MatchProfileFactory,
    PolicyConditionsFactory,
    PolicyItemFactory,
)
from gongkai.review.chain_services import review_decide, review_request_for, review_submit
from gongkai.subscriptions.models import InboxEntry
from gongkai.subscriptions.selectors import subscriptions_for_item
from gongkai.subscriptions.services import subscription_create


def account(name: str) -> User:
    return User.objects.create_user(username=name, password="pass-1234-abcd", kind="public")


@pytest.fixture
def finance_topic():
    return TopicCategory.objects.get(parent=None, name="财政、金融、审计")


def test_publication_reaches_each_kind_of_subscriber_once(
    org_tree, make_staff, finance_topic, django_capture_on_commit_callbacks
):
    enterprise = Audience.objects.get(name="企业")
    by_topic, by_audience, by_org, by_kind, by_word, both, nobody = (
        account(n) for n in ("t", "a", "o", "k", "w", "both", "nobody")
    )
    subscription_create(user=by_topic, kind="topic", target=finance_topic, acting_user=by_topic)
    subscription_create(
        user=by_audience, kind="audience", target=enterprise, acting_user=by_audience
    )
    subscription_create(
        user=by_org, kind="organisation", target=org_tree["finance"], acting_user=by_org
    )
    subscription_create(user=by_kind, kind="policy_kind", target="other", acting_user=by_kind)
    subscription_create(user=by_word, kind="keyword", target="纾困", acting_user=by_word)
    subscription_create(user=both, kind="keyword", target="纾困", acting_user=both)
    subscription_create(user=both, kind="topic", target=finance_topic, acting_user=both)
    subscription_create(user=nobody, kind="keyword", target="教育", acting_user=nobody)
    subscription_create(
        user=nobody, kind="organisation", target=org_tree["office"], acting_user=nobody
    )
    editor = make_staff(Role.EDITOR, org_tree["finance"])
    reviewers = [
        make_staff(Role.REVIEWER, org_tree["finance"], review_level=level) for level in (1, 2, 3)
    ]
    item = PolicyItemFactory(
        organisation=org_tree["finance"],
        title="关于助企纾困的若干措施",
        status=InformationItem.Status.DRAFT,
        policy_kind="other",  # a normative document would wait for its 解读 (三同步)
        topic=TopicCategory.objects.filter(parent=finance_topic).first(),
        written_date=datetime.date(2026, 1, 2),
        doc_number="杭财〔2026〕1号",
        summary="助企纾困措施。",
    )
    item.audiences.set([enterprise])
    with CaptureQueriesContext(connection) as ctx:
        list(subscriptions_for_item(item))
    assert len([q for q in ctx.captured_queries if "subscriptions_subscription" in q["sql"]]) == 1
    review_submit(content=item, acting_user=editor)
    with django_capture_on_commit_callbacks(execute=True):
        for reviewer in reviewers:
            review_decide(
                request=review_request_for(item), decision="approve", acting_user=reviewer
            )
    item.refresh_from_db()
    assert item.status == InformationItem.Status.PUBLISHED
    got = dict(InboxEntry.objects.filter(item=item).values_list("user__username", "reason"))
    assert sorted(got) == ["a", "both", "k", "o", "t", "w"]
    assert got["w"] == "您订阅的关键词：纾困"
    assert got["a"] == "您订阅的服务对象：企业"
    assert InboxEntry.objects.filter(user=both).count() == 1


def test_imports_are_announced_to_nobody(org_tree, tmp_path, django_capture_on_commit_callbacks):
    user = account("watcher")
    subscription_create(
        user=user, kind="organisation", target=org_tree["finance"], acting_user=user
    )
    path = tmp_path / "docs.jsonl"
    path.write_text(
        json.dumps(
            {"title": "历史文件", "body": "正文", "org": org_tree["finance"].code,
             "published": "2019-01-02", "conditions": {}},
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_documents", str(path), stdout=io.StringIO())
    assert InformationItem.objects.filter(title="历史文件").exists()
    assert InboxEntry.objects.count() == 0


def test_a_matching_profile_hears_of_a_new_policy(org_tree, django_capture_on_commit_callbacks):
    fits, misses = account("fits"), account("misses")
    MatchProfileFactory(user=fits, region=org_tree["district_edu"], industry="C3911")
    MatchProfileFactory(user=misses, region=org_tree["finance"], industry="C3911")
    item = PolicyItemFactory(organisation=org_tree["finance"])
    PolicyConditionsFactory(item=item, regions=[org_tree["district"]], industries=["C39"])
    with django_capture_on_commit_callbacks(execute=True):
        announce(content_published, item, kind="item")
    entries = list(InboxEntry.objects.values_list("user__username", "reason"))
    assert entries == [("fits", "政策找人：符合您的企业档案")]


def test_a_new_interpretation_reaches_the_policy_subscribers(
    org_tree, make_staff, django_capture_on_commit_callbacks
):
    policy = PolicyItemFactory(organisation=org_tree["finance"])
    other = PolicyItemFactory(organisation=org_tree["finance"])
    reader, stranger = account("reader"), account("stranger")
    subscription_create(user=reader, kind="policy", target=policy, acting_user=reader)
    subscription_create(user=stranger, kind="policy", target=other, acting_user=stranger)
    interp = Interpretation.objects.create(
        organisation=org_tree["finance"], title="一图读懂", status="published"
    )
    interp.policies.set([policy])
    with django_capture_on_commit_callbacks(execute=True):
        announce(content_published, interp, kind="interpretation")
    assert list(InboxEntry.objects.values_list("user__username", "interpretation")) == [
        ("reader", interp.pk)
    ]
