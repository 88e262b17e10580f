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
