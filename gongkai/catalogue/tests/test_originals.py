"""原文 beside the web text (issue 15, item 14): PDF or OFD attachments marked as 原文 are
offered prominently on the public item page; OFD is sniffed as a ZIP with OFD.xml."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.catalogue import filetypes
from gongkai.catalogue.models import Attachment
from gongkai.catalogue.services import attachment_add, item_create, item_publish
from gongkai.catalogue.tests.test_attachments import docx_bytes, pdf_bytes
from gongkai.core.models import AuditEntry
from gongkai.review.testing import mark_approved

pytestmark = pytest.mark.django_db


def ofd_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("OFD.xml", '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"/>')
        archive.writestr("Doc_0/Document.xml", "<ofd:Document/>")
    return buffer.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def item(org_tree, editor):
    return item_create(
        organisation=org_tree["finance"],
        data={"title": "杭东市财政局关于预算公开的通知", "body": "<p>网页正文</p>"},
        acting_user=editor,
    )


def test_ofd_is_sniffed_from_its_root_ofd_xml():
    assert filetypes.sniff_kind(ofd_bytes()) == "ofd"
    assert filetypes.kind_from_name("通知.OFD") == "ofd"
    assert filetypes.sniff_kind(docx_bytes()) == "docx"


def test_originals_are_shown_before_the_web_text_and_other_attachments_stay_below(
    client, media, item, editor
):
    attachment_add(
        item=item,
        uploaded_file=SimpleUploadedFile("预算公开通知.pdf", pdf_bytes()),
        acting_user=editor,
        is_original=True,
    )
    attachment_add(
        item=item,
        uploaded_file=SimpleUploadedFile("预算公开通知.ofd", ofd_bytes()),
        acting_user=editor,
        is_original=True,
    )
    attachment_add(
        item=item,
        uploaded_file=SimpleUploadedFile("附表.docx", docx_bytes()),
        acting_user=editor,
    )
    mark_approved(item)
    item_publish(item=item, acting_user=editor)
    html = client.get(f"/items/{item.pk}/").content.decode()
    pdf, ofd, table = Attachment.objects.order_by("sort_order")
    assert (pdf.file_kind, ofd.file_kind, table.file_kind) == ("pdf", "ofd", "docx")
    originals = html[html.index('<h2 id="h-originals">原文下载</h2>') : html.index("网页正文")]
    assert f'<a class="button" href="/attachments/{pdf.pk}/download/">下载原文（PDF）</a>' in (
        originals
    )
    assert f'<a class="button" href="/attachments/{ofd.pk}/download/">下载原文（OFD）</a>' in (
        originals
    )
    assert "附表.docx" not in originals
    rest = html[html.index('<h2 id="h-attachments">附件</h2>') :]
    assert f'<a href="/attachments/{table.pk}/download/">附表.docx</a>' in rest
    assert "预算公开通知.pdf" not in rest
    response = client.get(f"/attachments/{ofd.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ofd"


def test_only_pdf_or_ofd_may_be_marked_original(media, item, editor):
    with pytest.raises(ValidationError, match=r"附件“附表\.docx”是Word文档，只有PDF或OFD"):
        attachment_add(
            item=item,
            uploaded_file=SimpleUploadedFile("附表.docx", docx_bytes()),
            acting_user=editor,
            is_original=True,
        )
    assert Attachment.objects.count() == 0
    assert not AuditEntry.objects.filter(target_id=str(item.pk), action="edit").exists()
    assert [p for p in media.rglob("*") if p.is_file()] == []
