"""Checks on whole items: metadata, 条例第二十六条 lateness, 三同步, links, attachments."""

import datetime
import http.server
import threading

import pytest

from gongkai.catalogue.models import TopicCategory
from gongkai.catalogue.services import item_create
from gongkai.catalogue.tests.factories import AttachmentFactory
from gongkai.checks.item_checks import (
    ItemMetadata,
    broken_link_findings,
    extract_links,
    extract_urls_from_text,
    http_fetcher,
    is_government_host,
    lateness_findings,
    metadata_findings,
    proactive_due_date,
    santongbu_findings,
)
from gongkai.checks.selectors import has_blocking, item_findings
from gongkai.checks.tests.factories import WordlistEntryFactory
from gongkai.policies.tests.factories import InterpretationFactory
from gongkai.workdays.calendar import WorkCalendar
from gongkai.workdays.selectors import load_calendar

D = datetime.date


# ---------------------------------------------------------------- metadata (pure)


def test_complete_metadata_has_no_findings():
    meta = ItemMetadata(
        title="关于印发某办法的通知",
        organisation="杭东市财政局",
        written_date=D(2025, 9, 26),
        topic="财政、金融、审计",
        genre="notice",
        summary="印发办法。",
        doc_number="杭财〔2025〕1号",
        policy_kind="normative",
        body_length=1000,
    )
    assert metadata_findings(meta) == []


def test_missing_metadata_blocking_and_warnings():
    found = metadata_findings(ItemMetadata(policy_kind="normative", summary="  "))
    assert [(f.field, f.message, f.blocking) for f in found] == [
        ("title", "缺少信息名称", True),
        ("organisation", "缺少发布机构", True),
        ("written_date", "缺少成文日期（生成日期）", True),
        ("summary", "缺少内容概述", True),
        ("topic", "缺少主题分类", False),
        ("genre", "缺少体裁分类", False),
        ("doc_number", "缺少文号", True),
    ]
    # An 其他政策文件 without 文号 only warns; a non-policy item needs none.
    other = metadata_findings(
        ItemMetadata("t", "o", D(2025, 1, 2), "x", "notice", "s", policy_kind="other")
    )
    assert [(f.field, f.blocking) for f in other] == [("doc_number", False)]
    plain = metadata_findings(ItemMetadata("t", "o", D(2025, 1, 2), "x", "notice", "s"))
    assert plain == []


def test_summary_length_limit_depends_on_body_length():
    base = {"title": "t", "organisation": "o", "written_date": D(2025, 1, 2)}
    base |= {"topic": "x", "genre": "notice"}
    short_body = metadata_findings(ItemMetadata(**base, summary="字" * 301, body_length=4999))
    assert [f.message for f in short_body] == ["内容概述有 301 字，超过 300 字"]
    long_body = metadata_findings(ItemMetadata(**base, summary="字" * 301, body_length=5000))
    assert long_body == []


# ---------------------------------------------------------------- 条例第二十六条 (real calendar)


@pytest.mark.django_db
def test_twenty_working_days_over_national_day_2025():
    calendar = load_calendar()
    # Written Fri 2025-09-26. Counted: 9-28 (Sun, 调休上班) 1, 9-29 2, 9-30 3, [10-1..10-8
    # 国庆中秋], 10-9 4, 10-10 5, 10-11 (Sat, 调休上班) 6, 10-13..17 7-11, 10-20..24 12-16,
    # 10-27..30 17-20.
    assert proactive_due_date(calendar, D(2025, 9, 26)) == D(2025, 10, 30)
    args = {"calendar": calendar, "disclosure": "proactive", "written_date": D(2025, 9, 26)}
    assert lateness_findings(**args, published_date=D(2025, 10, 30), today=D(2026, 1, 5)) == []
    [late] = lateness_findings(**args, published_date=D(2025, 10, 31), today=D(2026, 1, 5))
    assert late.kind == "late_publication"
    assert not late.blocking
    assert late.message == (
        "发布日期 2025-10-31 晚于成文日期 2025-09-26 后 20 个工作日（2025-10-30），"
        "不符合《政府信息公开条例》第二十六条"
    )
    # Not yet published: judged against today.
    assert lateness_findings(**args, published_date=None, today=D(2025, 10, 30)) == []
    [pending] = lateness_findings(**args, published_date=None, today=D(2025, 10, 31))
    assert pending.message == (
        "成文日期 2025-09-26 后 20 个工作日（2025-10-30）已过，"
        "请尽快发布（《政府信息公开条例》第二十六条）"
    )
    # 依申请公开 items and items without 成文日期 are not subject to the rule.
    on_request = {**args, "disclosure": "on_request"}
    assert lateness_findings(**on_request, published_date=D(2026, 1, 1), today=D(2026, 1, 5)) == []


