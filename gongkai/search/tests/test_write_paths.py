"""Every write path reaches the change log: documents written past the model signals (imports,
the demo world, `demo --documents`) are found by another server's index — a second engine with
its own directory on the same database — without `gongkai reindex` (issue 10, item 2)."""

import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from gongkai.catalogue.models import InformationItem
from gongkai.catalogue.services import documents_import
from gongkai.interaction.models import ConcernResponse, PressConference
from gongkai.participation.models import Consultation
from gongkai.policies.models import Interpretation, QAEntry
from gongkai.search.engine import Engine, SearchParams, Visibility
from gongkai.search.models import SearchChange
from gongkai.search.signals import record_rows

from .test_two_process import ROOT, Server

FINANCE = "113301000024900002"


def line(title: str, **extra) -> str:
    row = {"title": title, "body": "正文。", "org": FINANCE, "published": "2024-03-01", **extra}
    return json.dumps(row, ensure_ascii=False)


def titles(engine: Engine, q: str) -> list[str]:
    result = engine.search(SearchParams(q=q, limit=50, facets=False), Visibility.public())
    return sorted(hit.title for hit in result.hits)


def other_server(tmp_path: Path) -> Engine:
    """A second server's replica, built before the write, so only the log can bring it news."""
    engine = Engine(tmp_path / "server-b" / "search")
    engine.catch_up()
    return engine


def test_documents_import_reaches_another_server(org_tree, tmp_path):
    other = other_server(tmp_path)
    assert titles(other, "透水铺装") == []
    before = SearchChange.objects.count()
    result = documents_import(
        lines=[
            line("杭东市透水铺装技术导则"),
            line("透水铺装工程验收办法", doc_number="杭建〔2024〕9号"),
        ]
    )
    pks = sorted(
        InformationItem.objects.filter(title__contains="透水铺装").values_list("pk", flat=True)
    )
    assert result.created == 2
    assert len(pks) == 2
    assert sorted(SearchChange.objects.values_list("key", flat=True)[before:]) == sorted(
        f"item:{pk}" for pk in pks
    )
    assert titles(other, "透水铺装") == ["杭东市透水铺装技术导则", "透水铺装工程验收办法"]
    assert titles(other, "杭建(2024)9号") == ["透水铺装工程验收办法"]


def test_failed_import_writes_no_change_rows(org_tree, tmp_path):
    before = SearchChange.objects.count()
    with pytest.raises(Exception, match="第2行"):
        documents_import(lines=[line("雨水花园建设指引"), line("")])
    assert SearchChange.objects.count() == before
    assert not InformationItem.objects.filter(title="雨水花园建设指引").exists()


def _shared_database_url(tmp_path: Path) -> str:
    """The test database as a URL another process can open (the in-memory SQLite database is
    copied into a file both processes use)."""
    if connection.vendor == "sqlite":
        path = tmp_path / "shared.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{path}"
    s = connection.settings_dict
    return (
        f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST'] or '127.0.0.1'}:"
        f"{s['PORT'] or 5432}/{s['NAME']}"
    )


@pytest.mark.django_db(transaction=True)
def test_import_documents_command_reaches_another_server_process(org_tree, tmp_path):
    url = _shared_database_url(tmp_path)
    server_b = Server(url, tmp_path / "server-b" / "search")
    try:
        assert server_b.ask("query 海绵城市")["keys"] == []  # B builds its own replica
        path = tmp_path / "docs.jsonl"
        path.write_text(
            "\n".join([line("海绵城市建设管理办法"), line("海绵城市专项规划（2024—2035年）")])
            + "\n",
            encoding="utf-8",
        )
        env = dict(
            os.environ,
            DATABASE_URL=url,
            GONGKAI_SEARCH_DIR=str(tmp_path / "server-a" / "search"),
            GONGKAI_VAR_DIR=str(tmp_path / "server-a" / "var"),
            DJANGO_SETTINGS_MODULE="gongkai.config.settings.dev",
        )
        done = subprocess.run(
            [sys.executable, "manage.py", "import_documents", str(path)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout == "已导入2条政府信息\n"
        answer = server_b.ask("query 海绵城市")
        assert sorted(answer["titles"]) == [
            "海绵城市专项规划（2024—2035年）",
            "海绵城市建设管理办法",
        ]
        assert answer["ms"] < 5000
    finally:
        server_b.close()


def test_demo_world_reaches_another_server(db, tmp_path):
    other = other_server(tmp_path)
    call_command("demo", stdout=io.StringIO(), stderr=io.StringIO())
    documents = InformationItem.objects.count() + Interpretation.objects.count()
    documents += QAEntry.objects.count() + Consultation.objects.count()  # 意见征集 too
    # 新闻发布会 and 回应关切 records too (drafts are indexed for staff, like every kind).
    documents += PressConference.objects.count() + ConcernResponse.objects.count()
    assert documents > 200
    assert other.doc_count() == documents
    item = InformationItem.objects.filter(status="published", disclosure="proactive").latest("pk")
    assert item.title in titles(other, item.title)


def test_demo_documents_reach_another_server(db, tmp_path, settings):
    call_command("demo", stdout=io.StringIO(), stderr=io.StringIO())
    other = other_server(tmp_path)
    before = other.doc_count()
    gen = other.read_current()
    call_command("demo", "--documents", "40", stdout=io.StringIO(), stderr=io.StringIO())
    new = list(InformationItem.objects.order_by("-pk")[:40])
    assert sorted(SearchChange.objects.order_by("-id").values_list("key", flat=True)[:40]) == (
        sorted(f"item:{item.pk}" for item in new)
    )
    assert other.doc_count() == before + 40
    assert other.read_current() == gen  # replayed from the log, not rebuilt
    assert new[0].title in titles(other, new[0].title)


def test_a_large_backlog_is_rebuilt_not_replayed(db, tmp_path, settings):
    call_command("demo", "--documents", "30", stdout=io.StringIO(), stderr=io.StringIO())
    other = other_server(tmp_path)
    gen = other.read_current()
    settings.GONGKAI_SEARCH_REBUILD_BACKLOG = 20
    call_command("demo", "--documents", "25", stdout=io.StringIO(), stderr=io.StringIO())
    assert other.doc_count() == InformationItem.objects.count() + Interpretation.objects.count() + (
        QAEntry.objects.count() + Consultation.objects.count()
    ) + (PressConference.objects.count() + ConcernResponse.objects.count())
    assert other.read_current() != gen
    assert other.read_state()["applied"] == SearchChange.objects.latest("id").id


def test_record_rows_takes_a_queryset_in_one_statement(org_tree, django_assert_num_queries):
    items = [
        InformationItem(index_number=f"Q-{n}", organisation=org_tree["office"], title=f"文件{n}")
        for n in range(5)
    ]
    InformationItem.objects.bulk_create(items)
    SearchChange.objects.all().delete()
    with django_assert_num_queries(1):
        record_rows(
            InformationItem,
            InformationItem.objects.filter(index_number__startswith="Q-"),
            apply=False,
        )
    assert sorted(SearchChange.objects.values_list("key", "op")) == sorted(
        (f"item:{item.pk}", "upsert") for item in items
    )
    # Models the search does not index are ignored.
    record_rows(SearchChange, SearchChange.objects.all())
    assert SearchChange.objects.count() == 5
