"""Table generations in Redis: one hash of plain integers (gongkai.core.page_cache, ADR 0008).

Every generation is a field of one hash without expiry; a field never seen (or lost with the
whole hash) starts at a nanosecond timestamp, and a bump adds exactly one. These tests read the
hash straight from Redis (db 13, REDIS_TEST_URL, like test_page_cache.py).
"""

import time

import pytest
import redis as redis_py
from django.core.cache import cache
from django.test import Client

from gongkai.core import page_cache
from gongkai.core.testing import shared_redis_cache, worker_redis_url

# As test_page_cache.py (it FLUSHes the same database): one database per xdist worker.
REDIS = worker_redis_url("REDIS_TEST_URL", 13, 15)
PREFIX = "gk-test-generations"


@pytest.fixture
def shared_cache(settings):
    yield from shared_redis_cache(settings, REDIS, PREFIX)


@pytest.fixture
def raw():
    return redis_py.Redis.from_url(REDIS)


def _hash(raw) -> dict[str, int]:
    return {k.decode(): int(v) for k, v in raw.hgetall(f"{PREFIX}:1:{page_cache.GEN_HASH}").items()}


def test_a_new_generation_starts_at_a_timestamp_in_one_hash(shared_cache, raw):
    before = time.time_ns()
    got = page_cache.generations(["table_a", "table_b"])
    after = time.time_ns()
    stored = _hash(raw)
    assert stored == got
    assert sorted(stored) == ["table_a", "table_b"]
    assert all(before <= v <= after for v in stored.values())
    # One hash, no key per generation.
    assert raw.keys(f"{PREFIX}:1:{page_cache.GEN_PREFIX}*") == []
    # Read again: the same values, nothing started anew.
    assert page_cache.generations(["table_b", "table_a"]) == got


def test_bump_adds_exactly_one_to_the_written_tables_only(shared_cache, raw):
    start = page_cache.generations(["table_a", "table_b", "table_c"])
    page_cache.bump(["table_a", "table_a", "table_c"])
    assert _hash(raw) == {
        "table_a": start["table_a"] + 1,
        "table_b": start["table_b"],
        "table_c": start["table_c"] + 1,
    }
    page_cache.bump([])
    assert page_cache.generations(["table_a", "table_b", "table_c"]) == {
        "table_a": start["table_a"] + 1,
        "table_b": start["table_b"],
        "table_c": start["table_c"] + 1,
    }


def test_bump_of_a_field_never_read_starts_at_a_timestamp_not_at_one(shared_cache, raw):
    before = time.time_ns()
    page_cache.bump(["table_new"])
    after = time.time_ns()
    value = _hash(raw)["table_new"]
    assert before + 1 <= value <= after + 1


def test_the_snapshot_starts_every_table_and_reads_what_generations_reads(shared_cache, raw):
    tags = sorted(page_cache.known_tables())
    some = page_cache.generations(tags[:2])
    before = time.time_ns()
    snap = page_cache.snapshot()
    after = time.time_ns()
    stored = _hash(raw)
    # Every table and the epoch now have a field; the two read before kept their values.
    assert sorted(stored) == sorted([*tags, page_cache.EPOCH])
    assert {t: snap(t) for t in stored} == stored
    assert {t: stored[t] for t in tags[:2]} == some
    assert all(before <= stored[t] <= after for t in stored if t not in tags[:2])
    page_cache.bump([tags[1]])
    # A snapshot is the state when it was taken; a new one sees the bump.
    assert snap(tags[1]) == some[tags[1]]
    assert page_cache.snapshot()(tags[1]) == some[tags[1]] + 1
    assert page_cache.generations(tags[:3]) == {
        tags[0]: some[tags[0]],
        tags[1]: some[tags[1]] + 1,
        tags[2]: stored[tags[2]],
    }


@pytest.mark.django_db
def test_an_entry_stays_stale_when_the_hash_is_lost_and_restarted(shared_cache, raw):
    b = Client()
    assert b.get("/").headers["X-Page-Cache"] == "MISS"
    assert b.get("/").headers["X-Page-Cache"] == "HIT"
    entry = cache.get(page_cache.entry_key(b.get("/").wsgi_request))
    # Redis lost the generations (a flush of that key, a restart without persistence): every
    # field starts again at a new timestamp, never at a value some stored entry carries.
    raw.delete(f"{PREFIX}:1:{page_cache.GEN_HASH}")
    page_cache.bump(["catalogue_informationitem"])
    assert b.get("/").headers["X-Page-Cache"] == "MISS"
    restarted = _hash(raw)
    assert all(restarted[t] > entry["gens"][t] for t in entry["gens"])


