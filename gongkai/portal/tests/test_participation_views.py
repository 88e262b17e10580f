"""View tests moved from gongkai/participation/tests/test_views.py (issue 11 item 7)."""

import io

import pytest

from gongkai.accounts.models import Role
from gongkai.core.status import ContentStatus
from gongkai.participation.models import Comment
from gongkai.participation.tests.factories import CommentFactory, ConsultationFactory
from gongkai.participation.tests.page_helpers import (
    _with_published_feedback,
    closed_consultation,
    open_consultation,
)

pytestmark = pytest.mark.django_db


def test_public_list_and_page_show_days_left(client):
    c = open_consultation()
    ConsultationFactory(status=ContentStatus.DRAFT, title="未发布的草稿")
    r = client.get("/participation/consultations/?state=open")
    html = r.content.decode()
    assert c.title in html
    assert "正在征集（剩余26天）" in html
    assert "未发布的草稿" not in html
    page = client.get(f"/participation/consultations/{c.pk}/").content.decode()
    assert "正在征集，剩余26天（含今天）" in page
    assert "根据《优化营商环境条例》起草。" in page  # 起草说明


def test_public_comment_is_held_masked_and_private_ones_never_shown(client):
    c = open_consultation()
    r = client.post(
        f"/participation/consultations/{c.pk}/",
        {"body": "联系电话13912345678，建议延长申报期。", "is_public": "on", "author_name": "赵六"},
    )
    assert r.status_code == 302
    comment = Comment.objects.get()
    assert comment.moderation == "pending"
    page = client.get(f"/participation/consultations/{c.pk}/").content.decode()
    assert "建议延长申报期" not in page  # 先审后发
    Comment.objects.filter(pk=comment.pk).update(moderation="approved")
    CommentFactory(consultation=c, body="不愿公开的意见", is_public=False)
    page = client.get(f"/participation/consultations/{c.pk}/").content.decode()
    assert "联系电话139****5678，建议延长申报期。" in page
    assert "13912345678" not in page
    assert "赵**" in page
    assert "不愿公开的意见" not in page


def test_comment_on_closed_consultation_refused_with_a_message(client):
    c = closed_consultation()
    r = client.post(f"/participation/consultations/{c.pk}/", {"body": "迟到的意见"})
    assert r.status_code == 400
    assert "不再接受意见" in r.content.decode()
    assert not Comment.objects.exists()


def test_unpublished_consultation_is_not_found(client):
    c = ConsultationFactory(status=ContentStatus.IN_REVIEW)
    assert client.get(f"/participation/consultations/{c.pk}/").status_code == 404


def test_public_page_shows_feedback_and_docx_download(client, org_tree, make_staff):
    editor = make_staff(Role.EDITOR, org_tree["office"])
    c = _with_published_feedback(org_tree["office"], editor)
    html = client.get(f"/participation/consultations/{c.pk}/").content.decode()
    assert "意见采纳情况反馈" in html
    assert "备案为法定程序" in html
    assert "<td>4</td><td>0</td><td>1</td><td>0</td><td>0</td><td>5</td>" in html
    r = client.get(f"/participation/consultations/{c.pk}/feedback.docx")
    assert r.status_code == 200
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    assert "共收到意见5条" in text
    assert "采纳4条；部分采纳0条；不予采纳1条；已有规定0条；其他0条。" in text
    assert "取消备案（不予采纳）：备案为法定程序" in text


def test_feedback_pdf_has_the_counts(client, org_tree, make_staff):
    from pypdf import PdfReader

    editor = make_staff(Role.EDITOR, org_tree["office"])
    c = _with_published_feedback(org_tree["office"], editor)
    r = client.get(f"/participation/consultations/{c.pk}/feedback.pdf")
    assert r["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(r.content)).pages)
    text = "".join(text.split())
    assert "采纳4条；部分采纳0条；不予采纳1条" in text
    assert "备案为法定程序" in text


def test_feedback_pdf_without_fonts_says_why(client, org_tree, make_staff, no_chinese_fonts):
    editor = make_staff(Role.EDITOR, org_tree["office"])
    c = _with_published_feedback(org_tree["office"], editor)
    r = client.get(f"/participation/consultations/{c.pk}/feedback.pdf")
    assert r.status_code == 503
    assert "服务器缺少中文字体" in r.content.decode()
    assert client.get(f"/participation/consultations/{c.pk}/feedback.docx").status_code == 200


def test_no_feedback_files_before_publication(client, org_tree, make_staff):
    c = closed_consultation(organisation=org_tree["office"])
    assert client.get(f"/participation/consultations/{c.pk}/feedback.docx").status_code == 404