def test_lateness_without_calendar_year_says_so():
    [finding] = lateness_findings(
        calendar=WorkCalendar([2025]),
        disclosure="proactive",
        written_date=D(2031, 3, 2),
        published_date=None,
        today=D(2031, 5, 1),
    )
    assert finding.kind == "calendar_missing"
    assert finding.message.startswith("缺少2031年的工作日历")


# ---------------------------------------------------------------- 三同步 (pure)


def test_santongbu_modes():
    [block] = santongbu_findings(policy_kind="rule", interpretation_statuses=[], mode="block")
    assert (block.kind, block.blocking) == ("santongbu", True)
    [warn] = santongbu_findings(
        policy_kind="normative", interpretation_statuses=["draft"], mode="warn"
    )
    assert warn.blocking is False
    assert santongbu_findings(policy_kind="rule", interpretation_statuses=[], mode="off") == []
    for status in ("approved", "published"):
        assert santongbu_findings(policy_kind="rule", interpretation_statuses=[status]) == []
    assert santongbu_findings(policy_kind="other", interpretation_statuses=[]) == []
    assert santongbu_findings(policy_kind="", interpretation_statuses=[]) == []
    with pytest.raises(ValueError, match="GONGKAI_SANTONGBU_MODE must be one of"):
        santongbu_findings(policy_kind="rule", interpretation_statuses=[], mode="strict")


# ---------------------------------------------------------------- links (pure + local server)


def test_extract_links_and_government_hosts():
    html = (
        '<p><a href="https://www.gov.cn/zhengce/">国务院</a>'
        '<a href="http://example.com/x">外站</a><a href="/local/">本站</a>'
        '<a href="mailto:a@b.cn">信</a><img src="https://img.example.org/a.png" alt="">'
        '<a href="https://www.gov.cn/zhengce/">重复</a></p>'
    )
    assert extract_links(html) == [
        "https://www.gov.cn/zhengce/",
        "http://example.com/x",
        "/local/",
        "mailto:a@b.cn",
        "https://img.example.org/a.png",
    ]
    assert is_government_host("www.hangdong.gov.cn")
    assert is_government_host("GOV.CN.")
    assert not is_government_host("gov.cn.example.com")
    assert not is_government_host("notgov.cn")
    assert is_government_host("cdn.example.org", ["example.org"])
    assert extract_urls_from_text("见 https://example.com/a?b=1。和http://x.gov.cn/p).") == [
        "https://example.com/a?b=1",
        "http://x.gov.cn/p",
    ]


