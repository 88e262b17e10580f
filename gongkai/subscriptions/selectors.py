"""Reads of subscriptions: who hears of a publication (one query), an account's inbox."""

from typing import Any

from django.db.models import CharField, Count, F, Q, QuerySet, Value

from gongkai.catalogue.models import InformationItem

from .models import InboxEntry, MailAddress, SavedSearchValue, Subscription

Facet = SavedSearchValue.Facet

INBOX_SIZE = 20


def _saved_searches_for(
    item: InformationItem, topics: list[int], audiences: list[int], text: str
) -> QuerySet[Any, Any]:
    """The saved searches an item answers, as a subquery of subscription ids: the item holds
    one of the values of every facet a search names. The values the item satisfies are found
    through the (facet, value) index, grouped by search, and kept where the number of facets
    held equals the number the search names — one grouped query, no loop over searches."""
    held = (
        Q(facet=Facet.TOPIC, value__in=[str(t) for t in topics])
        | Q(facet=Facet.AUDIENCE, value__in=[str(a) for a in audiences])
        | Q(facet=Facet.ORGANISATION, value=str(item.organisation_id))
        | Q(facet=Facet.KEYWORD, item_text__contains=F("value"))
    )
    if item.policy_kind:
        held |= Q(facet=Facet.POLICY_KIND, value=item.policy_kind)
    return (
        SavedSearchValue.objects.alias(item_text=Value(text, output_field=CharField()))
        .filter(held)
        .values("subscription_id")
        .annotate(held=Count("facet", distinct=True))
        .filter(held=F("subscription__facet_count"))
        .values("subscription_id")
    )


def subscriptions_for_item(item: InformationItem) -> QuerySet[Subscription]:
    """The subscriptions a newly published item answers — one query however many subscribers:
    its 主题 (or that 主题's parent), any of its 服务对象, its 发布机构, its 文件类型, a keyword
    found in its title, 关键词 or 内容概述, or a saved search all of whose facets it holds."""
    topics = [t for t in (item.topic_id, getattr(item.topic, "parent_id", None)) if t]
    audiences = list(item.audiences.values_list("id", flat=True))
    text = f"{item.title} {item.keywords} {item.summary}"
    wanted = (
        Q(kind=Subscription.Kind.TOPIC, topic_id__in=topics)
        | Q(kind=Subscription.Kind.AUDIENCE, audience_id__in=audiences)
        | Q(kind=Subscription.Kind.ORGANISATION, organisation_id=item.organisation_id)
        | Q(kind=Subscription.Kind.KEYWORD, item_text__contains=F("keyword"))
        | Q(
            kind=Subscription.Kind.SEARCH, id__in=_saved_searches_for(item, topics, audiences, text)
        )
    )
    if item.policy_kind:
        wanted |= Q(kind=Subscription.Kind.POLICY_KIND, policy_kind=item.policy_kind)
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
        items = _keyword_filter(items, subscription.keyword)
    elif kind == Subscription.Kind.SEARCH:
        items = _saved_search_filter(items, subscription)
    else:
        items = items.filter(pk=subscription.policy_id or 0)
    return items.order_by("-published_date", "-id")


def _keyword_filter(items: QuerySet[InformationItem], word: str) -> QuerySet[InformationItem]:
    return items.filter(
        Q(title__contains=word) | Q(keywords__contains=word) | Q(summary__contains=word)
    )


def saved_search_values(subscription: Subscription) -> dict[str, list[str]]:
    """A saved search's values by facet (in the order they were saved)."""
    values: dict[str, list[str]] = {}
    for facet, value in subscription.search_values.order_by("id").values_list("facet", "value"):
        values.setdefault(facet, []).append(value)
    return values


def _saved_search_filter(
    items: QuerySet[InformationItem], subscription: Subscription
) -> QuerySet[InformationItem]:
    """The items a saved search covers, with the policy library's own facet rules (OR within a
    facet, AND across facets; a 主题 covers its sub-topics) plus the keyword."""
    from gongkai.policies import selectors as ps

    values = saved_search_values(subscription)
    if not values:
        return items.none()
    filters = {
        key: values[facet]
        for facet, key in (
            (Facet.TOPIC, ps.FACET_TOPIC),
            (Facet.AUDIENCE, ps.FACET_AUDIENCE),
            (Facet.ORGANISATION, ps.FACET_ORG),
            (Facet.POLICY_KIND, ps.FACET_KIND),
        )
        if values.get(facet)
    }
    items = ps.policy_filters_apply(items, filters)
    for word in values.get(Facet.KEYWORD, []):
        items = _keyword_filter(items, word)
    return items


def mail_address_of(user: Any) -> MailAddress | None:
    return MailAddress.objects.filter(user=user).first()


MAX_SEARCH_VALUES = 30


def _param_values(params: Any, *keys: str) -> list[str]:
    """Every value of ``keys`` in a querystring or form: repeated parameters (the library's
    ``?topic=3&topic=5``) and comma-separated ones (the search page's ``topic=3,5``)."""
    out: list[str] = []
    for key in keys:
        raw = params.getlist(key) if hasattr(params, "getlist") else params.get(key) or []
        for part in [raw] if isinstance(raw, str) else raw:
            for value in str(part or "").split(","):
                value = value.strip()
                if value and value not in out:
                    out.append(value)
    return out


def saved_search_facets(params: Any) -> dict[str, Any]:
    """A saved search from the policy library's (or search page's, or the personal centre's)
    parameters: every chosen 主题, 服务对象, 发布机构 and 文件类型, and ``q``. Unknown ids are
    dropped (as the library drops them). Years, dates, 特色分类 and 有效性 are left out (a new
    publication is current and 有效)."""
    from gongkai.accounts.models import Organisation
    from gongkai.catalogue.models import Audience, PolicyKind, TopicCategory

    def rows(model: Any, *keys: str) -> list[Any]:
        ids = [
            int(v)
            for v in _param_values(params, *keys)
            if v.isascii() and v.isdigit() and len(v) < 10
        ]
        found = model.objects.in_bulk(ids)
        return [found[i] for i in ids if i in found]

    kinds = [
        k for k in _param_values(params, "kind", "policy_kind") if k and k in PolicyKind.values
    ]
    query = str(params.get("query") or "")
    return {
        "topic": rows(TopicCategory, "topic"),
        "audience": rows(Audience, "audience"),
        # The library calls the 发布机构 facet ``org``; the personal centre's form likewise.
        "organisation": rows(Organisation, "org"),
        "policy_kind": kinds,
        "keyword": str(params.get("q") or "").strip()[:50],
        "query": query[:500],
    }
