"""Site furniture (issue 15, item 12): footer identifiers from settings, the issuing government
in the header, 联系我们, 网站声明, the 无障碍/适老化 statement and the HTML 网站地图."""

import re

import pytest

pytestmark = pytest.mark.django_db


def _footer(html: str) -> str:
    return html[html.index('<footer class="site">') :]


def test_footer_shows_configured_identifiers_and_links(client, org_tree, settings):
    settings.GONGKAI_SITE_SPONSOR = "杭东市人民政府办公厅"
    settings.GONGKAI_SITE_ORGANIZER = "杭东市大数据发展管理局"
    settings.GONGKAI_SITE_CODE = "3301000001"
    settings.GONGKAI_ICP = "浙ICP备12345678号"
    settings.GONGKAI_PSB = "浙公网安备33010002000001号"
    footer = _footer(client.get("/").content.decode())
    assert "<li>主办单位：杭东市人民政府办公厅</li>" in footer
    assert "<li>承办单位：杭东市大数据发展管理局</li>" in footer
    assert "<li>网站标识码：3301000001</li>" in footer
    assert '<a href="https://beian.miit.gov.cn/" rel="noopener">浙ICP备12345678号</a>' in footer
    assert '<a href="https://beian.mps.gov.cn/" rel="noopener">浙公网安备33010002000001号</a>' in (
        footer
    )
    assert '<a href="https://zfwzzc.www.gov.cn/" rel="noopener">全国政府网站找错平台</a>' in footer
    for href, name in [
        ("/contact/", "联系我们"),
        ("/statement/", "网站声明"),
        ("/accessibility/", "无障碍与适老化声明"),
        ("/sitemap/", "网站地图"),
    ]:
        assert f'<a href="{href}">{name}</a>' in footer


def test_unset_identifiers_are_left_out_and_sponsor_defaults_to_top_government(client, org_tree):
    html = client.get("/policies/").content.decode()
    footer = _footer(html)
    assert "<li>主办单位：杭东市人民政府</li>" in footer
    assert "承办单位" not in footer
    assert "网站标识码" not in footer
    assert "beian" not in footer
    header = html[html.index('<header class="site">') : html.index("</header>")]
    assert '<span class="brand-gov">杭东市人民政府</span>政务公开平台' in header


def test_static_site_pages_render(client, org_tree):
    city = org_tree["city"]
    city.address = "杭东市民心路100号"
    city.phone = "0571-87000000"
    city.office_hours = "工作日 9:00—12:00，13:30—17:00"
    city.save()
    contact = client.get("/contact/").content.decode()
    assert "<h1>联系我们</h1>" in contact
    assert "<dd>杭东市民心路100号</dd>" in contact
    assert "<dd>0571-87000000</dd>" in contact
    statement = client.get("/statement/").content.decode()
    assert "<h1>网站声明</h1>" in statement
    assert "个人信息保护" in statement
    a11y = client.get("/accessibility/").content.decode()
    assert "<h1>无障碍与适老化声明</h1>" in a11y
    assert "长者模式" in a11y


def test_html_site_map_lists_sections_and_organisations(client, org_tree):
    response = client.get("/sitemap/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "<h1>网站地图</h1>" in html
    assert '<a href="/policies/">政策文件库</a>' in html
    assert '<a href="/zfxxgk/ysqgk/">依申请公开</a>' in html
    for org in org_tree.values():
        assert f'<a href="/zfxxgk/org/{org.code}/">{org.name}</a>' in html
    # sitemap.xml stays for search engines.
    assert re.search(r"<sitemapindex", client.get("/sitemap.xml").content.decode())
