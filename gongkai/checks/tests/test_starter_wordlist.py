"""The shipped starter 错敏词 dictionary and the draft-marker title check (issue 15, item 6)."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from gongkai.accounts.models import Role
from gongkai.catalogue.services import item_create
from gongkai.checks.item_checks import draft_title_findings
from gongkai.checks.models import WordlistEntry
from gongkai.checks.selectors import current_checker
from gongkai.checks.services import wordlist_load_starter
from gongkai.checks.tests.factories import WordlistEntryFactory
from gongkai.checks.wordlist import STARTER_WORDLIST_PATH, starter_rows
from gongkai.core.models import AuditEntry
from gongkai.review.chain_models import ReviewRequest


def test_starter_file_is_valid_and_covers_the_three_categories():
    rows = starter_rows()
    assert len(rows) == 176
    by_category: dict[str, int] = {}
    for row in rows:
        by_category[row.category] = by_category.get(row.category, 0) + 1
        assert row.suggestion, row.word  # every starter word says what to write instead
        assert row.word not in row.suggestion or row.suggestion.startswith("党的")
    assert by_category == {"wrong_expression": 36, "other": 41, "typo": 99}
    pairs = {row.word: (row.category, row.suggestion) for row in rows}
    assert pairs["中华人民共合国"] == ("wrong_expression", "中华人民共和国")
    assert pairs["国务院办公室"] == ("wrong_expression", "国务院办公厅")
    assert pairs["其它"] == ("typo", "其他")
    assert pairs["帐号"] == ("typo", "账号")
    assert pairs["环境保护部"] == ("other", "生态环境部（2018年机构改革后）")
    # Words that start correct text are left out on purpose (see wordlist.py).
    assert "按装" not in pairs
    assert "既使" not in pairs
    assert STARTER_WORDLIST_PATH.name == "starter_wordlist.csv"


@pytest.mark.django_db
def test_seed_command_adds_missing_words_and_keeps_edits(capsys):
    edited = WordlistEntryFactory.create(
        word="其它", category="typo", suggestion="其他（本单位规定）", is_blocking=True
    )
    call_command("seed_wordlist")
    assert capsys.readouterr().out == "内置错敏词库：新增 175 条，已有 1 条未改动。\n"
    assert WordlistEntry.objects.count() == 176
    edited.refresh_from_db()
    assert (edited.suggestion, edited.is_blocking) == ("其他（本单位规定）", True)
    wrong = WordlistEntry.objects.get(word="国务院办公室")
    assert (wrong.category, wrong.suggestion, wrong.is_blocking) == (
        "wrong_expression",
        "国务院办公厅",
        True,
    )
    assert WordlistEntry.objects.get(word="帐号").is_blocking is False
    # Idempotent: a second run adds nothing.
    call_command("seed_wordlist")
    assert capsys.readouterr().out == "内置错敏词库：新增 0 条，已有 176 条未改动。\n"
    assert WordlistEntry.objects.count() == 176
    assert AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT).count() == 2


@pytest.mark.django_db
def test_starter_words_are_found_in_text():
    wordlist_load_starter()
    found = current_checker().check("国务院办公室印发通知，请登录帐号办理。")
    assert [(f.match, f.suggestion, f.blocking) for f in found] == [
        ("国务院办公室", "国务院办公厅", True),
        ("帐号", "账号", False),
    ]


@pytest.mark.django_db
def test_admin_loads_the_starter_dictionary_from_the_back_office(client, org_tree, make_staff):
    client.force_login(make_staff(Role.ADMIN, org_tree["office"]))
    page = client.get("/staff/review/wordlist/").content.decode()
    assert "平台内置 176 条常见错误表述、过时机构名称和公文常见错别字。" in page
    assert 'action="/staff/review/wordlist/starter/"' in page
    response = client.post("/staff/review/wordlist/starter/", follow=True)
    html = response.content.decode()
    assert "已载入内置词库：新增 176 条，已有 0 条未改动。" in html
    assert "共176条" in html
    searched = client.get("/staff/review/wordlist/?q=共合国").content.decode()
    assert "<td>中华人民共合国</td>" in searched
    assert "<td>中华人民共和国</td>" in searched
    entry = AuditEntry.objects.get(action=AuditEntry.Action.IMPORT)
    assert entry.detail["created"] == 176


@pytest.mark.django_db
def test_editor_cannot_load_the_starter_dictionary(client, org_tree, make_staff):
    client.force_login(make_staff(Role.EDITOR, org_tree["finance"]))
    page = client.get("/staff/review/wordlist/").content.decode()
    assert "载入内置词库" not in page
    assert client.post("/staff/review/wordlist/starter/").status_code == 403
    assert WordlistEntry.objects.count() == 0
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT).exists()


# ---------------------------------------------------------------- draft markers in titles


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("关于印发杭东市资金管理办法的通知", []),
        (
            "杭东市资金管理办法（送审稿）",
            [
                (
                    "送审稿",
                    True,
                    10,
                    "信息名称含“送审稿”：未定稿不应作为正式文件公开，请改为正式稿的名称",
                )
            ],
        ),
        (
            "杭东市资金管理办法（草稿）",
            [
                (
                    "草稿",
                    True,
                    10,
                    "信息名称含“草稿”：未定稿不应作为正式文件公开，请改为正式稿的名称",
                )
            ],
        ),
        (
            "杭东市资金管理办法（征求意见稿）",
            [
                (
                    "征求意见稿",
                    True,
                    10,
                    "信息名称含“征求意见稿”：未定稿不应作为正式文件公开，请改为正式稿的名称",
                )
            ],
        ),
        (
            "关于《杭东市资金管理办法（征求意见稿）》公开征求意见的通知",
            [
                (
                    "征求意见稿",
                    False,
                    13,
                    "信息名称含“征求意见稿”：请确认这是公开征求意见的通知，而不是误发的未定稿",
                )
            ],
        ),
    ],
)
def test_draft_title_findings(title, expected):
    found = draft_title_findings(title)
    assert [(f.match, f.blocking, f.start, f.message) for f in found] == expected
    for f in found:
        assert title[f.start : f.end] == f.match
        assert (f.kind, f.source, f.field) == ("draft_title", "title", "title")


@pytest.fixture
def finance_with_chain(org_tree, make_staff):
    finance = org_tree["finance"]
    for level in (1, 2, 3):
        make_staff(Role.REVIEWER, finance, username=f"r{level}", review_level=level)
    return finance


def _item(editor, organisation, title):
    return item_create(
        organisation=organisation,
        data={
            "title": title,
            "written_date": timezone.localdate(),
            "summary": "资金管理。",
            "body": "<p>正文。</p>",
        },
        acting_user=editor,
    )


@pytest.mark.django_db
def test_submitting_a_draft_title_is_refused_on_the_page(client, finance_with_chain, make_staff):
    editor = make_staff(Role.EDITOR, finance_with_chain, username="editor")
    item = _item(editor, finance_with_chain, "杭东市资金管理办法（送审稿）")
    client.force_login(editor)
    response = client.post(reverse("staff:workflow_submit", args=["item", item.pk]), follow=True)
    html = response.content.decode()
    assert "信息名称含“送审稿”：未定稿不应作为正式文件公开，请改为正式稿的名称" in html
    item.refresh_from_db()
    assert item.status == "draft"
    assert not ReviewRequest.objects.exists()


@pytest.mark.django_db
def test_consultation_notice_title_only_warns(client, finance_with_chain, make_staff):
    editor = make_staff(Role.EDITOR, finance_with_chain, username="editor")
    title = "关于《杭东市资金管理办法（征求意见稿）》公开征求意见的通知"
    item = _item(editor, finance_with_chain, title)
    client.force_login(editor)
    response = client.post(reverse("staff:workflow_submit", args=["item", item.pk]), follow=True)
    html = response.content.decode()
    assert "已提交审核" in html
    item.refresh_from_db()
    assert item.status == "in_review"
    assert ReviewRequest.objects.count() == 1