def test_without_redis_each_generation_is_a_cache_key(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    table = "catalogue_column"
    start = page_cache.generations([table])[table]
    assert cache.get(page_cache._gen_key(table)) == start
    page_cache.bump([table])
    assert cache.get(page_cache._gen_key(table)) == start + 1
    assert page_cache.generations([table]) == {table: start + 1}
    assert page_cache.snapshot()(table) == start + 1


def test_tables_read_by_a_statement(shared_cache):
    sql = (
        'SELECT "a"."id" FROM "catalogue_informationitem" "a" INNER JOIN "accounts_organisation" '
        'ON ("a"."organisation_id" = "accounts_organisation"."id") left outer join '
        'catalogue_column ON (1 = 1) WHERE "a"."title" = \'FROM x\''
    )
    expected = ("catalogue_informationitem", "accounts_organisation", "catalogue_column", "x")
    assert page_cache._tables_read(sql) == expected
    # The same text again (a new string object, as the ORM sends it): the same tables.
    assert page_cache._tables_read("".join([sql[:10], sql[10:]])) == expected
    assert page_cache._tables_read('UPDATE "core_auditentry" SET "x" = 1') == ()


def _kept_government() -> tuple[str, dict[str, int]]:
    """Keep a shared read of the organisation table; its value and stored generations."""
    from gongkai.accounts.models import Organisation

    def compute() -> str:
        return Organisation.objects.order_by("pk").values_list("name", flat=True).first() or ""

    value = page_cache.cached_read("test-government", compute)
    entry = cache.get(page_cache.READ_PREFIX + "test-government")
    return value, entry["gens"]


@pytest.mark.django_db
def test_a_kept_read_inside_a_page_render_is_judged_by_the_pages_snapshot(shared_cache, world):
    from gongkai.accounts.models import Organisation

    name, gens = _kept_government()
    assert gens == {
        "accounts_organisation": page_cache.generations(["accounts_organisation"])[
            "accounts_organisation"
        ],
        page_cache.EPOCH: page_cache.generations([page_cache.EPOCH])[page_cache.EPOCH],
    }
    # A page's render takes its snapshot; a write lands after it.
    before = page_cache.snapshot()
    from gongkai.accounts.services import organisation_update
    from gongkai.accounts.tests.factories import StaffFactory

    government = Organisation.objects.get(name=name)
    root = StaffFactory.create(username="platform-root", is_superuser=True)
    organisation_update(organisation=government, data={"name": "改名后的政府"}, acting_user=root)
    # The test's transaction never commits: the bump its commit would make, made here.
    page_cache.bump(["accounts_organisation"])
    page_cache._local.snapshot = before
    try:
        with page_cache.recording() as read:
            seen = page_cache.cached_read("test-government", lambda: "never computed")
    finally:
        page_cache._local.snapshot = None
    # By the page's snapshot the kept value is current (no second round trip), and the page
    # carries its tables with the snapshot's generations: stored so, it is already stale.
    assert seen == name
    assert {"accounts_organisation", page_cache.EPOCH} <= read
    page_entry = {"gens": {t: before(t) for t in ("accounts_organisation", page_cache.EPOCH)}}
    assert page_cache._fresh(page_entry) is False
    # Outside a page render the current generations decide: the write is seen at once.
    assert page_cache.cached_read("test-government", lambda: "recomputed") == "recomputed"


@pytest.mark.django_db
def test_a_kept_read_recomputed_inside_a_page_render_is_stored_under_the_pages_snapshot(
    shared_cache, world
):
    page_cache.generations(["accounts_organisation"])
    before = page_cache.snapshot()
    page_cache.bump(["accounts_organisation"])  # after the page's snapshot
    page_cache._local.snapshot = before
    try:
        _kept_government()
    finally:
        page_cache._local.snapshot = None
    entry = cache.get(page_cache.READ_PREFIX + "test-government")
    assert entry["gens"] == {
        "accounts_organisation": before("accounts_organisation"),
        page_cache.EPOCH: before(page_cache.EPOCH),
    }
    # So it is stale for everyone who reads the current generations.
    assert page_cache._fresh(entry) is False
