"""RSS 2.0 and Atom feeds per column (django.contrib.syndication); public items only."""

import datetime
import io
from typing import Any

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.html import escape, strip_tags
from django.utils.translation import gettext as _

from gongkai.catalogue.models import Column, InformationItem
from gongkai.catalogue.selectors import column_items

FEED_SIZE = 30
FEED_ROW = (
    "id",
    "title",
    "summary",
    "body_text",
    "published_date",
    "index_number",
    "organisation__name",
)


class _WrittenOnce:
    """A feed generator that hands the response its XML in one piece. Django's writes each tag,
    attribute and text into the response as it goes (some thousand writes for 30 entries, each
    made bytes and kept as a chunk: a quarter of the feed's CPU, issue 17); the XML is the same,
    encoded as the XML writer encodes it."""

    def write(self, outfile: Any, encoding: str) -> None:
        buffer = io.StringIO()
        super().write(buffer, encoding)  # type: ignore[misc]  # a mixin over a SyndicationFeed
        outfile.write(buffer.getvalue().encode(encoding, "xmlcharrefreplace"))


class RssWrittenOnce(_WrittenOnce, Rss201rev2Feed):
    pass


class AtomWrittenOnce(_WrittenOnce, Atom1Feed):
    pass


class ColumnRssFeed(Feed):
    feed_type: type[SyndicationFeed] = RssWrittenOnce

    def get_object(self, request, slug: str) -> Column:
        return get_object_or_404(Column, slug=slug, is_active=True)

    def title(self, obj: Column) -> str:
        return _("%(column)s - 最新信息") % {"column": obj.name}

    def link(self, obj: Column) -> str:
        return reverse("portal:column_detail", args=[obj.slug])

    def description(self, obj: Column) -> str:
        return obj.description or _("“%(column)s”栏目最新公开的政府信息。") % {"column": obj.name}

    def items(self, obj: Column):
        # Only what an entry shows: the rows are wide (the HTML body, reasons…).
        return (
            column_items(obj)
            .select_related(None)
            .select_related("organisation")
            .only(*FEED_ROW)[:FEED_SIZE]
        )

    def item_title(self, item: InformationItem) -> str:
        return item.title

    def item_description(self, item: InformationItem) -> str:
        # Feed readers render a description as HTML: send plain text, tags removed and the
        # rest escaped, so no markup typed into a summary reaches a reader.
        text = strip_tags(item.summary or item.body_text[:200])
        return escape(" ".join(text.split()))

    def item_link(self, item: InformationItem) -> str:
        return reverse("portal:item_detail", args=[item.pk])

    def item_guid(self, item: InformationItem) -> str:
        return item.index_number

    item_guid_is_permalink = False

    def item_pubdate(self, item: InformationItem) -> datetime.datetime | None:
        if item.published_date is None:
            return None
        return timezone.make_aware(
            datetime.datetime.combine(item.published_date, datetime.time(0, 0))
        )

    def item_author_name(self, item: InformationItem) -> str:
        return item.organisation.name

    def item_categories(self, item: InformationItem) -> list[str]:
        return [item.index_number]


class ColumnAtomFeed(ColumnRssFeed):
    feed_type = AtomWrittenOnce

    def subtitle(self, obj: Column) -> str:
        return self.description(obj)


class SubscriptionAtomFeed(ColumnAtomFeed):
    """The private Atom feed of one subscription (issue 14): its secret token is the address,
    so a feed reader needs no login; public items only."""

    def get_object(self, request, token: str):
        from gongkai.subscriptions.models import Subscription

        return get_object_or_404(Subscription, feed_token=token)

    def title(self, obj) -> str:
        return _("我的订阅：%(what)s") % {"what": str(obj)}

    def link(self, obj) -> str:
        return reverse("portal:subscription_list")

    def description(self, obj) -> str:
        return _("按您的订阅条件筛选的最新公开政府信息。")

    def items(self, obj):
        from gongkai.subscriptions.selectors import items_for_subscription

        return items_for_subscription(obj)[:FEED_SIZE]
