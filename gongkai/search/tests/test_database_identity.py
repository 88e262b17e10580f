"""An index belongs to one database: pointed at another database (or a restored, older copy),
the same GONGKAI_SEARCH_DIR is rebuilt before it answers, instead of showing the other
database's documents (issue 10, item 3)."""

import io
import json
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from gongkai.catalogue.tests.factories import InformationItemFactory
from gongkai.search.engine import (
    Engine,
    SearchIndexUnusable,
    SearchParams,
    Visibility,
    get_engine,
)
from gongkai.search.identity import database_stamp
from gongkai.search.models import DatabaseIdentity

from .test_two_process import ROOT, Server

pytestmark = pytest.mark.django_db(transaction=True)


def _copy_test_database(path: Path) -> str:
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    return f"sqlite:///{path}"


def _fresh_database(path: Path, tmp_path: Path) -> str:
    """A new database, migrated from nothing as an operator would create it."""
    url = f"sqlite:///{path}"
    _migrate(url, tmp_path)
    return url


def _migrate(url: str, tmp_path: Path) -> None:
    env = dict(
        os.environ,
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="gongkai.config.settings.dev",
        GONGKAI_VAR_DIR=str(tmp_path / "var-migrate"),
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=300
    )


def _identity(path: Path) -> str:
    with sqlite3.connect(path) as db:
        raw = db.execute("SELECT uuid FROM search_databaseidentity").fetchone()[0]
    return str(uuid.UUID(raw))  # SQLite keeps it as 32 hex digits


def _state(index_dir: Path) -> dict:
    current = (index_dir / "CURRENT").read_text().strip()
    return json.loads((index_dir / f"{current}.state.json").read_text())


@pytest.fixture
def sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("switches between SQLite files")


def _switch_databases(url_a: str, url_b: str, index_dir: Path) -> tuple[dict, dict]:
    """One server directory used with database A, then with database B; returns the stamps."""
    server = Server(url_a, index_dir)
    try:
        server.ask("publish 甲库的海绵城市建设管理办法")
        assert server.ask("query 海绵城市")["titles"] == ["甲库的海绵城市建设管理办法"]
    finally:
        server.close()
    stamp_a = _state(index_dir)["database"]

    # The same directory, now with database B. B's change log runs further than A's, so only
    # the identity can tell that the index is not B's.
    server = Server(url_b, index_dir)
    try:
        for title in ("乙库的海绵城市专项规划", "乙库的城市更新条例", "乙库的海绵城市技术导则"):
            server.ask(f"publish {title}")
        assert sorted(server.ask("query 海绵城市")["titles"]) == [
            "乙库的海绵城市专项规划",
            "乙库的海绵城市技术导则",
        ]
        assert server.ask("query 甲库")["titles"] == []
    finally:
        server.close()
    return stamp_a, _state(index_dir)["database"]


def test_an_index_of_another_database_is_rebuilt(sqlite_only, tmp_path):
    url_a = _copy_test_database(tmp_path / "a.sqlite3")
    url_b = _fresh_database(tmp_path / "b.sqlite3", tmp_path)
    stamp_a, stamp_b = _switch_databases(url_a, url_b, tmp_path / "server" / "search")
    assert stamp_a["uuid"] == _identity(tmp_path / "a.sqlite3")
    assert stamp_b["uuid"] == _identity(tmp_path / "b.sqlite3")
    assert stamp_a["uuid"] != stamp_b["uuid"]


