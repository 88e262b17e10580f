"""RSS 2.0 and Atom feeds per column (django.contrib.syndication); public items only.

A column's RSS feed, the busy one, is written by ``ColumnRssFeed.__call__`` directly from the
rows of two queries compiled once per process: the same XML as Django's syndication framework
and ``Rss201rev2Feed`` write for the same feed (test_feed_xml pins it byte for byte), without
their per-entry cost (some twenty dynamic attribute look-ups, a ``reverse`` and a dozen SAX
calls per entry: most of the feed's CPU, issue 17 item 4). The Atom feeds keep the framework.
"""

import datetime
import io
import re
from typing import Any
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from django.contrib.sites.shortcuts import get_current_site
from django.contrib.syndication.views import Feed, add_domain
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed, rfc2822_date
from django.utils.html import escape, strip_tags
from django.utils.http import http_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.xmlutils import UnserializableContentError

from gongkai.catalogue.models import Column, InformationItem
from gongkai.catalogue.selectors import column_items

from .selectors import active_column, column_feed_rows

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


def plain_description(summary: str, body_text: str) -> str:
    """Feed readers render a description as HTML: send plain text, tags removed and the rest
    escaped, so no markup typed into a summary reaches a reader."""
    text = strip_tags(summary or body_text[:200])
    return escape(" ".join(text.split()))


def _element(name: str, text: str) -> str:
    # As SimplerXMLGenerator.addQuickElement writes it: an empty text is an empty element.
    return f"<{name}>{xml_escape(text)}</{name}>" if text else f"<{name}/>"


_ANY_PK = 987_654_321_987
# What django.utils.xmlutils refuses in text and attributes (not XML 1.0).
_XML_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0B-\x0C\x0E-\x1F]")


class _ColumnFeed(Feed):
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
        return plain_description(item.summary, item.body_text)

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


class ColumnRssFeed(_ColumnFeed):
    feed_type: type[SyndicationFeed] = RssWrittenOnce

    def __call__(self, request: HttpRequest, slug: str) -> HttpResponse:
        column = active_column(slug)
        if column is None:
            raise Http404("Feed object does not exist.")
        rows = column_feed_rows(column)
        secure = request.is_secure()
        domain = get_current_site(request).domain
        # Every entry's link differs only by its id: reversed once per request (the script
        # prefix is per request), then filled in.
        link_head, _, link_tail = reverse("portal:item_detail", args=[_ANY_PK]).partition(
            str(_ANY_PK)
        )
        entries = []
        latest: datetime.datetime | None = None
        tz = timezone.get_current_timezone()
        for pk, title, summary, body_head, published, index_number, organisation in rows:
            link = add_domain(domain, f"{link_head}{pk}{link_tail}", secure)
            parts = [
                "<item>",
                _element("title", title),
                _element("link", iri_to_uri(link)),
                _element("description", plain_description(summary, body_head)),
            ]
            if organisation:
                parts.append(
                    '<dc:creator xmlns:dc="http://purl.org/dc/elements/1.1/">'
                    f"{xml_escape(organisation)}</dc:creator>"
                )
            if published is not None:
                pubdate = timezone.make_aware(
                    datetime.datetime.combine(published, datetime.time(0, 0)), tz
                )
                if latest is None or pubdate > latest:
                    latest = pubdate
                parts.append(_element("pubDate", rfc2822_date(pubdate)))
            if index_number is not None:
                guid = xml_escape(index_number)
                parts.append(
                    f'<guid isPermaLink="false">{guid}</guid>'
                    if index_number
                    else '<guid isPermaLink="false"/>'
                )
            parts.append(_element("category", index_number))
            parts.append("</item>")
            entries.append("".join(parts))
        if latest is None:
            latest = datetime.datetime.now(tz=datetime.UTC)
        link = iri_to_uri(add_domain(domain, self.link(column), secure))
        feed_url = iri_to_uri(add_domain(domain, request.path, secure))
        head = (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
            + _element("title", self.title(column))
            + _element("link", link)
            + _element("description", self.description(column))
            + f'<atom:link href={quoteattr(feed_url)} rel="self"/>'
            + (_element("language", language) if (language := get_language()) else "")
            + _element("lastBuildDate", rfc2822_date(latest))
        )
        text = head + "".join(entries) + "</channel></rss>"
        if _XML_CONTROL_CHARS.search(text):
            # Control characters are not XML 1.0: the framework fails loudly, so does this.
            raise UnserializableContentError
        response = HttpResponse(content_type=RssWrittenOnce.content_type)
        response.headers["Last-Modified"] = http_date(latest.timestamp())
        response.write(text.encode("utf-8", "xmlcharrefreplace"))
        return response


class ColumnAtomFeed(_ColumnFeed):
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
