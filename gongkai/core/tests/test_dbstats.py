"""Planner statistics after imports, on a schedule and on demand (issue 17 item 4)."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from gongkai.core.dbstats import db_optimize
from gongkai.core.tasks import db_optimize_nightly

pytestmark = pytest.mark.django_db


def item_index_stats() -> dict[str, str]:
    """Index name → statistics row of the documents table, as the planner reads them."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            exists = cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'"
            ).fetchone()[0]
            if not exists:
                return {}
            cursor.execute(
                "SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'catalogue_informationitem'"
            )
            return {idx: stat for idx, stat in cursor.fetchall() if idx}
        cursor.execute(
            "SELECT attname, n_distinct::text FROM pg_stats "
            "WHERE tablename = 'catalogue_informationitem'"
        )
        return dict(cursor.fetchall())


def test_db_optimize_writes_statistics_for_the_documents_table(org_tree):
    from gongkai.policies.tests.conftest import make_item

    for n in range(3):
        make_item(org_tree["office"], f"统计测试文件{n}", kind="normative")
    result = db_optimize()
    stats = item_index_stats()
    if connection.vendor == "sqlite":
        assert result["statements"][0] == "PRAGMA analysis_limit=1000"
        # "item_policy_idx" is (policy_kind, status): 3 rows, all one kind → "3 3 3".
        assert stats["item_policy_idx"] == "3 3 3"
    else:
        assert result["statements"] == ["ANALYZE"]
        assert "policy_kind" in stats
    assert result["vendor"] == connection.vendor


def test_db_optimize_command_reports_what_it_ran(org_tree):
    out = StringIO()
    call_command("db_optimize", "--json", stdout=out)
    answer = json.loads(out.getvalue())
    assert answer["vendor"] == connection.vendor
    assert answer["seconds"] >= 0
    out = StringIO()
    call_command("db_optimize", stdout=out)
    assert out.getvalue().startswith("已更新数据库统计信息（")


def test_nightly_job_runs_at_03_15_and_refreshes_statistics(org_tree):
    # The consumer hands crontab() the naive local time; local means China time (utc=False),
    # so "03:15" is 03:15 in Beijing, not 11:15.
    from gongkai.config.settings import base
    from gongkai.policies.tests.conftest import make_item

    assert base.HUEY["utc"] is False
    assert db_optimize_nightly.huey.utc is False
    task = db_optimize_nightly.task_class()

    def local(hour: int, minute: int) -> datetime.datetime:
        return datetime.datetime(2026, 11, 29, hour, minute)  # noqa: DTZ001 huey passes naive

    assert task.validate_datetime(local(3, 15))
    assert not task.validate_datetime(local(3, 16))
    assert not task.validate_datetime(local(15, 15))
    make_item(org_tree["office"], "夜间统计测试文件", kind="rule")
    result = db_optimize_nightly.call_local()
    assert result["vendor"] == connection.vendor
    assert item_index_stats(), "no statistics after the nightly job"


def test_import_documents_leaves_fresh_statistics(org_tree, tmp_path):
    assert item_index_stats() == {} or connection.vendor != "sqlite"
    line = json.dumps(
        {
            "org": org_tree["office"].code,
            "title": "导入后统计的文件",
            "published": "2025-03-01",
            "body": "正文。",
        },
        ensure_ascii=False,
    )
    path = tmp_path / "docs.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    call_command("import_documents", str(path), stdout=StringIO())
    stats = item_index_stats()
    assert stats, "import_documents did not refresh the statistics"
    if connection.vendor == "sqlite":
        assert stats["item_policy_idx"].split()[0] == "1"