@pytest.mark.postgres
def test_an_index_of_another_postgres_database_is_rebuilt(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    s = connection.settings_dict
    host = f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
    base = f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{host}"
    other = f"{s['NAME']}_other"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{other}"')
        cursor.execute(f'CREATE DATABASE "{other}"')
    try:
        url_b = f"{base}/{other}"
        _migrate(url_b, tmp_path)
        stamp_a, stamp_b = _switch_databases(
            f"{base}/{s['NAME']}", url_b, tmp_path / "server" / "search"
        )
        assert stamp_a["uuid"] == str(DatabaseIdentity.objects.get().uuid)
        assert stamp_b["uuid"] != stamp_a["uuid"]
        assert stamp_b["name"] == other
        assert stamp_b["vendor"] == "postgresql"
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{other}" WITH (FORCE)')


def test_an_index_ahead_of_the_database_log_is_rebuilt(sqlite_only, tmp_path):
    """A restored backup carries the identity it was dumped with, but its log ends earlier:
    the index is rebuilt rather than keep documents the database no longer has."""
    index_dir = tmp_path / "server" / "search"
    path = tmp_path / "live.sqlite3"
    url = _copy_test_database(path)
    server = Server(url, index_dir)
    try:
        server.ask("publish 备份前的海绵城市建设管理办法")
        with sqlite3.connect(path) as live, sqlite3.connect(tmp_path / "dump.sqlite3") as dump:
            live.backup(dump)  # the backup, taken now
        server.ask("publish 备份后的海绵城市专项规划")
        server.ask("publish 备份后的城市更新条例")
        assert len(server.ask("query 海绵城市")["titles"]) == 2
    finally:
        server.close()
    # Restore the older copy in place (with the live database's write-ahead log gone too).
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    (tmp_path / "dump.sqlite3").replace(path)

    server = Server(url, index_dir)
    try:
        assert server.ask("query 海绵城市")["titles"] == ["备份前的海绵城市建设管理办法"]
    finally:
        server.close()


def test_reindex_with_a_new_identity_makes_every_replica_rebuild(org_tree, tmp_path, settings):
    item = InformationItemFactory.create(
        index_number="T-id",
        organisation=org_tree["office"],
        title="雨污分流改造方案",
        status="published",
    )
    replica = Engine(tmp_path / "replica")
    replica.catch_up()
    replica_gen = replica.read_current()
    old = str(DatabaseIdentity.objects.get().uuid)
    call_command("reindex", "--new-database-identity", verbosity=0)
    new = database_stamp()["uuid"]
    assert new != old
    assert get_engine().read_state()["database"]["uuid"] == new
    # Another server's replica (a new process: it opens the index afresh) rebuilds once.
    replica = Engine(tmp_path / "replica")
    assert replica.doc_count() == 1
    assert replica.read_current() != replica_gen
    assert replica.read_state()["database"]["uuid"] == new
    hits = replica.search(SearchParams(q="雨污分流", facets=False), Visibility.public()).hits
    assert [(hit.key, hit.title) for hit in hits] == [(f"item:{item.pk}", "雨污分流改造方案")]


def test_an_index_from_before_stamps_is_rebuilt(org_tree, tmp_path):
    engine = Engine(tmp_path / "old")
    engine.catch_up()
    gen = engine.read_current()
    state = _state(tmp_path / "old")
    del state["database"]
    (tmp_path / "old" / f"{gen}.state.json").write_text(json.dumps(state))
    reopened = Engine(tmp_path / "old")
    reopened.catch_up()
    assert reopened.read_current() != gen


def test_refuses_in_chinese_when_the_other_database_index_cannot_be_rebuilt(org_tree, tmp_path):
    base = tmp_path / "locked"
    engine = Engine(base)
    engine.catch_up()
    gen = engine.read_current()
    DatabaseIdentity.objects.all().delete()  # from now on this is another database
    # Nothing may be created in the directory (chmod does not stop root; the immutable flag
    # does).
    if subprocess.run(["chattr", "+i", str(base)], capture_output=True).returncode != 0:
        pytest.skip("chattr is not available here")
    try:
        with pytest.raises(SearchIndexUnusable, match="不能用于当前数据库，且无法重建"):
            Engine(base).catch_up()
    finally:
        subprocess.run(["chattr", "-i", str(base)], check=True)
    assert (base / "CURRENT").read_text() == gen


def test_a_restore_gives_the_database_a_new_identity_and_every_replica_rebuilds(
    org_tree, tmp_path, settings
):
    from gongkai.core.backup import restore
    from gongkai.core.seeding import reseed_reference_data

    settings.MEDIA_ROOT = tmp_path / "media"
    item = InformationItemFactory.create(
        index_number="T-bk",
        organisation=org_tree["office"],
        title="海绵城市建设管理办法",
        status="published",
    )
    dumped = str(DatabaseIdentity.objects.get().uuid)
    replica = Engine(tmp_path / "other-server")
    replica.catch_up()
    replica_gen = replica.read_current()
    call_command("backup", str(tmp_path / "backup"), stdout=io.StringIO())
    call_command("flush", interactive=False, verbosity=0)  # a new, empty database
    reseed_reference_data()
    restore(tmp_path / "backup")

    restored = str(DatabaseIdentity.objects.get().uuid)
    assert restored != dumped
    assert get_engine().read_state()["database"]["uuid"] == restored
    replica = Engine(tmp_path / "other-server")  # the other server's next process
    hits = replica.search(SearchParams(q="海绵城市", facets=False), Visibility.public()).hits
    assert [(hit.key, hit.title) for hit in hits] == [(f"item:{item.pk}", "海绵城市建设管理办法")]
    assert replica.read_current() != replica_gen
    assert replica.read_state()["database"]["uuid"] == restored
