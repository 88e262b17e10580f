"""Cached public pages with exact invalidation (issue 17 item 1; docs/adr/0008).

Anonymous GETs of portal pages and public API reads are answered from Django's cache (Redis in
production, shared by every app server and worker; the local-memory cache in development).

Invalidation is by **table generations**, kept in the same cache:

* While a page renders, an execute wrapper notes every table its SQL reads (``FROM``/``JOIN``):
  these are the page's tags. The entry stores them with the generation each tag had *before*
  the render started.
* Every write to a table — ``save``, ``delete``, ``bulk_create``, ``QuerySet.update``, raw SQL,
  whatever the path — is seen at the SQL level (``INSERT``/``UPDATE``/``DELETE``) by a wrapper
  installed on every database connection, and bumps that table's generation **after the
  commit** (``transaction.on_commit``). A rolled-back write bumps nothing.
* A cached entry is served only while every one of its tags still has the generation it was
  stored with. So the content hooks (``content_published`` / ``content_changed`` /
  ``content_withdrawn``, which follow a write of the content's table), validity changes, column
  and navigation edits invalidate exactly the pages that read the written tables — the item's
  own page, its columns, the home page, the library with its facets, feeds, the sitemap — on
  every server at once, because the generations live in the shared cache.

Taking the snapshot before the render makes the race harmless: a page rendered from data older
than a commit is stored under the generations of before that commit's bump, so it is stale the
moment the bump lands. Generations start at a nanosecond timestamp, not 0, so a generation
lost (a flush, a restart) never comes back with an old value (no ABA). With Redis they are the
integer fields of one hash (``GEN_HASH``); a render's shared reads are judged by the page's own
snapshot (ADR 0008, fifth addendum).

Never cached: signed-in users (session cookie or ``Authorization``), requests carrying a flash
message cookie, anything but ``GET``, responses that set a cookie or used a CSRF token, that
say ``private``/``no-store``/``no-cache``, vary on more than the display cookie, or are not
200; paths in ``GONGKAI_PAGE_CACHE_EXCLUDE`` (search — its index is files, not tables —, the
personal look-ups by 查询码, the forms). The key is scheme + host + path with query + the
长者模式 cookie (``gk_large`` changes the HTML). Entries live ``GONGKAI_PAGE_CACHE_SECONDS`` at
most and never past the next midnight, China time (pages showing "today" or a validity that
lapses by date). Code and templates change with a deployment: ``migrate`` (post_migrate) and
``gongkai page_cache_clear`` bump a global epoch.
"""

from __future__ import annotations

import functools
import hashlib
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import set_response_etag

from gongkai.core.redis_cache import ReusingRedisCacheClient

EPOCH = "__epoch__"
GEN_PREFIX = "gk:pc:gen:"
GEN_HASH = "gk:pc:gens"
ENTRY_PREFIX = "gk:pc:page:"
READ_PREFIX = "gk:pc:read:"
LARGE_TEXT_COOKIE = "gk_large"
MAX_BODY_BYTES = 2 * 1024 * 1024
# Tables whose writes never change a public page; skipping them saves a cache round trip.
IGNORED_WRITE_TABLES = frozenset({"django_session"})
SAFE_VARY = frozenset({"cookie", "accept-encoding", "accept-language"})

_READ_RE = re.compile(r'\b(?:FROM|JOIN)\s+"?([A-Za-z0-9_]+)"?', re.IGNORECASE)
_WRITE_RE = re.compile(
    r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+"?([A-Za-z0-9_]+)"?',
    re.IGNORECASE,
)

_known: frozenset[str] | None = None
_local = threading.local()


def enabled() -> bool:
    return bool(getattr(settings, "GONGKAI_PAGE_CACHE", False))


def reads_enabled() -> bool:
    return bool(getattr(settings, "GONGKAI_READ_CACHE", False))


def known_tables() -> frozenset[str]:
    """Every table of an installed model (many-to-many tables included): the possible tags."""
    global _known
    if _known is None:
        _known = frozenset(
            model._meta.db_table for model in apps.get_models(include_auto_created=True)
        )
    return _known


# ------------------------------------------------------------------------------ generations


def _gen_key(tag: str) -> str:
    return GEN_PREFIX + tag


