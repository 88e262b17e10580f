"""Two live app servers sharing one database and one Redis (issue 17, "test it on two servers").

Two gunicorn processes run the production settings (``tests/live_prod_settings.py``: only the
static storage differs) against this test's PostgreSQL database and a Redis db of their own.
This process writes through the services — publish through the review chain, a correction
through a 修订稿, a withdrawal — and each change must be what an anonymous reader gets from the
*other* servers' cached pages within 2 s of the commit. Polling with a deadline, never a sleep
as the assertion. A signed-in reader's page is never stored nor answered from the cache.

PostgreSQL only: the SQLite test database lives in this process's memory, where no other
process can read it.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, RequestFactory
from django.utils import timezone

from gongkai.accounts.models import Role
from gongkai.catalogue.models import InformationItem
from gongkai.catalogue.services import (
    item_create,
    item_revision_open,
    item_update,
    item_withdraw,
)
from gongkai.core import page_cache
from gongkai.core.testing import worker_redis_url
from gongkai.review.chain_services import review_decide, review_request_for, review_submit

ROOT = Path(__file__).resolve().parents[3]
# The servers' generations: a database per xdist worker, or the other worker's live tests
# (their own database and servers, the same table names) bump them in the middle of a check.
REDIS = worker_redis_url("REDIS_LIVE_TEST_URL", 12, 11)
SECRET = "live-two-servers-" + secrets.token_urlsafe(40)
DEADLINE = 2.0  # seconds: the "visible to anonymous readers on every server within 2 s"
HOST = "localhost"

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("live-servers")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(port: int, path: str, cookie: str = "") -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": HOST})
    if cookie:
        request.add_header("Cookie", cookie)
    try:
        with urllib.request.urlopen(request, timeout=10) as r:  # noqa: S310 (loopback http)
            return r.status, dict(r.headers.items()), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers.items()), e.read().decode()


def _until(check: Callable[[], bool], *, within: float, what: str) -> float:
    """Poll ``check`` until it holds; fail after ``within`` seconds. Returns the time taken."""
    started = time.monotonic()
    while True:
        if check():
            return time.monotonic() - started
        if time.monotonic() - started > within:
            raise AssertionError(f"not within {within} s: {what}")
        time.sleep(0.02)


@pytest.fixture
def live_cache(settings):
    """This process bumps generations in the servers' Redis, as a third server would."""
    settings.CACHES = {
        "default": {"BACKEND": "gongkai.core.redis_cache.RedisCache", "LOCATION": REDIS}
    }
    settings.GONGKAI_PAGE_CACHE = True
    settings.SECRET_KEY = SECRET  # the servers check the session this process signs
    try:
        cache.clear()
    except Exception as exc:  # any connection error means: no Redis here
        pytest.skip(f"Redis not reachable at {REDIS}: {exc}")
    yield cache
    cache.clear()


