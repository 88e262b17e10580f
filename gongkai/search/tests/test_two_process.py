"""Two app processes, each with its own index directory, share only the database: one
publishes, the other finds it at its next query (the change log arrangement of ADR 0002)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]


class Server:
    def __init__(self, database_url: str, index_dir: Path):
        env = dict(os.environ)
        env.update(
            DATABASE_URL=database_url,
            GONGKAI_SEARCH_DIR=str(index_dir),
            DJANGO_SETTINGS_MODULE="gongkai.config.settings.dev",
            GONGKAI_VAR_DIR=str(index_dir.parent / "var"),
        )
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gongkai.search.tests.twoproc"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.ask_raw() == {"ready": True}

    def ask_raw(self) -> dict:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert line, "helper process died"
        return json.loads(line)

    def ask(self, command: str) -> dict:
        assert self.proc.stdin is not None
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        return self.ask_raw()

    def close(self) -> None:
        if self.proc.poll() is None:
            self.ask_quit()

    def ask_quit(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write("quit\n")
        self.proc.stdin.flush()
        self.proc.wait(timeout=30)


def run_arrangement(database_url: str, tmp_path: Path) -> None:
    a = Server(database_url, tmp_path / "server-a" / "search")
    b = Server(database_url, tmp_path / "server-b" / "search")
    try:
        assert b.ask("query 两进程海绵城市")["keys"] == []  # B builds its own (empty) replica
        pk = a.ask("publish 两进程海绵城市建设管理办法")["pk"]
        answer = b.ask("query 两进程海绵城市")
        assert answer["keys"] == [f"item:{pk}"]
        assert answer["applied"] >= 1
        assert answer["dir"].endswith("server-b/search")
        assert a.ask("query 两进程海绵城市")["keys"] == [f"item:{pk}"]
        a.ask(f"withdraw {pk}")
        assert b.ask("query 两进程海绵城市")["keys"] == []
    finally:
        a.close()
        b.close()


@pytest.mark.django_db(transaction=True)
def test_two_processes_sqlite_file(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite variant")
    # The test database lives in memory: copy its schema into a file both processes open.
    path = tmp_path / "shared.sqlite3"
    import sqlite3

    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    run_arrangement(f"sqlite:///{path}", tmp_path)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_processes_postgres(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    s = connection.settings_dict
    url = (
        f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST'] or '127.0.0.1'}:"
        f"{s['PORT'] or 5432}/{s['NAME']}"
    )
    run_arrangement(url, tmp_path)