def _redis() -> Any | None:
    """The Redis client behind the shared cache, or None with another backend (the tests'
    and development's local memory): then each generation is a cache key of its own."""
    client = getattr(cache, "_cache", None)
    if isinstance(client, ReusingRedisCacheClient):
        return client.get_client(write=True)
    return None


def _decode(values: Iterable[bytes | None]) -> list[int | None]:
    return [None if v is None else int(v) for v in values]


def _start(redis: Any, key: str, tags: list[str]) -> list[int]:
    """Start the missing fields at a timestamp (never at an old value), then read them: one
    transaction, so a field another process started or bumped meanwhile keeps its value."""
    now = time.time_ns()
    pipe = redis.pipeline(transaction=True)
    for tag in tags:
        pipe.hsetnx(key, tag, now)
    pipe.hmget(key, tags)
    return [int(v) for v in pipe.execute()[-1]]


def generations(tags: Iterable[str]) -> dict[str, int]:
    """The current generation of each tag; a missing one is started (at a timestamp).

    With Redis every generation is a field of one hash (``GEN_HASH``, no expiry, so never
    evicted under ``volatile-lru``) holding a plain integer, read with one ``HMGET``."""
    tags = list(tags)
    redis = _redis()
    if redis is None:
        return _generations_by_key(tags)
    if not tags:
        return {}
    key = cache.make_key(GEN_HASH)
    found = _decode(redis.hmget(key, tags))
    out = {t: v for t, v in zip(tags, found, strict=True) if v is not None}
    missing = [t for t in tags if t not in out]
    if missing:
        out.update(zip(missing, _start(redis, key, missing), strict=True))
    return out


def snapshot() -> Callable[[str], int]:
    """The generation of every table and of the epoch, taken before a render (a page-cache
    miss, a shared read): one ``HGETALL`` with Redis, every missing field started first. Only
    the few tags the render turns out to read are ever decoded."""
    redis = _redis()
    if redis is None:
        return generations([*known_tables(), EPOCH]).__getitem__
    key = cache.make_key(GEN_HASH)
    raw: dict[bytes, bytes] = redis.hgetall(key)
    missing = sorted(m.decode() for m in _all_tags_encoded() - raw.keys())
    if missing:
        started = _start(redis, key, missing)
        raw.update((t.encode(), str(v).encode()) for t, v in zip(missing, started, strict=True))
    return lambda tag: int(raw[tag.encode()])


_all_encoded: frozenset[bytes] | None = None


def _all_tags_encoded() -> frozenset[bytes]:
    global _all_encoded
    if _all_encoded is None:
        _all_encoded = frozenset(t.encode() for t in (*known_tables(), EPOCH))
    return _all_encoded


def _generations_by_key(tags: list[str]) -> dict[str, int]:
    found = cache.get_many([_gen_key(t) for t in tags])
    out: dict[str, int] = {}
    for tag in tags:
        value = found.get(_gen_key(tag))
        if value is None:
            cache.add(_gen_key(tag), time.time_ns(), timeout=None)
            value = cache.get(_gen_key(tag))
        out[tag] = int(value or 0)
    return out


def bump(tags: Iterable[str]) -> None:
    """Invalidate every cached page that read one of ``tags`` (every server: the cache is
    shared)."""
    tags = sorted(set(tags))
    if not tags:
        return
    redis = _redis()
    if redis is not None:
        # A field never read yet, or lost with the whole hash, starts at a timestamp before
        # the increment, never at 0: an entry stored under an old value stays stale (no ABA).
        key, now = cache.make_key(GEN_HASH), time.time_ns()
        pipe = redis.pipeline(transaction=True)
        for tag in tags:
            pipe.hsetnx(key, tag, now)
            pipe.hincrby(key, tag, 1)
        pipe.execute()
        return
    for tag in tags:
        key = _gen_key(tag)
        try:
            cache.incr(key)
        except ValueError:  # never read yet, or evicted: start afresh, never at an old value
            if not cache.add(key, time.time_ns(), timeout=None):
                cache.incr(key)


def clear_all() -> None:
    """Forget every cached page (a deployment: new code or templates)."""
    bump([EPOCH])


# --------------------------------------------------------------------------- write tracking


class _PendingBump:
    """One on-commit callback per transaction that bumps the tables written in it."""

    def __init__(self) -> None:
        self.tables: set[str] = set()
        self.done = False

    def __call__(self) -> None:
        self.done = True
        tables, self.tables = self.tables, set()
        if tables:
            bump(tables)


