"""Reads of subscriptions: who hears of a publication (one query), an account's inbox."""

from typing import Any

from django.db.models import CharField, F, Q, QuerySet, Value

from gongkai.catalogue.models import InformationItem

from .models import InboxEntry, MailAddress, Subscription

INBOX_SIZE = 20


def subscriptions_for_item(item: InformationItem) -> QuerySet[Subscription]:
    """The subscriptions a newly published item answers — one query however many subscribers:
    its 主题 (or that 主题's parent), any of its 服务对象, its 发布机构, its 文件类型, or a keyword
    found in its title, 关键词 or 内容概述."""
    topics = [t for t in (item.topic_id, getattr(item.topic, "parent_id", None)) if t]
    audiences = list(item.audiences.values_list("id", flat=True))
    text = f"{item.title} {item.keywords} {item.summary}"
    wanted = (
        Q(kind=Subscription.Kind.TOPIC, topic_id__in=topics)
        | Q(kind=Subscription.Kind.AUDIENCE, audience_id__in=audiences)
        | Q(kind=Subscription.Kind.ORGANISATION, organisation_id=item.organisation_id)
        | Q(kind=Subscription.Kind.KEYWORD, item_text__contains=F("keyword"))
    )
    if item.policy_kind:
        wanted |= Q(kind=Subscription.Kind.POLICY_KIND, policy_kind=item.policy_kind)
    # A saved search: every facet it names holds (an empty facet is no condition).
    wanted |= (
        Q(kind=Subscription.Kind.SEARCH)
        & (Q(topic__isnull=True) | Q(topic_id__in=topics))
        & (Q(audience__isnull=True) | Q(audience_id__in=audiences))
        & (Q(organisation__isnull=True) | Q(organisation_id=item.organisation_id))
        & (Q(policy_kind="") | Q(policy_kind=item.policy_kind or "-"))
        & (Q(keyword="") | Q(item_text__contains=F("keyword")))
    )
    return (
        Subscription.objects.alias(item_text=Value(text, output_field=CharField()))
        .filter(wanted)
        .select_related("topic", "audience", "organisation")
        .order_by("user_id", "id")
    )


def subscriptions_of(user: Any) -> QuerySet[Subscription]:
    return Subscription.objects.filter(user=user).select_related(
        "topic", "audience", "organisation", "policy"
    )


def inbox_for(user: Any) -> list[InboxEntry]:
    """The latest entries of the account's inbox (the 个人中心 section)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        InboxEntry.objects.filter(user=user).select_related("item", "interpretation")[:INBOX_SIZE]
    )


def items_for_subscription(subscription: Subscription) -> QuerySet[InformationItem]:
    """The public items a subscription covers, newest first (its private feed). A single-policy
    subscription covers the policy itself (its page carries its interpretations)."""
    from gongkai.catalogue.selectors import public_items

    items = public_items().filter(revision_of__isnull=True).select_related("organisation")
    kind = Subscription.Kind(subscription.kind)
    if kind == Subscription.Kind.TOPIC:
        items = items.filter(
            Q(topic_id=subscription.topic_id) | Q(topic__parent_id=subscription.topic_id)
        )
    elif kind == Subscription.Kind.AUDIENCE:
        items = items.filter(audiences=subscription.audience_id)
    elif kind == Subscription.Kind.ORGANISATION:
        items = items.filter(organisation_id=subscription.organisation_id or 0)
    elif kind == Subscription.Kind.POLICY_KIND:
        items = items.filter(policy_kind=subscription.policy_kind)
    elif kind == Subscription.Kind.KEYWORD:
        word = subscription.keyword
        items = items.filter(
            Q(title__contains=word) | Q(keywords__contains=word) | Q(summary__contains=word)
        )
    else:
        items = items.filter(pk=subscription.policy_id or 0)
    return items.order_by("-published_date", "-id")


def mail_address_of(user: Any) -> MailAddress | None:
    return MailAddress.objects.filter(user=user).first()


def saved_search_facets(params: Any) -> dict[str, Any]:
    """A saved search from the policy library's (or search page's) querystring, as the
    subscription's fields: the first chosen 主题, 服务对象, 发布机构 and 文件类型, and ``q``. Years,
    dates, 特色分类 and 有效性 are left out (a new publication is current and 有效)."""
    from gongkai.accounts.models import Organisation
    from gongkai.catalogue.models import Audience, PolicyKind, TopicCategory

    def first(key: str) -> str:
        return str(params.get(key) or "").split(",")[0].strip()

    def first_id(key: str) -> int | None:
        value = first(key)
        return int(value) if value.isdigit() and len(value) < 10 else None

    # The library calls the 文件类型 facet ``kind``, the search page ``policy_kind``.
    kind = first("kind") or first("policy_kind")
    query = str(params.get("query") or "")
    return {
        "topic": TopicCategory.objects.filter(pk=first_id("topic") or 0).first(),
        "audience": Audience.objects.filter(pk=first_id("audience") or 0).first(),
        "organisation": Organisation.objects.filter(pk=first_id("org") or 0).first(),
        "policy_kind": kind if kind in PolicyKind.values and kind else "",
        "keyword": str(params.get("q") or "").strip()[:50],
        "query": query[:500],
    }
