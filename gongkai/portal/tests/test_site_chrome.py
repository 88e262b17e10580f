"""The portal's header and footer, kept once rendered for anonymous readers (issue 17 item 4,
portal.templatetags.portal_chrome): the same bytes the template prints, the request's own values
in every page, an edit of what the chrome shows on the next render, and a signed-in reader
never given the anonymous chrome."""

import pytest
from django.db import connection
from django.template import engines
from django.test import Client

from gongkai.accounts.models import Organisation

pytestmark = pytest.mark.django_db


def _header(html: str) -> str:
    return html[html.index('<header class="site">') : html.index("</header>") + 9]


def _footer(html: str) -> str:
    return html[html.index('<footer class="site">') : html.index("</footer>") + 9]


def _direct(name: str, **context) -> str:
    """The fragment rendered straight through the template engine (no kept parts)."""
    from django.contrib.auth.models import AnonymousUser

    base = {
        "site_name": "政务公开平台",
        "site_government": "杭东市人民政府",
        "large_text": False,
        "site_organizer": "",
        "site_code": "",
        "site_icp": "",
        "site_psb": "",
        "user": AnonymousUser(),
    }
    template = engines["django"].get_template(f"portal/_site_{name}.html")
    return template.render({**base, **context}).strip("\n")


def test_anonymous_chrome_is_the_template_with_this_requests_values(client, world):
    first = client.get("/policies/?kind=normative").content.decode()
    address = "/policies/?q=%3Cb%3E%22x%22%26y&kind=other"
    page = client.get(address).content.decode()  # kept parts now, other request values
    full_path = "/policies/?q=%3Cb%3E%22x%22%26y&kind=other"
    assert _header(page) == _direct("header", search_q='<b>"x"&y', here=full_path)
    assert _footer(page) == _direct(
        "footer", here_quoted="/policies/%3Fq%3D%253Cb%253E%2522x%2522%2526y%26kind%3Dother"
    )
    assert 'value="&lt;b&gt;&quot;x&quot;&amp;y"' in _header(page)
    assert (
        '<input type="hidden" name="next" value="/policies/?q=%3Cb%3E%22x%22%26y&amp;kind=other">'
        in _header(page)
    )
    assert 'value=""' in _header(first)  # the first request's values did not stay behind
    assert '<input type="hidden" name="next" value="/policies/?kind=normative">' in _header(first)
    assert (
        '<a href="/report-error/?page=/policies/%3Fkind%3Dnormative">我为政府网站找错</a>'
        in _footer(first)
    )


def test_renamed_government_and_site_show_on_the_next_render(client, world, settings):
    settings.GONGKAI_READ_CACHE = False  # the test settings' default; the shared-read case below
    client.get("/")
    assert (
        '<span class="brand-gov">杭东市人民政府</span>政务公开平台'
        in client.get("/").content.decode()
    )
    Organisation.objects.filter(pk=world.city.pk).update(name="杭东市人民政府（更名）")
    settings.GONGKAI_SITE_NAME = "杭东政务公开"
    page = client.get("/").content.decode()
    assert '<span class="brand-gov">杭东市人民政府（更名）</span>杭东政务公开' in _header(page)
    assert "<li>主办单位：杭东市人民政府（更名）</li>" in _footer(page)
    assert "杭东市人民政府</span>" not in page


def test_renamed_government_shows_at_once_with_shared_reads(
    client, world, settings, django_capture_on_commit_callbacks
):
    """With the shared read of ADR 0008 on, the header's input comes from the cache: a write of
    the organisation table bumps its generation after the commit, and the next render of the
    kept chrome has the new name."""
    settings.GONGKAI_READ_CACHE = True
    from django.core.cache import cache

    cache.clear()
    client.get("/")
    client.get("/")
    connection._gk_page_cache_pending = None  # a new transaction's bump (see test_page_cache)
    with django_capture_on_commit_callbacks(execute=True):
        Organisation.objects.filter(pk=world.city.pk).update(name="杭东市人民政府（新）")
    page = client.get("/").content.decode()
    assert '<span class="brand-gov">杭东市人民政府（新）</span>' in _header(page)
    assert "<li>主办单位：杭东市人民政府（新）</li>" in _footer(page)
    cache.clear()


def test_signed_in_readers_never_get_the_anonymous_chrome(client, world, public_user, make_staff):
    anonymous = _header(client.get("/").content.decode())
    assert '<a href="/accounts/login/">登录</a>' in anonymous
    assert "退出" not in anonymous
    reader = Client()
    reader.force_login(public_user)
    header = _header(reader.get("/").content.decode())
    assert '<a href="/accounts/me/">个人中心</a>' in header
    assert 'name="csrfmiddlewaretoken"' in header
    assert '<button type="submit">退出</button>' in header
    assert "/accounts/login/" not in header
    assert "/accounts/register/" not in header
    staff = Client()
    staff.force_login(make_staff("editor", world.office))
    assert '<a href="/staff/">工作台</a>' in _header(staff.get("/").content.decode())
    # and the signed-in renders left nothing behind for the next anonymous reader
    assert _header(Client().get("/").content.decode()) == anonymous


def test_large_text_mode_has_its_own_chrome(client, world):
    standard = _header(client.get("/").content.decode())
    assert '<button type="submit" aria-pressed="false">长者模式（大字高对比）</button>' in standard
    client.cookies["gk_large"] = "1"
    large = _header(client.get("/").content.decode())
    assert '<button type="submit" aria-pressed="true">标准模式</button>' in large
    del client.cookies["gk_large"]
    assert _header(client.get("/").content.decode()) == standard


def test_unset_identifiers_stay_unset_in_the_kept_footer(client, world, settings):
    """None and "" both leave an identifier out, as {% if %} did in the page template."""
    settings.GONGKAI_ICP = None
    settings.GONGKAI_SITE_CODE = ""
    settings.GONGKAI_PSB = "浙公网安备33010002000001号"
    client.get("/")
    footer = _footer(client.get("/").content.decode())
    assert "None" not in footer
    assert "网站标识码" not in footer
    assert "beian.miit.gov.cn" not in footer
    assert '<a href="https://beian.mps.gov.cn/" rel="noopener">浙公网安备33010002000001号</a>' in (
        footer
    )
