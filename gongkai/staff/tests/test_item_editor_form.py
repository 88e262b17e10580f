"""The item form of issue 15 item 1: the editor widget, required marks, 定时发布, the
行政规范性文件 fields, .docx import and attachments chosen before the first save."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from docx import Document

from gongkai.accounts.models import Role
from gongkai.catalogue.models import Attachment, InformationItem
from gongkai.catalogue.services import item_create, item_update
from gongkai.catalogue.tests.test_attachments import png_bytes
from gongkai.review import chain_services as cs
from gongkai.review.tests.factories import ReviewChainFactory


def _docx(*paragraphs: str, heading: str = "") -> SimpleUploadedFile:
    document = Document()
    if heading:
        document.add_heading(heading, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return SimpleUploadedFile(
        "办法.docx",
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


def _post(client, url, **fields):
    data = {"title": "杭东市小微企业稳岗补贴实施办法", "disclosure": "proactive", **fields}
    return client.post(url, data)


def test_form_page_has_the_editor_its_assets_and_required_marks(client, editor):
    client.force_login(editor)
    response = client.get(reverse("staff:items_create"))
    content = response.content.decode()
    assert 'data-django-prose-editor-configurable="' in content
    # Served by us: the editor's modules come from our static files through the import map.
    assert '<script type="importmap" nonce="' in content
    assert '"django-prose-editor/editor": "/static/django_prose_editor/editor.js"' in content
    assert "/static/gongkai/editor-wordpaste.js" in content
    assert "https://" not in content.split("<body")[0]
    nonce = content.split('<script type="importmap" nonce="')[1].split('"')[0]
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    assert 'for="id_title">信息名称 <span class="required" aria-hidden="true">*</span>' in content
    assert 'for="id_doc_number">文号</label>' in content
    # Optional to save a draft, required before submission (the blocking metadata checks).
    assert (
        'for="id_summary">内容概述 <span class="required-later">（提交审核前必填）</span>'
        in content
    )
    for label in ("定时发布时间", "施行日期", "有效期至", "统一登记号", "从Word导入正文", "附件"):
        assert f">{label}" in content, label


def test_pages_without_the_editor_send_no_nonce(client, editor):
    client.force_login(editor)
    response = client.get(reverse("staff:items_list"))
    assert "nonce-" not in response["Content-Security-Policy"]


def test_create_with_attachments_and_normative_fields(client, org_tree, editor):
    client.force_login(editor)
    response = client.post(
        reverse("staff:items_create"),
        {
            "organisation": org_tree["finance"].pk,
            "title": "杭东市小微企业稳岗补贴实施办法",
            "disclosure": "proactive",
            "policy_kind": "normative",
            "written_date": "2026-03-02",
            "effective_date": "2026-04-01",
            "expiry_date": "2031-03-31",
            "registration_number": "ZJSP01-2026-0003",
            "body": '<h2>总则</h2><p onclick="x()">第一条</p><script>alert(1)</script>',
            "attachments": [
                SimpleUploadedFile("流程图.png", png_bytes(), content_type="image/png"),
                SimpleUploadedFile("第二张.png", png_bytes(), content_type="image/png"),
            ],
        },
    )
    item = InformationItem.objects.get(title="杭东市小微企业稳岗补贴实施办法")
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:items_detail", args=[item.pk])
    assert (item.effective_date, item.expiry_date, item.registration_number) == (
        datetime.date(2026, 4, 1),
        datetime.date(2031, 3, 31),
        "ZJSP01-2026-0003",
    )
    assert item.body == "<h2>总则</h2><p>第一条</p>"
    assert sorted(item.attachments.values_list("original_name", flat=True)) == [
        "流程图.png",
        "第二张.png",
    ]
    detail = client.get(response["Location"]).content.decode()
    assert "统一登记号</th><td>ZJSP01-2026-0003" in detail
    assert "已上传附件：流程图.png、第二张.png。" in detail
    # The edit page offers to insert them into the body, with their full public address.
    edit = client.get(reverse("staff:items_edit", args=[item.pk])).content.decode()
    first = item.attachments.get(original_name="流程图.png")
    assert f'data-insert-href="http://testserver/attachments/{first.pk}/download/"' in edit
    assert "插入图片" in edit


def test_a_bad_attachment_saves_nothing(client, org_tree, editor, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(editor)
    response = client.post(
        reverse("staff:items_create"),
        {
            "organisation": org_tree["finance"].pk,
            "title": "带附件的通知",
            "disclosure": "proactive",
            "attachments": [
                SimpleUploadedFile("流程图.png", png_bytes(), content_type="image/png"),
                SimpleUploadedFile("名单.pdf", b"not a pdf at all", content_type="application/pdf"),
            ],
        },
    )
    assert response.status_code == 200
    assert "附件“名单.pdf”的内容与扩展名不符" in response.content.decode()
    assert not InformationItem.objects.filter(title="带附件的通知").exists()
    assert Attachment.objects.count() == 0
    # The file stored for the good attachment is removed with the rolled-back save.
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_docx_import_fills_the_body_and_returns_to_the_editor(client, org_tree, editor):
    client.force_login(editor)
    response = client.post(
        reverse("staff:items_create"),
        {
            "organisation": org_tree["finance"].pk,
            "title": "稳岗补贴实施办法",
            "disclosure": "proactive",
            "body": "<p>将被替换</p>",
            "body_docx": _docx("第一条　为稳定就业，制定本办法。", heading="第一章　总则"),
        },
    )
    item = InformationItem.objects.get(title="稳岗补贴实施办法")
    assert response["Location"] == reverse("staff:items_edit", args=[item.pk])
    assert item.body == "<h2>第一章　总则</h2><p>第一条　为稳定就业，制定本办法。</p>"
    assert item.body_text == "第一章 总则\n第一条 为稳定就业，制定本办法。"
    page = client.get(response["Location"]).content.decode()
    assert "已从“办法.docx”导入正文，请检查标题、列表和表格后再提交审核。" in page


def test_docx_that_is_not_word_is_refused_and_nothing_saved(client, org_tree, editor):
    client.force_login(editor)
    response = client.post(
        reverse("staff:items_create"),
        {
            "organisation": org_tree["finance"].pk,
            "title": "稳岗补贴实施办法",
            "disclosure": "proactive",
            "body_docx": SimpleUploadedFile("办法.docx", b"plain text"),
        },
    )
    assert response.status_code == 200
    assert "“办法.docx”不是Word文档（.docx）" in response.content.decode()
    assert not InformationItem.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {
                "policy_kind": "normative",
                "effective_date": "2026-03-01",
                "written_date": "2026-03-02",
            },
            "effective_date",
            "施行日期不能早于成文日期",
        ),
        (
            {
                "policy_kind": "normative",
                "effective_date": "2026-04-01",
                "expiry_date": "2026-04-01",
            },
            "expiry_date",
            "有效期至应晚于施行日期",
        ),
        ({"registration_number": "ZJSP01-2026-0003"}, "registration_number", "只有行政规范性文件"),
        (
            {"policy_kind": "normative", "registration_number": "ZJSP 01"},
            "registration_number",
            "统一登记号“ZJSP 01”格式不对",
        ),
    ],
)
def test_normative_fields_are_validated(client, org_tree, editor, fields, field, message):
    client.force_login(editor)
    response = client.post(
        reverse("staff:items_create"),
        {"organisation": org_tree["finance"].pk, "title": "规范性文件", "disclosure": "proactive"}
        | fields,
    )
    assert response.status_code == 200
    assert message in " ".join(str(e) for e in response.context["form"].errors[field])
    assert not InformationItem.objects.exists()


def test_scheduled_time_must_be_in_the_future(client, org_tree, editor):
    client.force_login(editor)
    past = (timezone.localtime() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("staff:items_create"),
        {
            "organisation": org_tree["finance"].pk,
            "title": "定时发布的通知",
            "disclosure": "proactive",
            "scheduled_at": past,
        },
    )
    assert response.context["form"].errors["scheduled_at"] == ["定时发布时间应晚于现在"]
    assert not InformationItem.objects.exists()


def test_scheduled_publication_waits_for_approval_and_the_time(
    client, org_tree, editor, make_staff
):
    """The form's 定时发布时间 is kept; approval alone does not publish before it, the job
    publishes after it with that day as 发布日期 — and never without approval."""
    reviewer = make_staff(Role.REVIEWER, org_tree["finance"], username="fin_rev", review_level=1)
    ReviewChainFactory.create(organisation=org_tree["finance"], content_kind="item", levels=1)
    client.force_login(editor)
    when = timezone.localtime() + datetime.timedelta(days=2)
    client.post(
        reverse("staff:items_create"),
        {
            "organisation": org_tree["finance"].pk,
            "title": "定时发布的通知",
            "written_date": timezone.localdate().isoformat(),
            "summary": "定时发布。",
            "body": "<p>正文</p>",
            "disclosure": "proactive",
            "scheduled_at": when.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    item = InformationItem.objects.get(title="定时发布的通知")
    assert timezone.localtime(item.scheduled_at).strftime("%Y-%m-%d %H:%M") == when.strftime(
        "%Y-%m-%d %H:%M"
    )
    later = when + datetime.timedelta(minutes=5)
    assert cs.review_publish_due(now=later) == []  # not approved: not published
    request = cs.review_submit(content=item, acting_user=editor)
    cs.review_decide(request=request, decision="approve", acting_user=reviewer)
    item.refresh_from_db()
    assert item.status == "approved"
    assert cs.review_publish_due(now=when - datetime.timedelta(minutes=5)) == []
    assert len(cs.review_publish_due(now=later)) == 1
    item.refresh_from_db()
    assert (item.status, item.published_date) == ("published", when.date())


def test_service_refuses_a_schedule_before_the_written_date(org_tree, editor):
    item = item_create(
        organisation=org_tree["finance"],
        data={"title": "通知", "written_date": datetime.date(2026, 5, 10)},
        acting_user=editor,
    )
    early = datetime.datetime(2026, 5, 9, 9, 0, tzinfo=timezone.get_current_timezone())
    with pytest.raises(ValidationError, match="定时发布时间不能早于成文日期"):
        item_update(item=item, data={"scheduled_at": early}, acting_user=editor)
    item.refresh_from_db()
    assert item.scheduled_at is None
