import io
import struct
import zlib

import docx
import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.catalogue import filetypes
from gongkai.catalogue.models import Attachment
from gongkai.catalogue.services import attachment_add, item_create, item_publish
from gongkai.core.models import AuditEntry
from gongkai.review.testing import mark_approved


def png_bytes() -> bytes:
    """A real 1×1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def pdf_bytes() -> bytes:
    from weasyprint import HTML

    return HTML(
        string='<html lang="zh-CN"><body><p>杭东市财政局2026年部门预算公开说明</p></body></html>'
    ).write_pdf()


def docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("关于开展政务公开第三方评估的通知")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "项目"
    table.cell(0, 1).text = "分值"
    table.cell(1, 0).text = "主动公开"
    table.cell(1, 1).text = "40"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["部门", "预算（万元）"])
    sheet.append(["市财政局", 1250.5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def item(org_tree, editor):
    return item_create(
        organisation=org_tree["finance"], data={"title": "预算公开"}, acting_user=editor
    )


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


def test_pdf_text_extracted_and_stored_with_hash(media, item, editor):
    content = pdf_bytes()
    att = attachment_add(
        item=item,
        uploaded_file=SimpleUploadedFile("2026年预算公开说明.pdf", content),
        acting_user=editor,
    )
    att.refresh_from_db()
    assert att.file_kind == "pdf"
    assert att.original_name == "2026年预算公开说明.pdf"
    assert att.size == len(content)
    assert len(att.sha256) == 64
    assert "杭东市财政局2026年部门预算公开说明" in att.extracted_text.replace(" ", "")
    assert att.file.read() == content
    entry = AuditEntry.objects.get(action="edit", target_id=str(item.pk))
    assert entry.detail["attachment_added"] == "2026年预算公开说明.pdf"


def test_docx_paragraphs_and_tables_extracted(media, item, editor):
    att = attachment_add(
        item=item,
        uploaded_file=SimpleUploadedFile("评估通知.docx", docx_bytes()),
        acting_user=editor,
    )
    assert att.file_kind == "docx"
    assert att.extracted_text == "关于开展政务公开第三方评估的通知\n项目\t分值\n主动公开\t40"


def test_xlsx_cell_values_extracted(media, item, editor):
    att = attachment_add(
        item=item, uploaded_file=SimpleUploadedFile("预算表.xlsx", xlsx_bytes()), acting_user=editor
    )
    assert att.file_kind == "xlsx"
    assert att.extracted_text == "部门\t预算（万元）\n市财政局\t1250.5"


def test_image_accepted_without_text(media, item, editor):
    att = attachment_add(
        item=item, uploaded_file=SimpleUploadedFile("一图读懂.PNG", png_bytes()), acting_user=editor
    )
    assert (att.file_kind, att.extracted_text) == ("png", "")


def test_png_named_pdf_is_rejected_and_nothing_saved(media, item, editor):
    with pytest.raises(
        ValidationError,
        match=r"附件“通知\.pdf”的内容与扩展名不符：扩展名表示PDF文档，实际内容是PNG图片",
    ) as info:
        attachment_add(
            item=item,
            uploaded_file=SimpleUploadedFile("通知.pdf", png_bytes()),
            acting_user=editor,
        )
    assert info.value.messages == [
        "附件“通知.pdf”的内容与扩展名不符：扩展名表示PDF文档，实际内容是PNG图片"
    ]
    assert Attachment.objects.count() == 0
    assert stored_files(media) == []
    assert not AuditEntry.objects.filter(action="edit").exists()


def test_docx_named_xlsx_and_unknown_content_rejected(media, item, editor):
    with pytest.raises(
        ValidationError,
        match=r"附件“表\.xlsx”的内容与扩展名不符：扩展名表示Excel表格，实际内容是Word文档",
    ) as info:
        attachment_add(
            item=item, uploaded_file=SimpleUploadedFile("表.xlsx", docx_bytes()), acting_user=editor
        )
    assert info.value.messages == [
        "附件“表.xlsx”的内容与扩展名不符：扩展名表示Excel表格，实际内容是Word文档"
    ]
    with pytest.raises(
        ValidationError,
        match=r"附件“说明\.doc”的内容与扩展名不符：扩展名表示Word 97-2003文档，实际内容无法识别",
    ) as info:
        attachment_add(
            item=item,
            uploaded_file=SimpleUploadedFile("说明.doc", b"MZ\x90\x00 this is an executable"),
            acting_user=editor,
        )
    assert info.value.messages == [
        "附件“说明.doc”的内容与扩展名不符：扩展名表示Word 97-2003文档，实际内容无法识别"
    ]
    with pytest.raises(
        ValidationError,
        match=r"附件“run\.exe”的类型不受支持，只能上传PDF、OFD、Word、Excel或图片（PNG、JPEG、GIF）",
    ) as info:
        attachment_add(
            item=item,
            uploaded_file=SimpleUploadedFile("run.exe", b"MZ\x90\x00"),
            acting_user=editor,
        )
    assert info.value.messages == [
        "附件“run.exe”的类型不受支持，只能上传PDF、OFD、Word、Excel或图片（PNG、JPEG、GIF）"
    ]
    assert Attachment.objects.count() == 0
    assert stored_files(media) == []


def test_oversize_rejected_and_nothing_saved(media, settings, item, editor):
    settings.GONGKAI_MAX_ATTACHMENT_BYTES = 1024 * 1024
    content = b"%PDF-1.7\n" + b"0" * (1024 * 1024)
    with pytest.raises(
        ValidationError, match=r"附件“大文件\.pdf”大小为1\.01MB，超过上限1MB"
    ) as info:
        attachment_add(
            item=item, uploaded_file=SimpleUploadedFile("大文件.pdf", content), acting_user=editor
        )
    assert info.value.messages == ["附件“大文件.pdf”大小为1.01MB，超过上限1MB"]
    assert Attachment.objects.count() == 0
    assert stored_files(media) == []


def test_damaged_pdf_rejected(media, item, editor):
    with pytest.raises(ValidationError, match=r"附件“坏文件\.pdf”已损坏或无法读取") as info:
        attachment_add(
            item=item,
            uploaded_file=SimpleUploadedFile("坏文件.pdf", b"%PDF-1.4\nnot really a pdf"),
            acting_user=editor,
        )
    assert info.value.messages == ["附件“坏文件.pdf”已损坏或无法读取"]
    assert stored_files(media) == []


def test_sniff_ole2_word_and_excel():
    word = filetypes.OLE2_MAGIC + b"\x00" * 100 + "WordDocument".encode("utf-16-le")
    excel = filetypes.OLE2_MAGIC + b"\x00" * 100 + "Workbook".encode("utf-16-le")
    assert filetypes.sniff_kind(word) == "doc"
    assert filetypes.sniff_kind(excel) == "xls"
    assert filetypes.sniff_kind(b"GIF89a...") == "gif"
    assert filetypes.sniff_kind(b"\xff\xd8\xff\xe0") == "jpeg"


def test_download_uses_original_name_and_respects_visibility(
    media, client, org_tree, item, editor, office_editor
):
    att = attachment_add(
        item=item, uploaded_file=SimpleUploadedFile("预算表.xlsx", xlsx_bytes()), acting_user=editor
    )
    url = reverse("staff:items_attachment_download", args=[att.pk])
    assert client.get(url).status_code == 404  # draft: anonymous visitors learn nothing
    client.force_login(office_editor)
    assert client.get(url).status_code == 403  # another department's draft
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E9%A2%84%E7%AE%97%E8%A1%A8.xlsx"
    )
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert b"".join(response.streaming_content) == att.file.open("rb").read()
    mark_approved(item)
    item_publish(item=item, acting_user=editor)
    client.logout()
    assert client.get(url).status_code == 200
