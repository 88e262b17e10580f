"""Staff review page (text check, masking), 我为政府网站找错 form and its staff queue."""

import pytest

from gongkai.accounts.models import Role
from gongkai.checks.models import WordlistEntry
from gongkai.checks.tests.factories import WordlistEntryFactory
from gongkai.core.models import AuditEntry
from gongkai.oversight.models import ErrorReport
from gongkai.oversight.tests.factories import ErrorReportFactory

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- staff text check


def test_review_home_needs_staff(client, public_user):
    response = client.get("/staff/review/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    client.force_login(public_user)
    assert client.get("/staff/review/").status_code == 403


def test_check_highlights_findings(client, org_tree, make_staff):
    WordlistEntryFactory.create(word="共合国", category="typo", suggestion="共和国")
    client.force_login(make_staff(Role.EDITOR, org_tree["finance"]))
    response = client.post(
        "/staff/review/", {"text": "中华人民共合国，电话13812341234", "action": "check"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "发现 2 处问题" in html
    assert '<mark title="错别字 → 共和国">共合国</mark>' in html
    assert '<mark title="手机号码 → 138****1234">13812341234</mark>' in html
    assert "词库共1个词语。" in html


def test_mask_button_returns_masked_text(client, org_tree, make_staff):
    client.force_login(make_staff(Role.EDITOR, org_tree["finance"]))
    response = client.post(
        "/staff/review/",
        {"text": "身份证11010519491231002X，电话13812341234", "action": "mask"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.data["text"] == "身份证11*************02X，电话138****1234"
    assert response.context["findings"] == []
    assert "已遮蔽个人信息" in response.content.decode()


def test_empty_text_is_refused_in_chinese(client, org_tree, make_staff):
    client.force_login(make_staff(Role.EDITOR, org_tree["finance"]))
    response = client.post("/staff/review/", {"text": "", "action": "check"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"text": ["这个字段是必填项。"]}


# ---------------------------------------------------------------- public error report


def test_report_form_prefills_page(client):
    response = client.get("/report-error/?page=/policies/%3Fq%3D1")
    assert response.status_code == 200
    assert response.context["form"].initial == {"page_url": "/policies/?q=1"}


def test_report_submit_and_thanks(client):
    response = client.post(
        "/report-error/",
        {
            "page_url": "/policies/",
            "description": "第二段有错别字“共合国”。",
            "contact": "13812341234",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/report-error/thanks/"
    report = ErrorReport.objects.get()
    assert (report.page_url, report.description, report.contact, report.status) == (
        "/policies/",
        "第二段有错别字“共合国”。",
        "13812341234",
        "new",
    )
    assert AuditEntry.objects.filter(
        action="create", target_type="oversight.errorreport", target_id=str(report.pk)
    ).exists()
    thanks = client.get("/report-error/thanks/")
    assert f"您的找错报告已提交，编号 {report.pk}。" in thanks.content.decode()


@pytest.mark.parametrize(
    ("page_url", "error"),
    [
        ("javascript:alert(1)", "请填写本网站页面的地址，例如 /policies/ 或 https://…"),
        ("//evil.example/x", "请填写本网站页面的地址，例如 /policies/ 或 https://…"),
        ("", "这个字段是必填项。"),
    ],
)
def test_report_bad_page_is_refused(client, page_url, error):
    response = client.post("/report-error/", {"page_url": page_url, "description": "错了"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"page_url": [error]}
    assert ErrorReport.objects.count() == 0


def test_report_needs_description(client):
    response = client.post("/report-error/", {"page_url": "/", "description": "  "})
    assert response.context["form"].errors == {"description": ["这个字段是必填项。"]}
    assert ErrorReport.objects.count() == 0


# ---------------------------------------------------------------- staff queue


@pytest.fixture
def reports(db):
    first = ErrorReportFactory.create(page_url="/a/", description="甲", contact="13812341234")
    second = ErrorReportFactory.create(
        page_url="/b/", description="乙", contact="zhang@example.com", status="answered"
    )
    return first, second


def test_queue_lists_new_reports_with_masked_contact(client, org_tree, make_staff, reports):
    client.force_login(make_staff(Role.EDITOR, org_tree["finance"]))
    response = client.get("/staff/review/error-reports/")
    html = response.content.decode()
    assert [r.pk for r, _c in response.context["rows"]] == [reports[0].pk]
    assert "138****1234" in html
    assert "13812341234" not in html
    assert "共收到 2 条，待处理 1 条，已答复 1 条。" in html
    everything = client.get("/staff/review/error-reports/?status=all")
    assert [r.pk for r, _c in everything.context["rows"]] == [reports[1].pk, reports[0].pk]
    assert "z***@example.com" in everything.content.decode()


def test_admin_answers_a_report(client, org_tree, make_staff, reports):
    admin = make_staff(Role.ADMIN, org_tree["office"])
    client.force_login(admin)
    url = f"/staff/review/error-reports/{reports[0].pk}/"
    response = client.post(url, {"answer": "已改正，谢谢。"})
    assert response.status_code == 302
    report = ErrorReport.objects.get(pk=reports[0].pk)
    assert (report.status, report.answer, report.answered_by) == (
        "answered",
        "已改正，谢谢。",
        admin,
    )
    entry = AuditEntry.objects.get(target_type="oversight.errorreport", target_id=str(report.pk))
    assert entry.detail == {"from": "new", "to": "answered", "answer": "已改正，谢谢。"}


def test_editor_cannot_answer(client, org_tree, make_staff, reports):
    client.force_login(make_staff(Role.EDITOR, org_tree["finance"]))
    url = f"/staff/review/error-reports/{reports[0].pk}/"
    assert client.get(url).status_code == 403
    response = client.post(url, {"answer": "好"})
    assert response.status_code == 403
    report = ErrorReport.objects.get(pk=reports[0].pk)
    assert (report.status, report.answer) == ("new", "")
    assert not AuditEntry.objects.filter(target_type="oversight.errorreport").exists()


def test_empty_answer_is_refused(client, org_tree, make_staff, reports):
    client.force_login(make_staff(Role.ADMIN, org_tree["office"]))
    url = f"/staff/review/error-reports/{reports[0].pk}/"
    response = client.post(url, {"answer": ""})
    assert response.status_code == 200
    assert response.context["form"].errors == {"answer": ["这个字段是必填项。"]}
    assert ErrorReport.objects.get(pk=reports[0].pk).status == "new"


# ---------------------------------------------------------------- wordlist page


def test_admin_uploads_a_wordlist(client, org_tree, make_staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(make_staff(Role.ADMIN, org_tree["office"]))
    upload = SimpleUploadedFile(
        "words.csv", "\ufeffword,category,suggestion\n共合国,错别字,共和国\n".encode()
    )
    response = client.post("/staff/review/wordlist/", {"action": "upload", "file": upload})
    assert response.status_code == 302
    assert list(WordlistEntry.objects.values_list("word", "category", "suggestion")) == [
        ("共合国", "typo", "共和国")
    ]
    page = client.get("/staff/review/wordlist/").content.decode()
    assert "导入完成：新增 1 条，更新 0 条，未变 0 条。" in page


def test_bad_upload_lists_lines_and_imports_nothing(client, org_tree, make_staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(make_staff(Role.ADMIN, org_tree["office"]))
    upload = SimpleUploadedFile("w.csv", "word,category,suggestion\n甲,其他,\n,其他,\n".encode())
    response = client.post("/staff/review/wordlist/", {"action": "upload", "file": upload})
    assert response.status_code == 200
    assert response.context["upload_errors"] == ["第3行：词语为空。"]
    assert WordlistEntry.objects.count() == 0


def test_admin_adds_and_deletes_a_word(client, org_tree, make_staff):
    client.force_login(make_staff(Role.ADMIN, org_tree["office"]))
    response = client.post(
        "/staff/review/wordlist/",
        {"action": "entry", "word": " 某词 ", "category": "sensitive", "blocking": "default"},
    )
    assert response.status_code == 302
    entry = WordlistEntry.objects.get()
    assert (entry.word, entry.category, entry.is_blocking) == ("某词", "sensitive", True)
    client.post(
        "/staff/review/wordlist/",
        {"action": "entry", "word": "某词", "category": "sensitive", "blocking": "warn"},
    )
    entry.refresh_from_db()
    assert entry.is_blocking is False
    assert client.post(f"/staff/review/wordlist/{entry.pk}/delete/").status_code == 302
    assert WordlistEntry.objects.count() == 0
    assert list(
        AuditEntry.objects.filter(target_type="checks.wordlistentry")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["create", "edit", "delete"]


def test_editor_sees_but_cannot_change_the_wordlist(client, org_tree, make_staff):
    entry = WordlistEntryFactory.create(word="某词", category="other")
    client.force_login(make_staff(Role.EDITOR, org_tree["finance"]))
    page = client.get("/staff/review/wordlist/")
    assert page.status_code == 200
    assert page.context["may_edit"] is False
    response = client.post(
        "/staff/review/wordlist/", {"action": "entry", "word": "新词", "category": "other"}
    )
    assert response.status_code == 403
    assert client.post(f"/staff/review/wordlist/{entry.pk}/delete/").status_code == 403
    assert list(WordlistEntry.objects.values_list("word", flat=True)) == ["某词"]


def test_queue_query_count_does_not_grow_with_rows(client, org_tree, make_staff, reports):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    admin = make_staff(Role.ADMIN, org_tree["office"])
    client.force_login(admin)
    with CaptureQueriesContext(connection) as few:
        client.get("/staff/review/error-reports/?status=all")
    for n in range(20):
        ErrorReportFactory.create(
            page_url=f"/p{n}/", description="x", status="answered", answered_by=admin
        )
    with CaptureQueriesContext(connection) as many:
        client.get("/staff/review/error-reports/?status=all")
    assert len(many) == len(few)
