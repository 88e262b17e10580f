"""A column's RSS feed is written without the syndication framework (issue 17 item 4): the bytes
are exactly those Django's ``Feed`` and ``Rss201rev2Feed`` write for the same feed."""

import datetime

import pytest
from django.contrib.syndication.views import Feed
from django.test import RequestFactory
from django.utils.xmlutils import UnserializableContentError

from gongkai.accounts.tests.factories import StaffFactory
from gongkai.catalogue.models import Column, InformationItem
from gongkai.catalogue.services import column_save
from gongkai.policies.tests.conftest import make_item
from gongkai.portal.feeds import ColumnRssFeed

pytestmark = pytest.mark.django_db


def _both(path: str, slug: str) -> tuple[bytes, bytes, dict, dict]:
    request = RequestFactory().get(path, secure=True, HTTP_HOST="feeds.example.cn")
    lean = ColumnRssFeed()(request, slug=slug)
    framework = Feed.__call__(ColumnRssFeed(), request, slug=slug)
    return lean.content, framework.content, dict(lean.headers), dict(framework.headers)


def test_rss_is_byte_identical_to_the_framework_s(world):
    # Text the XML writer escapes or shortens: markup, quotes, entities, line breaks, a
    # character beyond the BMP, an empty summary with a long body, no publication date.
    make_item(
        world.office,
        "标题 <b>\"引号\"</b> & '撇号' 𠀀",
        published=datetime.date(2025, 6, 30),
        columns=[world.zqjk],
        summary="第一行\r\n第二行\t<i>斜体</i> &amp; 实体",
    )
    make_item(
        world.office,
        "无摘要",
        published=None,
        columns=[world.zqjk],
        summary="",
        body_text="正文" * 150 + "<p>不在前二百字之内</p>",
    )
    lean, framework, lean_headers, framework_headers = _both("/columns/zqjk/rss.xml", "zqjk")
    assert lean == framework
    assert lean_headers == framework_headers
    text = lean.decode()
    assert "&lt;b&gt;\"引号\"&lt;/b&gt; &amp; '撇号' 𠀀" in text
    assert "不在前二百字之内" not in text
    assert (
        text.count("<item>")
        == InformationItem.objects.filter(
            columns=world.zqjk, status="published", disclosure="proactive"
        ).count()
    )


def test_rss_of_an_organisation_s_column_and_of_an_empty_one(world):
    own = Column.objects.create(
        slug="bmzl", name="部门专栏 & 公告", kind="special", organisation=world.office
    )
    make_item(world.office, "本部门的信息", columns=[own], published=datetime.date(2025, 2, 3))
    make_item(world.finance, "他部门的信息", columns=[own], published=datetime.date(2025, 2, 4))
    lean, framework, lean_headers, framework_headers = _both("/columns/bmzl/rss.xml", "bmzl")
    assert lean == framework
    assert lean_headers == framework_headers
    assert "本部门的信息" in lean.decode()
    assert "他部门的信息" not in lean.decode()
    Column.objects.create(slug="kong", name="空栏目", kind="special")
    lean, framework, _, _ = _both("/columns/kong/rss.xml", "kong")
    # No entry: the build date is "now" in both, written a moment apart.
    assert lean.split(b"<lastBuildDate>")[0] == framework.split(b"<lastBuildDate>")[0]
    assert b"<item>" not in lean


def test_rss_refuses_control_characters_as_the_framework_does(world):
    make_item(world.office, "控制字符\x0b标题", columns=[world.zqjk])
    request = RequestFactory().get("/columns/zqjk/rss.xml")
    with pytest.raises(UnserializableContentError):
        ColumnRssFeed()(request, slug="zqjk")
    with pytest.raises(UnserializableContentError):
        Feed.__call__(ColumnRssFeed(), request, slug="zqjk")


def test_rss_of_an_unknown_or_inactive_column_is_404(client, world):
    column = Column.objects.get(slug="zqjk")
    assert client.get("/columns/zqjk/rss.xml").status_code == 200
    root = StaffFactory.create(username="platform-root", is_superuser=True)
    column_save(
        organisation=column.organisation,
        data={"is_active": False},
        acting_user=root,
        column=column,
    )
    assert client.get("/columns/zqjk/rss.xml").status_code == 404
    assert client.get("/columns/nope/rss.xml").status_code == 404
