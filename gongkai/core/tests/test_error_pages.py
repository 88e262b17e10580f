"""The production error pages (DEBUG off, as in the test settings) are Chinese, in the site's
layout, and the browser's /favicon.ico is answered."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db


def test_debug_is_off_so_the_production_pages_render():
    assert settings.DEBUG is False


def test_404_is_chinese_in_the_portal_layout(client):
    r = client.get("/nonexistent/page/")
    assert r.status_code == 404
    body = r.content.decode()
    assert '<html lang="zh-CN">' in body
    assert "<title>页面不存在" in body
    assert "<h1>页面不存在</h1>" in body
    # Home, search (a form and a link) and the portal's navigation.
    assert '<a href="/">返回首页</a>' in body
    assert '<a href="/search/">站内搜索</a>' in body
    assert 'action="/search/"' in body
    assert '<nav class="main-nav"' in body
    assert "Not Found" not in body
    assert 'lang="en"' not in body


@pytest.mark.urls("gongkai.core.tests.urls_raising")
def test_500_page_renders_chinese_in_the_site_layout():
    client = Client(raise_request_exception=False)
    r = client.get("/broken-for-test/")
    assert r.status_code == 500
    body = r.content.decode()
    assert '<html lang="zh-CN">' in body
    assert "<h1>服务器错误</h1>" in body
    assert "<title>服务器错误 - 政务公开平台</title>" in body
    assert '<a href="/">返回首页</a>' in body
    assert '<a href="/search/">站内搜索</a>' in body
    assert "/static/gongkai/site.css" in body
    assert "Server Error" not in body


@pytest.mark.urls("gongkai.core.tests.urls_raising")
def test_500_page_survives_a_broken_database(monkeypatch):
    """The page takes nothing from the database: it renders even when every query fails."""
    from django.db.backends.utils import CursorWrapper

    def refuse(*args, **kwargs):
        raise RuntimeError("database down")

    client = Client(raise_request_exception=False)
    monkeypatch.setattr(CursorWrapper, "execute", refuse)
    r = client.get("/broken-for-test/")
    assert r.status_code == 500
    assert "<h1>服务器错误</h1>" in r.content.decode()


def test_400_and_csrf_failure_pages_are_chinese(client):
    from django.test import RequestFactory
    from django.views.defaults import bad_request

    request = RequestFactory().get("/")
    r = bad_request(request, Exception("bad"))
    assert r.status_code == 400
    assert '<html lang="zh-CN">' in r.content.decode()
    assert "<h1>请求无效</h1>" in r.content.decode()
    csrf_client = Client(enforce_csrf_checks=True)
    r = csrf_client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert r.status_code == 403
    body = r.content.decode()
    assert "<h1>请求已过期</h1>" in body
    assert '<html lang="zh-CN">' in body
    assert "CSRF verification failed" not in body


def test_favicon_is_linked_and_answered(client):
    home = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/gongkai/favicon.ico" sizes="32x32">' in home
    assert '<link rel="icon" href="/static/gongkai/favicon.svg" type="image/svg+xml">' in home
    r = client.get("/favicon.ico")
    assert r.status_code == 302
    assert r["Location"] == "/static/gongkai/favicon.ico"
    assert "max-age=86400" in r["Cache-Control"]
    ico = Path(finders.find("gongkai/favicon.ico"))
    # An ICO file: reserved 0, type 1 (icon), then the number of images.
    header = ico.read_bytes()[:6]
    assert header[:4] == b"\x00\x00\x01\x00"
    assert header[4] >= 2
    svg = Path(finders.find("gongkai/favicon.svg")).read_text()
    assert svg.startswith("<svg")
    assert 'viewBox="0 0 32 32"' in svg


def test_license_is_the_agpl_v3():
    text = (Path(settings.BASE_DIR) / "LICENSE").read_text()
    assert text.splitlines()[0].strip() == "GNU AFFERO GENERAL PUBLIC LICENSE"
    assert text.splitlines()[1].strip() == "Version 3, 19 November 2007"
    assert "13. Remote Network Interaction; Use with the GNU General Public License." in text
    assert text.rstrip().endswith("<https://www.gnu.org/licenses/>.")