@pytest.fixture
def local_site():
    """A real HTTP server on 127.0.0.1: /ok answers 200, everything else 404."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_HEAD(self):
            self.send_response(200 if self.path == "/ok" else 404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_broken_links_with_the_real_fetcher_on_a_local_server(local_site, settings):
    # The test server stands in for a public site (test-only override; see test_link_ssrf.py).
    settings.GONGKAI_LINK_CHECK_ALLOW_HOSTS = ["127.0.0.1"]
    closed = "http://127.0.0.1:9/"  # discard port: nothing listens, connection refused
    links = [f"{local_site}/ok", f"{local_site}/gone", closed, "/relative"]
    found = broken_link_findings(
        links, fetcher=lambda u: http_fetcher(u, timeout=2), source="body", source_label="正文"
    )
    assert [f.message for f in found] == [
        f"正文：链接 {local_site}/gone 返回 HTTP 404",
        f"正文：链接 {closed} 无法访问",
    ]


# ---------------------------------------------------------------- item_findings (DB)


@pytest.fixture
def policy_item(db, org_tree):
    WordlistEntryFactory.create(
        word="十八大以来",
        category="wrong_expression",
        suggestion="党的十八大以来",
        is_blocking=True,
    )
    item = item_create(
        organisation=org_tree["finance"],
        data={
            "title": "杭东市财政局关于印发资金管理办法的通知",
            "doc_number": "杭财〔2025〕8号",
            "written_date": D(2025, 9, 26),
            "topic": TopicCategory.objects.filter(parent__isnull=False).first(),
            "genre": "notice",
            "summary": "自十八大以来……",
            "body": '<p>联系人张三，身份证号11010519491231002X。</p><p><a href="https://example.com/">参考</a></p>',
            "policy_kind": "normative",
        },
        acting_user=None,
    )
    AttachmentFactory.create(
        item=item,
        file="attachments/x/办法.pdf",
        original_name="办法.pdf",
        file_kind="pdf",
        size=10,
        sha256="0" * 64,
        extracted_text="收款账号 4111111111111111，详见 http://www.hangdong.gov.cn/a",
    )
    return item


@pytest.mark.django_db
def test_item_findings_combines_everything(policy_item, settings):
    settings.GONGKAI_SANTONGBU_MODE = "block"
    att = policy_item.attachments.get()
    found = item_findings(policy_item, today=D(2025, 11, 3))
    assert [(f.kind, f.source, f.start, f.end, f.blocking) for f in found] == [
        ("word", "summary", 1, 6, True),
        ("id_card", "body", 10, 28, True),
        ("bank_card", f"attachment:{att.pk}", 5, 21, True),
        ("santongbu", "metadata", None, None, True),
        ("link_external", "body", None, None, False),
        ("late_publication", "metadata", None, None, False),
    ]
    assert found[0].message == "内容概述：“十八大以来”属于错误表述，建议改为“党的十八大以来”"
    assert found[1].message == (
        "正文：含有身份证号码“11010519491231002X”，公开前应遮蔽为“11*************02X”"
    )
    assert found[2].message.startswith("附件《办法.pdf》：含有银行卡号")
    assert found[4].message == "正文：链接到非政府网站 https://example.com/，请确认内容合适"
    assert has_blocking(found)


@pytest.mark.django_db
def test_item_findings_report_a_mistyped_id_as_a_suspected_id(policy_item):
    policy_item.body = "<p>联系人张三，身份证号110105194912310021。</p>"
    policy_item.body_text = ""
    policy_item.save()
    found = [f for f in item_findings(policy_item, today=D(2025, 11, 3)) if f.source == "body"]
    assert [(f.kind, f.start, f.end, f.blocking) for f in found] == [
        ("id_card_invalid", 10, 28, True)
    ]
    assert found[0].message == (
        "正文：含有疑似身份证号码（校验位不符）“110105194912310021”，"
        "公开前应遮蔽为“11*************021”"
    )


@pytest.mark.django_db
def test_item_findings_after_fixes(policy_item, settings, org_tree):
    settings.GONGKAI_SANTONGBU_MODE = "warn"
    policy_item.summary = "党的十八大以来……"
    policy_item.body_text = "联系人张三。"
    policy_item.body = "<p>联系人张三。</p>"
    policy_item.save()
    policy_item.attachments.update(extracted_text="")
    found = item_findings(policy_item, today=D(2025, 10, 30))
    # Only the 三同步 warning is left; an approved interpretation clears it.
    assert [(f.kind, f.blocking) for f in found] == [("santongbu", False)]
    interpretation = InterpretationFactory.create(
        organisation=org_tree["finance"], title="解读", status="approved"
    )
    interpretation.policies.add(policy_item)
    assert item_findings(policy_item, today=D(2025, 10, 30)) == []
