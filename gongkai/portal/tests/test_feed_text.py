"""RSS/Atom descriptions are plain text (issue 19 item 9): no markup reaches a feed reader."""

import xml.etree.ElementTree as ET

import pytest

from gongkai.catalogue.models import InformationItem

pytestmark = pytest.mark.django_db

PAYLOAD = '<img src=x onerror="alert(1)">财政&amp;预算<script>alert(2)</script> <b>摘要</b>'


def test_feed_description_is_plain_text_escaped_for_html(client, world):
    InformationItem.objects.filter(pk=world.p1.pk).update(summary=PAYLOAD)
    rss = client.get("/columns/zqjk/rss.xml")
    root = ET.fromstring(rss.content)  # noqa: S314 - our own response
    descriptions = {i.findtext("title"): i.findtext("description") for i in root.iter("item")}
    # What a reader gets after XML parsing is HTML with no element in it: the tags are gone and
    # the "&" of the text is an entity, so it shows as the character, never as markup.
    assert descriptions[world.p1.title] == "财政&amp;amp;预算alert(2) 摘要"
    atom = client.get("/columns/zqjk/atom.xml").content.decode()
    assert "<img" not in atom
    assert "&lt;img" not in atom
    assert "onerror" not in atom


def test_feed_entries_cost_no_query_each(client, world):
    """Issue 17: a feed reads its column and its entries, whatever their number; each entry
    still names its organisation, index number and date."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gongkai.policies.tests.conftest import make_item

    client.get("/columns/zqjk/rss.xml")
    with CaptureQueriesContext(connection) as ctx:
        client.get("/columns/zqjk/rss.xml")
    first = len(ctx.captured_queries)
    for n in range(4):
        make_item(world.office, f"订阅源新增信息{n}", kind="normative", columns=[world.zqjk])
    with CaptureQueriesContext(connection) as ctx:
        rss = client.get("/columns/zqjk/rss.xml")
    assert len(ctx.captured_queries) == first
    root = ET.fromstring(rss.content)  # noqa: S314 - our own response
    entry = next(i for i in root.iter("item") if i.findtext("title") == world.p1.title)
    p1 = InformationItem.objects.select_related("organisation").get(pk=world.p1.pk)
    assert entry.findtext("guid") == p1.index_number
    assert entry.findtext("link").endswith(f"/items/{p1.pk}/")
    assert p1.organisation.name in rss.content.decode()