def _note_written(connection: BaseDatabaseWrapper, tables: set[str]) -> None:
    if not connection.in_atomic_block:
        bump(tables)
        return
    pending: _PendingBump | None = getattr(connection, "_gk_page_cache_pending", None)
    # A rollback drops the transaction's on-commit callbacks (a savepoint rollback, those
    # registered inside it): register a new one when ours is no longer queued.
    if (
        pending is None
        or pending.done
        or not any(entry[1] is pending for entry in connection.run_on_commit)
    ):
        pending = _PendingBump()
        connection._gk_page_cache_pending = pending  # type: ignore[attr-defined]  # per-connection state
        transaction.on_commit(pending, using=connection.alias)
    pending.tables |= tables


def _write_wrapper(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    result = execute(sql, params, many, context)
    match = _WRITE_RE.match(sql) if isinstance(sql, str) else None
    if match:
        table = match.group(1)
        if table in known_tables() and table not in IGNORED_WRITE_TABLES:
            _note_written(context["connection"], {table})
    return result


def install_write_tracking(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """``connection_created`` receiver: watch every write of this connection."""
    if _write_wrapper not in connection.execute_wrappers:
        connection.execute_wrappers.append(_write_wrapper)


def install_on_open_connections() -> None:
    for conn in connections.all(initialized_only=True):
        install_write_tracking(None, conn)


# ---------------------------------------------------------------------------- read tracking


@functools.lru_cache(maxsize=4096)
def _tables_read(sql: str) -> tuple[str, ...]:
    """The tables a statement's text reads. The ORM sends the same text for the same query
    (parameters apart), and the regular expression over a few kB of SQL cost ~50 µs a query."""
    return tuple(_READ_RE.findall(sql))


def _open_recordings() -> list[set[str]]:
    stack: list[set[str]] | None = getattr(_local, "recordings", None)
    if stack is None:
        stack = _local.recordings = []
    return stack


@contextmanager
def recording() -> Iterator[set[str]]:
    """Collect the tables the SQL inside the block reads, on every database connection, and
    those of the shared reads (``cached_read``) served from the cache inside it: a page built
    from a kept value read those tables as surely as if it had run the SQL."""
    tables: set[str] = set()

    def wrapper(
        execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
    ) -> Any:
        if isinstance(sql, str):
            tables.update(_tables_read(sql))
        return execute(sql, params, many, context)

    conns = connections.all()
    for conn in conns:
        conn.execute_wrappers.append(wrapper)
    open_recordings = _open_recordings()
    open_recordings.append(tables)
    try:
        yield tables
    finally:
        # By identity: two recordings holding the same tables are equal sets.
        del open_recordings[next(i for i, t in enumerate(open_recordings) if t is tables)]
        for conn in conns:
            if wrapper in conn.execute_wrappers:
                conn.execute_wrappers.remove(wrapper)


# ------------------------------------------------------------------------- shared reads


def cached_read[T](name: str, compute: Callable[[], T]) -> T:
    """``compute()``, kept in the shared cache under ``name`` with the same exact invalidation
    as a cached page: it is served only while every table its SQL read keeps the generation it
    had before the computation, never past midnight in China, and never across a deployment.

    For small values many pages read on every render (the header's issuing government): a
    page-cache miss then costs one cache round trip for them instead of a query. The value
    must depend on the database only (not on the request, the user or the clock) and pickle.
    Off (``compute()`` every time) unless ``GONGKAI_READ_CACHE`` — on with a shared cache, as
    the page cache, because only a shared cache sees every process's writes."""
    if not reads_enabled():
        return compute()
    key = READ_PREFIX + name
    entry = cache.get(key)
    # Inside a page-cache miss the page's own snapshot, taken before its render, answers for
    # the generations (no second round trip): a value fresh by it is at worst as old as the
    # data the page is stored under, and a bump after the snapshot leaves that page stale.
    page = getattr(_local, "snapshot", None)
    fresh = entry is not None and (_fresh_by(entry, page) if page else _fresh(entry))
    if fresh:
        # A page being recorded must carry the value's tables as its own tags, or a write of
        # them would leave the page cached with the old value (no SQL ran to reveal them). The
        # page's generations are its snapshot from before this check: at worst already stale.
        for tables in _open_recordings():
            tables.update(entry["gens"])
        return entry["value"]
    before = page or snapshot()
    with recording() as read:
        value = compute()
    tags = (*sorted(read & known_tables()), EPOCH)
    cache.set(key, {"value": value, "gens": {t: before(t) for t in tags}}, timeout=lifetime())
    return value


# ------------------------------------------------------------------------------- middleware


def _excluded(path: str) -> bool:
    return any(path.startswith(p) for p in getattr(settings, "GONGKAI_PAGE_CACHE_EXCLUDE", ()))


def cacheable_request(request: HttpRequest) -> bool:
    if not enabled() or request.method != "GET":
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    return not _excluded(request.path)


def entry_key(request: HttpRequest) -> str:
    raw = "|".join(
        (
            request.scheme or "",
            request.get_host(),
            request.get_full_path(),
            request.COOKIES.get(LARGE_TEXT_COOKIE, ""),
        )
    )
    return ENTRY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def storable(request: HttpRequest, response: HttpResponseBase) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if not isinstance(response, HttpResponse) or len(response.content) > MAX_BODY_BYTES:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or getattr(request, "_gk_no_page_cache", 0):
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-store", "no-cache")):
        return False
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    if vary - SAFE_VARY:
        return False
    csp = response.get("Content-Security-Policy", "")
    return "nonce-" not in csp


def lifetime(now: datetime | None = None) -> int:
    """Seconds an entry may live: the setting, and never past the next midnight in China."""
    limit = int(getattr(settings, "GONGKAI_PAGE_CACHE_SECONDS", 600))
    china = (now or datetime.now(tz=ZoneInfo(settings.TIME_ZONE))).astimezone(
        ZoneInfo(settings.TIME_ZONE)
    )
    midnight = (china + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(1, min(limit, int((midnight - china).total_seconds())))


def _fresh(entry: dict[str, Any]) -> bool:
    gens: dict[str, int] = entry["gens"]
    redis = _redis()
    if redis is None:
        current = cache.get_many([_gen_key(t) for t in gens])
        return all(current.get(_gen_key(tag)) == value for tag, value in gens.items())
    tags = list(gens)
    values = _decode(redis.hmget(cache.make_key(GEN_HASH), tags))
    return all(v == gens[t] for t, v in zip(tags, values, strict=True))


def _fresh_by(entry: dict[str, Any], generation: Callable[[str], int]) -> bool:
    try:
        return all(generation(tag) == value for tag, value in entry["gens"].items())
    except KeyError:  # a tag the snapshot does not hold: not a table any more
        return False


def _from_entry(entry: dict[str, Any]) -> HttpResponse:
    response = HttpResponse(entry["content"], status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    response["X-Page-Cache"] = "HIT"
    return response


def _store(key: str, response: HttpResponse, tags: set[str], before: Callable[[str], int]) -> None:
    if not response.has_header("ETag"):
        set_response_etag(response)
    headers = [(k, v) for k, v in response.items() if k.lower() != "set-cookie"]
    entry = {
        "status": response.status_code,
        "headers": headers,
        "content": response.content,
        "gens": {tag: before(tag) for tag in (*sorted(tags), EPOCH)},
    }
    cache.set(key, entry, timeout=lifetime())


class PageCacheMiddleware:
    """Serve and keep anonymous public GETs (see the module docstring). Place it after
    ``ConditionalGetMiddleware`` (which still answers 304 from the stored ETag) and before
    ``SessionMiddleware``, so a hit touches neither session nor database."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not cacheable_request(request):
            return self.get_response(request)
        key = entry_key(request)
        entry = cache.get(key)
        if entry is not None and _fresh(entry):
            return _from_entry(entry)
        # The generations before the render: a commit landing during it makes this entry stale.
        before = snapshot()
        outer = getattr(_local, "snapshot", None)
        _local.snapshot = before  # for the shared reads of this render (cached_read)
        try:
            with recording() as read:
                response = self.get_response(request)
        finally:
            _local.snapshot = outer
        if isinstance(response, HttpResponse) and storable(request, response):
            _store(key, response, read & known_tables(), before)
            response["X-Page-Cache"] = "MISS"
        return response


def skip_page_cache(request: HttpRequest) -> None:
    """For a view whose answer must not be kept although it looks public."""
    request._gk_no_page_cache = 1  # type: ignore[attr-defined]  # marker read by the middleware