@pytest.fixture
def two_servers(live_cache, tmp_path) -> Iterator[tuple[int, int]]:
    if connection.vendor != "postgresql":
        pytest.skip("two processes need a shared database: PostgreSQL (DATABASE_URL)")
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    if db.get("PASSWORD"):
        url = url.replace("@", f":{db['PASSWORD']}@", 1)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "tests.live_prod_settings",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": url,
        "REDIS_URL": REDIS,
        "GONGKAI_SECRET_KEY": SECRET,
        "GONGKAI_PII_KEY": secrets.token_hex(16),
        "GONGKAI_ALLOWED_HOSTS": HOST,
        "GONGKAI_SSL_REDIRECT": "0",
        "GONGKAI_VAR_DIR": str(tmp_path / "var"),
        "GONGKAI_LOG_LEVEL": "WARNING",
    }
    ports = (_free_port(), _free_port())
    procs = []
    for n, port in enumerate(ports):
        log = (tmp_path / f"app{n}.log").open("w")
        procs.append(
            subprocess.Popen(
                [
                    str(Path(sys.executable).parent / "gunicorn"),
                    "gongkai.config.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "1",
                    "--chdir",
                    str(ROOT),
                ],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
    try:
        for port in ports:

            def up(port: int = port) -> bool:
                try:
                    return _get(port, "/accounts/login/")[0] in (200, 302)
                except OSError:
                    return False

            _until(up, within=60, what=f"app server on {port} answers")
        yield ports
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        for n in range(2):
            log_text = (tmp_path / f"app{n}.log").read_text()
            if "Traceback" in log_text:
                print(f"--- app{n}.log ---\n{log_text[-3000:]}")


def _approve(obj, editor, reviewers) -> None:
    review_submit(content=obj, acting_user=editor)
    for reviewer in reviewers:
        review_decide(request=review_request_for(obj), decision="approve", acting_user=reviewer)


def _stored_generations(path: str) -> dict[str, int]:
    """The generations the servers stored with the anonymous entry of ``path`` ({} if none)."""
    request = RequestFactory().get(path, HTTP_HOST=HOST)
    entry = cache.get(page_cache.entry_key(request))
    return dict(entry["gens"]) if entry else {}


def _cached_on(port: int, path: str) -> str:
    """Render once, then make sure the next answer is the cached copy; its body.

    One more try is allowed when a write landed between the two reads, naming the tags that
    moved. Twice in CI a bump of the documents and facet-count tables arrived between them, at
    the test's very start: the other xdist worker's run of this file (the ``xdist_group`` mark
    does not keep them on one worker under pytest 9) bumped the same Redis database. Each
    worker now has its own (``REDIS``); a page that is never kept still fails."""
    misses = []
    for _ in range(2):
        _get(port, path)
        stored = _stored_generations(path)
        status, headers, body = _get(port, path)
        assert status == 200, (path, status)
        if headers.get("X-Page-Cache") == "HIT":
            return body
        current = page_cache.generations(stored)
        moved = {t: (g, current[t]) for t, g in stored.items() if current[t] != g}
        misses.append(f"{headers.get('X-Page-Cache')}, stored={bool(stored)}, moved={moved}")
    raise AssertionError(f"{path} never answered from the cache: {misses}")


def test_publish_correction_withdrawal_reach_the_other_servers_cache(
    two_servers, world, make_staff
):
    a, b = two_servers
    office = world.office
    editor = make_staff(Role.EDITOR, office)
    reviewers = [make_staff(Role.REVIEWER, office, review_level=level) for level in (1, 2, 3)]
    library, home = "/policies/", "/"
    title = "杭东市关于惠企稳岗十条措施的通知"
    for port in (a, b):
        for path in (library, home):
            assert title not in _cached_on(port, path)

    # 1. A publication through the review chain.
    data = {
        "title": title,
        "written_date": timezone.localdate(),
        "summary": "部署惠企稳岗工作。",
        "body": "<p>各单位：请落实稳岗十条。</p>",
        "genre": "notice",
        "policy_kind": "other",
    }
    item = item_create(organisation=office, data=data, acting_user=editor)
    _approve(item, editor, reviewers)
    item.refresh_from_db()
    assert item.status == InformationItem.Status.PUBLISHED
    for port in (a, b):
        _until(lambda port=port: title in _get(port, library)[2], within=DEADLINE,
               what=f"the new policy in the library on :{port}")  # fmt: skip
        _until(lambda port=port: title in _get(port, home)[2], within=DEADLINE,
               what=f"the new policy on the home page of :{port}")  # fmt: skip
    page = f"/items/{item.pk}/"
    assert title in _cached_on(b, page)
    assert title in _cached_on(a, page)

    # 2. A correction: a 修订稿 approved through the chain replaces the public content.
    corrected = "杭东市关于惠企稳岗十二条措施的通知"
    revision = item_revision_open(item=item, acting_user=editor)
    item_update(item=revision, data={**data, "title": corrected}, acting_user=editor)
    _approve(revision, editor, reviewers)
    item.refresh_from_db()
    assert item.title == corrected
    for port in (a, b):
        for path in (page, library):
            _until(lambda port=port, path=path: corrected in _get(port, path)[2],
                   within=DEADLINE, what=f"the correction on {path} of :{port}")  # fmt: skip
            assert title not in _get(port, path)[2].replace(corrected, ""), (port, path)
    assert corrected in _cached_on(b, page)
    assert corrected in _cached_on(b, library)

    # 3. A withdrawal: gone from every cached page of every server.
    item_withdraw(item=item, reason="政策调整，暂停执行", acting_user=editor)
    for port in (a, b):
        _until(lambda port=port: _get(port, page)[0] == 404, within=DEADLINE,
               what=f"the withdrawn item's page answers 404 on :{port}")  # fmt: skip
        for path in (library, home):
            _until(lambda port=port, path=path: corrected not in _get(port, path)[2],
                   within=DEADLINE, what=f"the withdrawn item off {path} of :{port}")  # fmt: skip


def test_a_signed_in_page_is_never_cached(two_servers, world, public_user):
    a, b = two_servers
    browser = Client()
    browser.force_login(public_user)
    cookie = f"sessionid={browser.cookies['sessionid'].value}"
    path = "/?signed-in-check=1"
    signed_in = 'action="/accounts/logout/"'  # the header's 退出 button
    for _ in range(2):
        status, headers, body = _get(b, path, cookie)
        assert status == 200
        assert "X-Page-Cache" not in headers
        assert "no-store" in headers["Cache-Control"]
        assert "private" in headers["Cache-Control"]
        assert signed_in in body
    # Nothing was stored: the first anonymous reader of that address, on either server, gets a
    # fresh render without the signed-in reader's header.
    status, headers, body = _get(a, path)
    assert headers["X-Page-Cache"] == "MISS"
    assert signed_in not in body
    # And a cached anonymous copy is never served to a signed-in reader.
    assert _get(a, path)[1]["X-Page-Cache"] == "HIT"
    status, headers, body = _get(a, path, cookie)
    assert "X-Page-Cache" not in headers
    assert signed_in in body
