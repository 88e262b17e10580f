"""Conditional requests on public pages (issue 17 item 2) and bounded queries (item 4).

Anonymous GETs get an ETag and a 304 when the browser already has the page; signed-in users'
pages are never cacheable and never answered from a validator.
"""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date

from gongkai.catalogue.models import Attachment, InformationItem

pytestmark = pytest.mark.django_db


def public_paths(world) -> list[str]:
    return [
        "/",
        f"/items/{world.p2.pk}/",
        "/policies/",
        "/policies/?kind=normative&year=2025",
        "/columns/zqjk/",
        "/columns/zqjk/rss.xml",
        "/columns/zqjk/atom.xml",
        "/sitemap.xml",
    ]


def test_public_pages_answer_304_to_their_etag(client, world):
    for path in public_paths(world):
        first = client.get(path)
        assert first.status_code == 200, path
        etag = first.headers.get("ETag")
        assert etag, path
        assert etag.startswith('"'), (path, etag)
        assert etag.endswith('"'), (path, etag)
        assert "private" not in first.headers.get("Cache-Control", ""), path
        again = client.get(path, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304, path
        assert again.content == b"", path
        assert again.headers["ETag"] == etag, path
        # Another validator (an older copy) gets the whole page again.
        other = client.get(path, HTTP_IF_NONE_MATCH='"0123456789abcdef"')
        assert other.status_code == 200, path
        assert other.content == first.content, path


def test_feeds_and_sitemaps_are_never_304_to_a_date_alone(client, world):
    # Their newest publication date does not move when an item is withdrawn, so a date would
    # wrongly say "not modified"; the ETag of the body is the validator.
    paths = ["/columns/zqjk/rss.xml", "/columns/zqjk/atom.xml", "/sitemap.xml"]
    paths += ["/sitemap-items.xml"]
    for path in paths:
        r = client.get(path, HTTP_IF_MODIFIED_SINCE="Fri, 01 Jan 2100 00:00:00 GMT")
        assert r.status_code == 200, path
        assert "Last-Modified" not in r.headers, path
        assert r.headers["ETag"], path
    before = client.get("/columns/zqjk/rss.xml")
    assert world.p2.title in before.content.decode()
    InformationItem.objects.filter(pk=world.p2.pk).update(status="withdrawn")
    after = client.get("/columns/zqjk/rss.xml", HTTP_IF_NONE_MATCH=before.headers["ETag"])
    assert after.status_code == 200
    assert world.p2.title not in after.content.decode()


def test_changed_item_gets_a_new_etag_and_the_new_page(client, world):
    path = f"/items/{world.p2.pk}/"
    old = client.get(path)
    etag = old.headers["ETag"]
    InformationItem.objects.filter(pk=world.p2.pk).update(title="杭东市助企纾困十二条")
    fresh = client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200
    assert fresh.headers["ETag"] != etag
    assert "杭东市助企纾困十二条" in fresh.content.decode()
    assert client.get(path, HTTP_IF_NONE_MATCH=fresh.headers["ETag"]).status_code == 304


def _attachment(item, name: str, sha: str) -> Attachment:
    att = Attachment(item=item, original_name=name, file_kind="pdf", size=9, sha256=sha)
    att.file.save("x.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    return att


def test_attachment_download_validators(client, world):
    att = _attachment(world.p2, "十条全文.pdf", "ab" * 32)
    url = f"/attachments/{att.pk}/download/"
    first = client.get(url)
    assert first.status_code == 200
    assert first.headers["ETag"] == '"' + "ab" * 32 + '"'
    assert first.headers["Last-Modified"] == http_date(att.uploaded_at.timestamp())
    assert b"".join(first.streaming_content) == b"%PDF-1.4\n"
    not_modified = client.get(url, HTTP_IF_NONE_MATCH='"' + "ab" * 32 + '"')
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    since = client.get(url, HTTP_IF_MODIFIED_SINCE=first.headers["Last-Modified"])
    assert since.status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"' + "cd" * 32 + '"').status_code == 200


def test_non_public_attachment_is_not_confirmed_by_a_304(client, world):
    secret = _attachment(world.n1, "内部.pdf", "cd" * 32)
    r = client.get(f"/attachments/{secret.pk}/download/", HTTP_IF_NONE_MATCH='"' + "cd" * 32 + '"')
    assert r.status_code == 404
    # The ordinary 404 page (its own ETag), nothing derived from the file.
    assert "cd" * 32 not in r.headers.get("ETag", "")
    assert "页面不存在" in r.content.decode()


def sign_in(client, user) -> None:
    # Through the login form rather than force_login: that one records the login with no
    # client address, which PostgreSQL's inet column refuses.
    r = client.post("/accounts/login/", {"username": user.username, "password": "pass-1234-abcd"})
    assert r.status_code == 302, r.content.decode()[:500]
    assert_private(r, "/accounts/login/")


def assert_private(response, path: str) -> None:
    cache_control = {p.strip() for p in response.headers.get("Cache-Control", "").split(",")}
    assert {"private", "no-store", "no-cache", "max-age=0"} <= cache_control, (path, cache_control)
    assert "ETag" not in response.headers, path
    assert "Last-Modified" not in response.headers, path


def test_signed_in_pages_are_private_and_never_304(client, world, public_user):
    anonymous = {path: client.get(path) for path in public_paths(world)}
    sign_in(client, public_user)
    for path, anon in anonymous.items():
        r = client.get(path, HTTP_IF_NONE_MATCH=anon.headers["ETag"])
        assert r.status_code == 200, path
        assert_private(r, path)
    # The signed-in page is this user's (个人中心, 退出): exactly why no shared cache may keep it.
    html = client.get("/").content.decode()
    assert 'href="/accounts/me/"' in html
    assert 'action="/accounts/logout/"' in html


def test_requests_with_credentials_are_private(client, world):
    # An API client's Authorization header: whatever it is answered is for that client only.
    r = client.get("/policies/", HTTP_AUTHORIZATION="Bearer abc")
    assert r.status_code == 200
    assert_private(r, "/policies/")


def test_signed_in_attachment_and_workbench_are_private(client, world, make_staff):
    att = _attachment(world.p2, "十条全文.pdf", "ab" * 32)
    editor = make_staff("editor", world.office)
    sign_in(client, editor)
    url = f"/attachments/{att.pk}/download/"
    r = client.get(url, HTTP_IF_NONE_MATCH='"' + "ab" * 32 + '"')
    assert r.status_code == 200
    assert_private(r, url)
    staff = client.get("/staff/")
    assert staff.status_code == 200
    assert_private(staff, "/staff/")


def test_anonymous_public_pages_set_no_cookie(client, world):
    # A response that sets a cookie is never stored by nginx's micro-cache: public pages must
    # not start a session or hand out a CSRF cookie to a first-time reader.
    for path in public_paths(world):
        r = client.get(path)
        assert not r.cookies, (path, r.cookies)


def test_large_text_toggle_needs_no_token_and_pages_differ(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    r = client.post("/display/large-text/", {"next": "/policies/"})
    assert r.status_code == 302
    assert r.headers["Location"] == "/policies/"
    assert r.cookies["gk_large"].value == "1"
    page = client.get("/policies/")
    assert '<body class="large-text' in page.content.decode()
    assert page.headers["ETag"] != Client().get("/policies/").headers["ETag"]


def test_item_page_query_count_is_bounded(client, world):
    path = f"/items/{world.p2.pk}/"
    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(path)
    assert r.status_code == 200
    first = len(ctx.captured_queries)
    # More interpretations, Q&A and attachments must not mean more queries.
    for n in range(3):
        _attachment(world.p2, f"附件{n}.pdf", f"{n}" * 64)
    with CaptureQueriesContext(connection) as ctx:
        client.get(path)
    assert len(ctx.captured_queries) == first
    # The item with its joined rows, its small lists in one statement, the header's government.
    assert first == 3, [q["sql"] for q in ctx.captured_queries]


def test_search_page_query_count_is_bounded(client, world):
    client.get("/search/?q=助企")
    with CaptureQueriesContext(connection) as ctx:
        r = client.get("/search/?q=助企")
    assert r.status_code == 200
    first = len(ctx.captured_queries)
    from gongkai.policies.tests.conftest import make_item

    for n in range(5):
        make_item(world.office, f"助企新政{n}", kind="normative", audiences=[world.qy])
    # The first search after the writes catches the index up (a one-off); then count again.
    client.get("/search/?q=助企")
    with CaptureQueriesContext(connection) as ctx:
        client.get("/search/?q=助企")
    assert len(ctx.captured_queries) == first
    assert first <= 12, [q["sql"] for q in ctx.captured_queries]


def test_home_page_query_count_is_fixed(client, world):
    """Issue 17: no N+1 on the home page — more items in its columns, same queries."""
    from gongkai.policies.tests.conftest import make_item

    client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200
    first = len(ctx.captured_queries)
    for n in range(6):
        make_item(world.office, f"首页新增信息{n}", kind="normative", columns=[world.zqjk])
    with CaptureQueriesContext(connection) as ctx:
        client.get("/")
    assert len(ctx.captured_queries) == first
    assert first == 6, [q["sql"] for q in ctx.captured_queries]


def test_item_page_reads_its_qa_without_scanning_public_items(client, world):
    """The item page's Q&A query names the item only (the plan check of bench-web found the
    ``policy IN (public items)`` form scanning the documents table)."""
    path = f"/items/{world.p2.pk}/"
    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(path).content.decode()
    # The Q&A are one branch of the page's statement of small lists (portal.selectors).
    qa = [
        branch
        for q in ctx.captured_queries
        for branch in q["sql"].split("UNION ALL")
        if 'FROM "policies_qaentry"' in branch
    ]
    assert len(qa) == 1
    assert "catalogue_informationitem" not in qa[0].split("FROM", 1)[1].split("ORDER BY")[0]
    assert world.q1.question in html
    assert world.q2.question not in html  # a draft
