"""网站自查 rules with a frozen date, and a whole run over real rows with a local HTTP server."""

import datetime
import http.server
import io
import threading

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from gongkai.accounts.models import Role
from gongkai.catalogue.models import Column
from gongkai.catalogue.services import item_create, item_publish
from gongkai.catalogue.tests.factories import ColumnFactory, InformationItemFactory
from gongkai.checks.item_checks import ItemMetadata, http_fetcher
from gongkai.core.models import AuditEntry
from gongkai.oversight import inspection as ins
from gongkai.oversight.models import InspectionRun
from gongkai.review.testing import mark_approved

D = datetime.date
TODAY = D(2026, 7, 1)


def test_stale_columns_by_kind_and_configured_period():
    columns = [
        ins.ColumnFacts(1, "要闻", "news", None, 5, D(2026, 6, 17)),  # 14 days: fine
        ins.ColumnFacts(2, "动态", "news", None, 5, D(2026, 6, 16)),  # 15 days: stale
        ins.ColumnFacts(3, "通知公告", "notice", None, 2, D(2026, 1, 2)),  # 180: fine
        ins.ColumnFacts(4, "政策文件", "policy", None, 2, D(2026, 1, 1)),  # 181: stale
        ins.ColumnFacts(5, "人事信息", "catalogue", None, 1, D(2020, 1, 1)),  # no period
        ins.ColumnFacts(6, "专题", "special", 30, 1, D(2026, 5, 31)),  # configured 30: stale
        ins.ColumnFacts(7, "空栏目", "news", None, 0, None),  # empty, not stale
    ]
    stale = ins.stale_column_findings(columns, TODAY)
    assert [(f.target_id, f.message) for f in stale] == [
        (2, "栏目“动态”最近一次更新为 2026-06-16，已 15 天未更新（更新周期 14 天）"),
        (4, "栏目“政策文件”最近一次更新为 2026-01-01，已 181 天未更新（更新周期 180 天）"),
        (6, "栏目“专题”最近一次更新为 2026-05-31，已 31 天未更新（更新周期 30 天）"),
    ]
    empty = ins.empty_column_findings(columns)
    assert [(f.rule, f.target_id, f.message) for f in empty] == [
        ("empty_column", 7, "栏目“空栏目”没有任何已发布信息（空白栏目）")
    ]


def test_unanswered_messages_three_months_and_not_applicable():
    assert ins.unanswered_findings(None, TODAY) == (False, [])
    messages = [
        ins.MessageFacts(1, "路灯不亮", D(2026, 4, 1), answered=False),  # due 07-01: not yet
        ins.MessageFacts(2, "噪音扰民", D(2026, 3, 31), answered=False),  # due 06-30: late
        ins.MessageFacts(3, "停车难", D(2026, 1, 1), answered=True),
    ]
    applicable, found = ins.unanswered_findings(messages, TODAY)
    assert applicable is True
    assert [(f.target_id, f.message) for f in found] == [
        (2, "留言“噪音扰民”于 2026-03-31 收到，超过 3 个月（2026-06-30）仍未答复")
    ]
    assert ins.add_months(D(2026, 11, 30), 3) == D(2027, 2, 28)
    assert ins.add_months(D(2027, 11, 30), 3) == D(2028, 2, 29)


def test_metadata_and_interpretation_rules():
    complete = ItemMetadata(
        title="甲", organisation="市财政局", written_date=D(2026, 1, 5), summary="概述"
    )
    items = [
        ins.ItemFacts(1, "甲", "X/2026-00001", complete),
        ins.ItemFacts(
            2,
            "乙",
            "X/2026-00002",
            ItemMetadata(title="乙", organisation="市财政局", policy_kind="normative"),
        ),
    ]
    found = ins.metadata_gap_findings(items)
    assert [(f.target_id, f.message) for f in found] == [
        (2, "“乙”（索引号 X/2026-00002）缺少成文日期（生成日期）、缺少内容概述、缺少文号")
    ]
    policies = [
        ins.PolicyFacts(1, "办法", "rule", False),
        ins.PolicyFacts(2, "规定", "normative", True),
        ins.PolicyFacts(3, "方案", "other", False),
    ]
    assert [f.message for f in ins.interpretation_findings(policies)] == [
        "规章“办法”没有已发布的政策解读"
    ]


