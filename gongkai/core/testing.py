"""pytest fixtures shared by every app: a small agency tree and staff with each role."""

import os
from collections.abc import Callable

import pytest

from gongkai.accounts.models import InternalUnit, Organisation, Role, User


def shared_redis_cache(settings, url: str, prefix: str):
    """The page cache and the kept reads on Redis at ``url``, as in production (a generator
    for a fixture: emptied before and after the test)."""
    from django.core.cache import cache

    settings.CACHES = {
        "default": {
            "BACKEND": "gongkai.core.redis_cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        }
    }
    settings.GONGKAI_PAGE_CACHE = True
    settings.GONGKAI_READ_CACHE = True
    cache.clear()
    yield cache
    cache.clear()


def worker_redis_url(env: str, first: int, second: int) -> str:
    """The Redis database of a test file that empties or bumps its database: ``env`` when set,
    else database ``first`` on xdist's first worker (and without xdist) and ``second`` on the
    other. Two workers run such files at the same time (``xdist_group`` marks are not kept
    together under pytest 9), and a ``cache.clear()`` (FLUSHDB) or a generation bump of one
    would land in the middle of the other's checks."""
    if os.environ.get(env):
        return os.environ[env]
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return f"redis://127.0.0.1:6379/{first if worker in ('gw0', 'master') else second}"


@pytest.fixture
def org_tree(db) -> dict[str, Organisation]:
    from gongkai.accounts.tests.factories import OrganisationFactory as Org

    city = Org.create(
        code="11330100002489948X", name="杭东市人民政府", short_name="市政府", kind="government"
    )
    office = Org.create(
        code="113301000024900001",
        name="杭东市人民政府办公厅",
        short_name="市政府办公厅",
        kind="department",
        parent=city,
    )
    finance = Org.create(
        code="113301000024900002",
        name="杭东市财政局",
        short_name="市财政局",
        kind="department",
        parent=city,
    )
    district = Org.create(
        code="113301060024900003", name="杭东市西湖区人民政府", kind="government", parent=city
    )
    district_edu = Org.create(
        code="113301060024900004", name="西湖区教育局", kind="department", parent=district
    )
    return {
        "city": city,
        "office": office,
        "finance": finance,
        "district": district,
        "district_edu": district_edu,
    }


@pytest.fixture
def make_staff(db) -> Callable[..., User]:
    counter = {"n": 0}

    def make(
        role: str,
        organisation: Organisation,
        *,
        username: str | None = None,
        include_descendants: bool = False,
        review_level: int = 0,
        unit: InternalUnit | None = None,
    ) -> User:
        from gongkai.accounts.tests.factories import RoleAssignmentFactory, StaffFactory

        counter["n"] += 1
        user = StaffFactory.create(
            username=username or f"{role}{counter['n']}",
            display_name=f"{Role(role).label}{counter['n']}",
            unit=unit,
        )
        RoleAssignmentFactory.create(
            user=user,
            organisation=organisation,
            role=role,
            include_descendants=include_descendants,
            review_level=review_level,
        )
        return user

    return make


@pytest.fixture
def public_user(db) -> User:
    from gongkai.accounts.tests.factories import UserFactory

    return UserFactory.create(username="citizen", kind=User.Kind.PUBLIC, display_name="张三")


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    """Transactional tests (live server, threads, other processes) start after earlier ones
    flushed the database: put the migration-seeded reference data back first."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("live_server", "transactional_db")
    )
    if transactional:
        from gongkai.core.seeding import reseed_reference_data

        request.getfixturevalue("transactional_db")
        reseed_reference_data()


EMPTY_FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig><cachedir>{cache}</cachedir></fontconfig>
"""


@pytest.fixture
def no_chinese_fonts(tmp_path, monkeypatch):
    """Fontconfig sees no font at all (a configuration without font directories), as on a
    server without fonts-noto-cjk; the per-process font check is re-run before and after."""
    from gongkai.core.pdf import cjk_fonts_available

    config = tmp_path / "fonts.conf"
    config.write_text(EMPTY_FONTCONFIG.format(cache=tmp_path / "fc-cache"), encoding="utf-8")
    monkeypatch.setenv("FONTCONFIG_FILE", str(config))
    cjk_fonts_available.cache_clear()
    yield config
    monkeypatch.undo()
    cjk_fonts_available.cache_clear()


@pytest.fixture(autouse=True)
def _fresh_facet_names():
    """Search keeps facet labels per process for a minute; a rolled-back test's organisation
    ids come back with other names in the next test, so every test starts without them."""
    from gongkai.search import selectors

    selectors._NAMES.clear()
    yield
    selectors._NAMES.clear()


@pytest.fixture
def private_cache(settings):
    """This test's own empty cache, whatever the environment configures: with REDIS_URL set the
    default cache is a Redis db shared by every run (and every xdist worker), so counters such
    as rate limits left by an earlier run would change what the test sees."""
    import uuid

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{uuid.uuid4().hex}",
        }
    }
    from django.core.cache import cache

    yield cache
    cache.clear()
