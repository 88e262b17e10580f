"""Public pages: item page, validity banner, two-way interpretations, Q&A, 专栏, feeds, sitemap."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongkai.catalogue.models import Page

pytestmark = pytest.mark.django_db


def parse_xml(data: bytes) -> ET.Element:
    return ET.fromstring(data)  # noqa: S314 - our own responses, not untrusted input


def text(response) -> str:
    return response.content.decode()


def assert_no_secrets(html: str, world, url: str) -> None:
    for secret in world.secret_titles:
        assert secret not in html, (url, secret)


def assert_one_h1(html: str, url: str) -> None:
    assert len(re.findall(r"<h1[\s>]", html)) == 1, url


def test_every_public_page_renders_with_one_h1_and_no_secrets(client, world):
    urls = [
        "/",
        "/policies/",
        "/policies/normative/",
        "/policies/repealed/",
        f"/items/{world.p2.pk}/",
        f"/items/{world.p3.pk}/",
        f"/items/{world.x1.pk}/",
        "/interpretations/",
        f"/interpretations/{world.i1.pk}/",
        f"/interpretations/{world.i3.pk}/",
        "/qa/",
        f"/qa/?policy={world.p2.pk}",
        f"/qa/?unit={world.unit.pk}",
        f"/qa/?org={world.office.pk}",
        f"/qa/{world.q1.pk}/",
        "/zfxxgk/",
        f"/zfxxgk/org/{world.office.code}/",
        f"/zfxxgk/org/{world.finance.code}/",
        f"/zfxxgk/topic/{world.cfs.pk}/",
        f"/zfxxgk/topic/{world.jy.pk}/",
        "/zfxxgk/guide/",
        "/zfxxgk/rules/",
        "/zfxxgk/annual-reports/",
        "/zfxxgk/ysqgk/",
        "/organisations/",
        f"/organisations/{world.office.code}/",
        "/columns/zqjk/",
        "/columns/wjjdp/",
    ]
    for url in urls:
        r = client.get(url)
        assert r.status_code == 200, url
        html = text(r)
        assert_one_h1(html, url)
        assert_no_secrets(html, world, url)
        assert 'lang="zh-CN"' in html


def test_non_public_items_are_404(client, world):
    for item in (world.n1, world.n2, world.n3):
        assert client.get(f"/items/{item.pk}/").status_code == 404
    assert client.get(f"/interpretations/{world.i2.pk}/").status_code == 404
    assert client.get(f"/qa/?policy={world.n1.pk}").status_code == 404
    for entry in (world.q2, world.q3):  # a draft, and one tied to a 依申请公开 document
        assert client.get(f"/qa/{entry.pk}/").status_code == 404


def test_item_page_shows_metadata_block(client, world):
    html = text(client.get(f"/items/{world.p2.pk}/"))
    for expected in (
        world.p2.index_number,
        "杭东市人民政府办公厅",
        "2025-05-06",
        "2025-05-10",
        "杭东政办规〔2025〕3号",
        "财政、金融、审计",
        "通知",
        "公众、企业",
        "助企,纾困",
        "十条助企措施。",
        "有效",
    ):
        assert expected in html, expected
    # A second-level topic shows as "一级\二级".
    html = text(client.get(f"/items/{world.p1.pk}/"))
    assert "财政、金融、审计\\财政" in html


def test_validity_banner_links_to_the_replacing_item(client, world):
    html = text(client.get(f"/items/{world.p3.pk}/"))
    assert "本文件已于2026年1月1日废止，由《杭东市教育经费管理办法》替代" in html
    assert f'href="/items/{world.p6.pk}/">查看替代文件</a>' in html
    # The replacing item names what it replaced.
    html = text(client.get(f"/items/{world.p6.pk}/"))
    assert "validity-banner" not in html
    assert f'href="/items/{world.p3.pk}/"' in html


def test_banner_does_not_link_to_a_non_public_replacement(client, world):
    world.p5.replaced_by = world.n2
    world.p5.save()
    html = text(client.get(f"/items/{world.p5.pk}/"))
    assert "本文件已于2025年11月20日失效" in html
    assert world.n2.title not in html
    assert f'href="/items/{world.n2.pk}/"' not in html


def test_interpretations_are_shown_on_both_sides(client, world):
    html = text(client.get(f"/items/{world.p2.pk}/"))
    assert f'href="/interpretations/{world.i1.pk}/"' in html
    assert world.i1.title in html
    assert world.i2.title not in html  # draft
    assert world.q1.question in html
    assert "0571-8700001" in html
    html = text(client.get(f"/interpretations/{world.i1.pk}/"))
    assert f'href="/items/{world.p2.pk}/"' in html
    assert f'href="/items/{world.p7.pk}/"' in html
    assert 'alt="助企纾困十条的十项措施示意图"' in html
    # i3 explains p1 and a 依申请公开 document: only p1 is named.
    html = text(client.get(f"/interpretations/{world.i3.pk}/"))
    assert f'href="/items/{world.p1.pk}/"' in html
    assert world.n1.title not in html
    assert 'href="https://video.example.cn/v/1"' in html


def test_qa_browsable_by_policy_and_unit(client, world):
    r = client.get("/qa/")
    assert [e.question for e in r.context["page_obj"].object_list] == [
        world.q4.question,
        world.q1.question,
    ]
    assert {row["policy__title"]: row["n"] for row in r.context["by_policy"]} == {
        world.p2.title: 1,
        world.p7.title: 1,
    }
    r = client.get(f"/qa/?unit={world.unit.pk}")
    assert [e.question for e in r.context["page_obj"].object_list] == [world.q1.question]
    html = text(r)
    assert "政策法规处" in html
    assert "0571-8700001" in html
    r = client.get(f"/qa/?org={world.finance.pk}")
    assert [e.question for e in r.context["page_obj"].object_list] == [world.q4.question]


def test_zfxxgk_catalogue_by_org_and_topic(client, world):
    r = client.get(f"/zfxxgk/org/{world.office.code}/")
    assert {i.title for i in r.context["page_obj"].object_list} == {
        world.p1.title, world.p2.title, world.p3.title, world.p4.title, world.x1.title
    }  # fmt: skip
    r = client.get(f"/zfxxgk/topic/{world.cfs.pk}/")
    assert {i.title for i in r.context["page_obj"].object_list} == {
        world.p1.title, world.p2.title, world.p5.title, world.x1.title
    }  # fmt: skip
    assert dict((c.name, n) for c, n in r.context["children"])["财政"] == 3
    html = text(client.get("/zfxxgk/"))
    for module in ("法定主动公开内容", "政策", "政府信息公开指南", "政府信息公开制度",
                   "政府信息公开年报", "依申请公开", "机构职能目录"):  # fmt: skip
        assert module in html


def test_guide_prefers_the_organisation_page(client, world):
    Page.objects.get_or_create(
        slug="guide",
        organisation=None,
        defaults={"title": "政府信息公开指南", "body": "<p>通用</p>"},
    )
    Page.objects.create(
        slug="guide", organisation=world.finance, title="杭东市财政局政府信息公开指南",
        body="<p>财政局受理地点</p><script>alert(1)</script>",
    )  # fmt: skip
    html = text(client.get("/zfxxgk/guide/"))
    assert "<h1>政府信息公开指南</h1>" in html
    html = text(client.get(f"/zfxxgk/guide/?org={world.finance.code}"))
    assert "财政局受理地点" in html
    assert "<script>" not in html
    html = text(client.get(f"/zfxxgk/guide/?org={world.office.code}"))
    assert "尚未单独发布本页面" in html


def test_annual_reports_page_lists_only_published_reports(client, world):
    html = text(client.get("/zfxxgk/annual-reports/"))
    assert "政府信息公开工作年度报告" in html
    assert "暂无已发布的年度报告。" in html


def test_organisation_directory(client, world):
    world.office.functions = "负责市政府日常运转。"
    world.office.leaders = "王五 主任 主持全面工作\n赵六 副主任"
    world.office.phone = "0571-87000000"
    world.office.save()
    html = text(client.get("/organisations/"))
    assert "负责市政府日常运转。" in html
    assert "政策法规处" in html
    assert "0571-87000000" in html
    html = text(client.get(f"/organisations/{world.office.code}/"))
    assert "<li>赵六 副主任</li>" in html
    assert '<th scope="col">科室名称</th>' in html


def test_column_page_and_feeds_contain_only_public_items_of_the_column(client, world):
    r = client.get("/columns/zqjk/")
    assert {i.title for i in r.context["page_obj"].object_list} == {
        world.p1.title, world.p2.title, world.p5.title, world.x1.title
    }  # fmt: skip
    rss = client.get("/columns/zqjk/rss.xml")
    assert rss.status_code == 200
    assert rss["Content-Type"].startswith("application/rss+xml")
    root = parse_xml(rss.content)
    assert sorted(i.findtext("title") for i in root.iter("item")) == sorted(
        [world.p1.title, world.p2.title, world.p5.title, world.x1.title]
    )
    atom = client.get("/columns/zqjk/atom.xml")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = parse_xml(atom.content).findall("a:entry", ns)
    assert len(entries) == 4
    body = rss.content.decode() + atom.content.decode()
    assert_no_secrets(body, world, "feeds")
    assert world.p7.title not in body  # other column
    assert client.get("/columns/nope/rss.xml").status_code == 404


def test_sitemap_lists_public_pages_only(client, world):
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text for e in parse_xml(index.content).findall("s:sitemap/s:loc", ns)]
    assert len(locs) == 5
    urls: list[str] = []
    for section in ("pages", "items", "policies", "interpretations", "columns"):
        r = client.get(f"/sitemap-{section}.xml")
        assert r.status_code == 200
        urls += [e.text for e in parse_xml(r.content).findall("s:url/s:loc", ns)]
    item_urls = {u.split("testserver")[1] for u in urls if "/items/" in u}
    public = [world.p1, world.p2, world.p3, world.p4, world.p5, world.p6, world.p7, world.x1]
    assert item_urls == {f"/items/{i.pk}/" for i in public}
    assert any(u.endswith(f"/interpretations/{world.i1.pk}/") for u in urls)
    assert not any(u.endswith(f"/interpretations/{world.i2.pk}/") for u in urls)
    assert any(u.endswith("/columns/zqjk/") for u in urls)


def test_home_page_content_and_query_count(client, world):
    client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        r = client.get("/")
    # Five for the content, one for the issuing government named in the header.
    assert len(ctx.captured_queries) == 6
    html = text(r)
    assert world.x1.title in html
    assert world.p7.title in html
    assert f'href="/interpretations/{world.i1.pk}/"' in html
    assert 'href="/columns/zqjk/"' in html
    assert 'href="/zfxxgk/"' in html
    assert_no_secrets(html, world, "/")


def test_attachment_links_use_the_download_view(client, world, tmp_path):
    from django.core.files.base import ContentFile

    from gongkai.catalogue.models import Attachment

    att = Attachment(item=world.p2, original_name="十条全文.pdf", file_kind="pdf", size=9,
                     sha256="ab" * 32)  # fmt: skip
    att.file.save("x.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    html = text(client.get(f"/items/{world.p2.pk}/"))
    assert f'href="/attachments/{att.pk}/download/"' in html
    r = client.get(f"/attachments/{att.pk}/download/")
    assert r.status_code == 200
    secret = Attachment(item=world.n1, original_name="内部.pdf", file_kind="pdf", size=9,
                        sha256="cd" * 32)  # fmt: skip
    secret.file.save("y.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    assert client.get(f"/attachments/{secret.pk}/download/").status_code == 404