def test_link_rule_fetches_each_url_once():
    calls: list[str] = []

    def fetcher(url):
        calls.append(url)
        return {"http://a.gov.cn/ok": 200, "http://a.gov.cn/gone": 404}.get(url)

    sources = [
        ins.LinkSource("t", 1, "甲", ["http://a.gov.cn/ok", "http://a.gov.cn/gone"]),
        ins.LinkSource("t", 2, "乙", ["http://a.gov.cn/gone", "http://b.gov.cn/x", "/local/"]),
    ]
    found = ins.link_findings(sources, fetcher)
    assert [(f.target_id, f.message) for f in found] == [
        (1, "甲：链接 http://a.gov.cn/gone 返回 HTTP 404"),
        (2, "乙：链接 http://a.gov.cn/gone 返回 HTTP 404"),
        (2, "乙：链接 http://b.gov.cn/x 无法访问"),
    ]
    assert calls == ["http://a.gov.cn/ok", "http://a.gov.cn/gone", "http://b.gov.cn/x"]


def test_inspect_reports_not_applicable_rules():
    result = ins.inspect(ins.InspectionData(), today=TODAY)
    assert result.findings == []
    assert result.not_applicable == ["broken_link", "unanswered_message"]
    assert result.counts == dict.fromkeys(ins.RULES, 0)


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_HEAD(self):
        self.send_response(200 if self.path == "/ok" else 404)
        self.end_headers()

    do_GET = do_HEAD

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_whole_run_over_the_database(org_tree, make_staff, local_server, settings):
    # The local server stands in for a public site (test-only override of the SSRF rule).
    settings.GONGKAI_LINK_CHECK_ALLOW_HOSTS = ["127.0.0.1"]
    finance = org_tree["finance"]
    editor = make_staff(Role.EDITOR, finance)
    Column.objects.update(is_active=False)  # the seeded columns are not part of this test
    news = ColumnFactory.create(name="财政要闻", slug="t-news", kind="news", organisation=finance)
    ColumnFactory.create(name="空白专栏", slug="t-empty", kind="special", organisation=finance)
    body = f'<p><a href="{local_server}/ok">好</a><a href="{local_server}/missing">坏</a></p>'
    good = item_create(
        organisation=finance,
        data={
            "title": "财政要闻一则",
            "written_date": D(2026, 6, 1),
            "summary": "要闻",
            "body": body,
            "columns": [news],
        },
        acting_user=editor,
    )
    mark_approved(good)
    item_publish(item=good, acting_user=None, on=D(2026, 6, 2))
    rule = item_create(
        organisation=finance,
        data={"title": "财政资金管理办法", "policy_kind": "rule", "written_date": D(2026, 6, 1)},
        acting_user=editor,
    )
    mark_approved(rule)
    item_publish(item=rule, acting_user=None, on=D(2026, 6, 3))
    InformationItemFactory.create(
        organisation=finance, title="草稿不查", index_number="draft-1", status="draft"
    )

    run = ins.inspection_run(today=TODAY, fetcher=http_fetcher)
    by_rule: dict[str, list[str]] = {}
    for f in run.findings:
        by_rule.setdefault(f["rule"], []).append(f["message"])
    assert by_rule["stale_column"] == [
        "栏目“财政要闻”最近一次更新为 2026-06-02，已 29 天未更新（更新周期 14 天）"
    ]
    assert by_rule["empty_column"] == ["栏目“空白专栏”没有任何已发布信息（空白栏目）"]
    assert by_rule["broken_link"] == [f"财政要闻一则：链接 {local_server}/missing 返回 HTTP 404"]
    assert by_rule["missing_metadata"] == [
        f"“财政资金管理办法”（索引号 {rule.index_number}）缺少内容概述、缺少文号"
    ]
    assert by_rule["policy_without_interpretation"] == [
        "规章“财政资金管理办法”没有已发布的政策解读"
    ]
    assert "unanswered_message" not in by_rule
    # The interaction app provides the messages (none here): the rule applies and finds nothing.
    assert run.counts["not_applicable"] == []
    assert run.counts["broken_link"] == 1
    assert run.today == TODAY
    assert AuditEntry.objects.filter(target_type="oversight.inspectionrun").count() == 1

    ws = load_workbook(io.BytesIO(ins.inspection_workbook(run))).active
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0] == ["检查日期", "问题类型", "问题说明", "对象", "处理链接"]
    assert [r[1] for r in rows[1:]].count("错误链接") == 1


def test_self_inspect_command(db, capsys):
    call_command("self_inspect", "--no-links")
    out = capsys.readouterr().out
    assert "错误链接：不适用" in out
    assert "留言超期未答复：0" in out
    assert InspectionRun.objects.count() == 1
