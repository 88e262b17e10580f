"""Cached public pages with exact invalidation (issue 17 item 1, gongkai.core.page_cache).

The "two servers" here are two test clients whose only shared state is the cache: Redis db 13
(REDIS_TEST_URL), as two gunicorn processes behind nginx share it in production. Server A writes
(publishes, withdraws, corrects); server B has the page cached and must never serve the old one.
"""

import datetime
import json

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gongkai.catalogue.models import Column, InformationItem
from gongkai.catalogue.services import item_set_validity, item_withdraw
from gongkai.core import page_cache
from gongkai.core.models import AuditEntry
from gongkai.core.testing import shared_redis_cache, worker_redis_url
from gongkai.policies.tests.conftest import make_item

# cache.clear() is FLUSHDB: each xdist worker empties a database of its own.
REDIS = worker_redis_url("REDIS_TEST_URL", 13, 15)

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_cache(settings):
    yield from shared_redis_cache(settings, REDIS, "gk-test-page-cache")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what the writes inside the block do "after the commit" (the test's own transaction
    never commits). The test's transaction already queued one pending bump for the fixture's
    writes, which never runs: start afresh, as a new transaction would."""

    def block():
        connection._gk_page_cache_pending = None
        return django_capture_on_commit_callbacks(execute=True)

    return block


def servers() -> tuple[Client, Client]:
    return Client(), Client()


def text(response) -> str:
    if response["Content-Type"].startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


def test_withdrawn_item_is_gone_on_the_other_server(shared_cache, world, make_staff, committed):
    a, b = servers()
    editor = make_staff("editor", world.p2.organisation)
    pages = ["/", f"/items/{world.p2.pk}/", "/policies/", "/columns/zqjk/"]
    pages += ["/columns/zqjk/rss.xml", "/api/v1/policies"]
    sitemap, link = "/sitemap-policies.xml", f"/items/{world.p2.pk}/</loc>"
    for path in pages:
        first = b.get(path)
        assert first.status_code == 200, path
        assert first.headers["X-Page-Cache"] == "MISS", path
        assert "杭东市助企纾困十条" in text(first), path
        again = b.get(path)
        assert again.headers["X-Page-Cache"] == "HIT", path
        assert again.content == first.content, path
    assert link in b.get(sitemap).content.decode()
    assert b.get(sitemap).headers["X-Page-Cache"] == "HIT"

    with committed():
        item_withdraw(item=world.p2, reason="内容有误", acting_user=editor)

    for path in pages:
        after = b.get(path)
        assert after.headers.get("X-Page-Cache") != "HIT", path
        assert "杭东市助企纾困十条" not in text(after), path
    assert link not in b.get(sitemap).content.decode()
    assert b.get(f"/items/{world.p2.pk}/").status_code == 404
    # Server A, which never had the pages, renders the same.
    assert "杭东市助企纾困十条" not in a.get("/policies/").content.decode()


def test_published_item_appears_on_the_other_server(shared_cache, world, committed):
    _a, b = servers()
    assert b.get("/policies/").headers["X-Page-Cache"] == "MISS"
    assert b.get("/policies/").headers["X-Page-Cache"] == "HIT"
    with committed():
        make_item(
            world.p2.organisation,
            "杭东市新发布的惠企政策",
            published=datetime.date(2026, 3, 3),
            kind="normative",
        )
    page = b.get("/policies/")
    assert page.headers["X-Page-Cache"] == "MISS"
    assert "杭东市新发布的惠企政策" in page.content.decode()
    assert "杭东市新发布的惠企政策" in b.get("/").content.decode()


def test_correction_of_validity_reaches_every_page_that_shows_it(
    shared_cache, world, make_staff, committed
):
    _a, b = servers()
    editor = make_staff("editor", world.p7.organisation)
    item_path = f"/items/{world.p7.pk}/"
    library = "/policies/"
    badge = (
        f'items/{world.p7.pk}/">杭东市学生资助实施办法</a> <span class="badge expired">失效</span>'
    )
    for path in (item_path, library):
        b.get(path)
        assert b.get(path).headers["X-Page-Cache"] == "HIT"
    assert badge not in b.get(library).content.decode()

    with committed():
        item_set_validity(
            item=world.p7,
            validity=InformationItem.Validity.EXPIRED,
            date=datetime.date(2026, 3, 1),
            replaced_by=None,
            acting_user=editor,
        )

    page = b.get(item_path)
    assert page.headers["X-Page-Cache"] == "MISS"
    assert badge not in page.content.decode()
    assert "失效" in page.content.decode()
    assert badge in b.get(library).content.decode()


def test_column_edit_clears_its_pages(shared_cache, world, committed):
    _a, b = servers()
    b.get("/columns/zqjk/")
    assert b.get("/columns/zqjk/").headers["X-Page-Cache"] == "HIT"
    with committed():
        Column.objects.filter(slug="zqjk").update(name="惠企政策直达")
    page = b.get("/columns/zqjk/")
    assert page.headers["X-Page-Cache"] == "MISS"
    assert "惠企政策直达" in page.content.decode()


def test_a_rolled_back_write_clears_nothing_and_other_tables_clear_nothing(
    shared_cache, world, committed
):
    _a, b = servers()
    b.get("/")
    assert b.get("/").headers["X-Page-Cache"] == "HIT"

    def write_then_fail() -> None:
        with transaction.atomic():
            InformationItem.objects.filter(pk=world.p2.pk).update(title="不会保存的标题")
            raise RuntimeError

    with committed(), pytest.raises(RuntimeError):
        write_then_fail()
    assert b.get("/").headers["X-Page-Cache"] == "HIT"
    # The audit trail is no public page's data: writing it keeps the cached home page.
    with committed():
        AuditEntry.objects.create(action=AuditEntry.Action.PUBLISH, target_id="1")
    home = b.get("/")
    assert home.headers["X-Page-Cache"] == "HIT"
    assert "杭东市助企纾困十条" in home.content.decode()


def test_tags_are_the_tables_the_page_read(shared_cache, world):
    _a, b = servers()
    b.get(f"/items/{world.p2.pk}/")
    entry = cache.get(page_cache.entry_key(b.get(f"/items/{world.p2.pk}/").wsgi_request))
    assert "catalogue_informationitem" in entry["gens"]
    assert page_cache.EPOCH in entry["gens"]
    assert "core_auditentry" not in entry["gens"]


def test_deployment_epoch_clears_everything(shared_cache, world):
    _a, b = servers()
    b.get("/")
    assert b.get("/").headers["X-Page-Cache"] == "HIT"
    page_cache.clear_all()
    assert b.get("/").headers["X-Page-Cache"] == "MISS"


def test_signed_in_users_and_cookies_are_never_cached(shared_cache, world, public_user):
    _a, b = servers()
    b.get("/")
    signed_in = Client()
    signed_in.force_login(public_user)
    response = signed_in.get("/")
    assert "X-Page-Cache" not in response.headers
    assert "private" in response.headers["Cache-Control"]
    # The signed-in page was not stored over the anonymous one either.
    assert b.get("/").headers["X-Page-Cache"] == "HIT"
    bearer = Client().get("/api/v1/policies", HTTP_AUTHORIZATION="Bearer x")
    assert "X-Page-Cache" not in bearer.headers


def test_pages_with_a_csrf_form_or_excluded_paths_are_not_cached(shared_cache, world):
    _a, b = servers()
    for path in ("/zfxxgk/ysqgk/apply/", "/search/?q=企业", "/zfxxgk/ysqgk/status/"):
        b.get(path)
        assert "X-Page-Cache" not in b.get(path).headers, path
    assert cache.get(page_cache.entry_key(b.get("/search/?q=企业").wsgi_request)) is None


def test_large_text_mode_is_its_own_entry(shared_cache, world):
    _a, b = servers()
    normal = b.get("/")
    large = Client()
    large.cookies["gk_large"] = "1"
    first = large.get("/")
    assert first.headers["X-Page-Cache"] == "MISS"
    assert first.content != normal.content
    assert large.get("/").content == first.content


def test_cached_page_still_answers_304(shared_cache, world):
    _a, b = servers()
    etag = b.get("/").headers["ETag"]
    hit = b.get("/", HTTP_IF_NONE_MATCH=etag)
    assert hit.status_code == 304
    assert hit.headers["ETag"] == etag


def test_lifetime_never_crosses_china_midnight(settings):
    settings.GONGKAI_PAGE_CACHE_SECONDS = 600
    tz = datetime.timezone(datetime.timedelta(hours=8))
    assert page_cache.lifetime(datetime.datetime(2026, 3, 1, 23, 58, 0, tzinfo=tz)) == 120
    assert page_cache.lifetime(datetime.datetime(2026, 3, 1, 12, 0, 0, tzinfo=tz)) == 600


def test_withdrawal_keeps_pages_that_never_showed_policies(
    shared_cache, world, make_staff, committed
):
    _a, b = servers()
    editor = make_staff("editor", world.p2.organisation)
    for path in ("/hudong/", "/contact/", "/"):
        b.get(path)
        assert b.get(path).headers["X-Page-Cache"] == "HIT", path
    with committed():
        item_withdraw(item=world.p2, reason="内容有误", acting_user=editor)
    assert b.get("/hudong/").headers["X-Page-Cache"] == "HIT"
    assert b.get("/contact/").headers["X-Page-Cache"] == "HIT"
    assert b.get("/").headers["X-Page-Cache"] == "MISS"


def test_shared_read_is_kept_until_its_table_changes(shared_cache, settings, world, committed):
    """page_cache.cached_read: the header's issuing government is read once for every render
    (page cache off here), and a write of the organisation table shows at once."""
    from django.test.utils import CaptureQueriesContext

    from gongkai.accounts.models import Organisation

    settings.GONGKAI_PAGE_CACHE = False
    settings.GONGKAI_READ_CACHE = True
    government = (
        Organisation.objects.filter(
            parent__isnull=True, is_active=True, kind=Organisation.Kind.GOVERNMENT
        )
        .order_by("sort_order", "code")
        .first()
    )
    assert government is not None
    client = Client()
    assert f'<span class="brand-gov">{government.name}</span>' in text(client.get("/"))
    with CaptureQueriesContext(connection) as ctx:
        page = text(client.get("/"))
    assert f'<span class="brand-gov">{government.name}</span>' in page
    assert not [q for q in ctx.captured_queries if "accounts_organisation" in q["sql"]]
    with committed():
        Column.objects.filter(slug="zqjk").update(name="惠企政策直达")  # another table: kept
    with CaptureQueriesContext(connection) as ctx:
        client.get("/")
    assert not [q for q in ctx.captured_queries if "accounts_organisation" in q["sql"]]
    with committed():
        Organisation.objects.filter(pk=government.pk).update(name="示范市人民政府（更名）")
    page = text(client.get("/"))
    assert '<span class="brand-gov">示范市人民政府（更名）</span>' in page
    assert f'<span class="brand-gov">{government.name}</span>' not in page
    page_cache.clear_all()  # a deployment forgets shared reads too
    with CaptureQueriesContext(connection) as ctx:
        client.get("/")
    assert [q for q in ctx.captured_queries if "accounts_organisation" in q["sql"]]


def test_page_built_from_a_kept_read_is_cleared_by_that_reads_table(
    shared_cache, settings, world, committed
):
    """A page rendered while the header's government came from the shared-read cache ran no
    SQL on the organisation table; its entry must still carry that table, or renaming the
    government would leave the page cached with the old name."""
    from gongkai.accounts.models import Organisation

    settings.GONGKAI_READ_CACHE = True
    government = (
        Organisation.objects.filter(
            parent__isnull=True, is_active=True, kind=Organisation.Kind.GOVERNMENT
        )
        .order_by("sort_order", "code")
        .first()
    )
    assert government is not None
    _a, b = servers()
    b.get("/contact/")  # computes and keeps the shared read
    first = b.get("/")  # a page-cache miss whose header read is a hit
    assert first.headers["X-Page-Cache"] == "MISS"
    assert f'<span class="brand-gov">{government.name}</span>' in text(first)
    entry = cache.get(page_cache.entry_key(first.wsgi_request))
    assert "accounts_organisation" in entry["gens"]
    assert b.get("/").headers["X-Page-Cache"] == "HIT"
    with committed():
        Organisation.objects.filter(pk=government.pk).update(name="示范市人民政府（更名）")
    after = b.get("/")
    assert after.headers["X-Page-Cache"] == "MISS"
    assert '<span class="brand-gov">示范市人民政府（更名）</span>' in text(after)


def test_home_lists_are_a_shared_read_a_withdrawal_clears(
    shared_cache, settings, world, make_staff, committed
):
    """The home page's lists are one shared read: a render with the page cache off runs no
    query once they are kept; a withdrawal clears them, and a cached page variant built from
    the kept lists (a query string the page cache keys apart) is cleared with them."""
    editor = make_staff("editor", world.p2.organisation)
    _a, b = servers()
    b.get("/")
    variant = b.get("/?from=weibo")  # its own page entry, built from the kept lists
    assert variant.headers["X-Page-Cache"] == "MISS"
    assert "杭东市助企纾困十条" in text(variant)
    assert (
        "catalogue_informationitem" in cache.get(page_cache.entry_key(variant.wsgi_request))["gens"]
    )
    settings.GONGKAI_PAGE_CACHE = False
    with CaptureQueriesContext(connection) as ctx:
        kept = text(b.get("/"))
    assert ctx.captured_queries == []
    assert "杭东市助企纾困十条" in kept

    with committed():
        item_withdraw(item=world.p2, reason="内容有误", acting_user=editor)

    assert "杭东市助企纾困十条" not in text(b.get("/"))
    settings.GONGKAI_PAGE_CACHE = True
    after = b.get("/?from=weibo")
    assert after.headers["X-Page-Cache"] == "MISS"
    assert "杭东市助企纾困十条" not in text(after)


def test_library_facet_names_are_a_shared_read_a_rename_clears(
    shared_cache, settings, world, committed
):
    """The policy library's facet names (organisations, themes, audiences, special columns) are
    kept as shared reads; renaming an organisation shows on the next render."""
    from gongkai.accounts.models import Organisation

    settings.GONGKAI_PAGE_CACHE = False
    office = world.p2.organisation
    client = Client()
    link = f'data-value="{office.pk}">{{}} <span class="count">'
    assert link.format(office.name) in text(client.get("/policies/"))
    with CaptureQueriesContext(connection) as ctx:
        client.get("/policies/")
    assert [q for q in ctx.captured_queries if 'FROM "accounts_organisation"' in q["sql"]] == []
    with committed():
        Organisation.objects.filter(pk=office.pk).update(name="杭东市办公厅（更名）")
    page = text(client.get("/policies/"))
    assert link.format("杭东市办公厅（更名）") in page
    assert link.format(office.name) not in page
