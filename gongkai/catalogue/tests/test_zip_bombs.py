"""DOCX/XLSX decompression bombs are refused before parsing (issue 19 item 6)."""

import io
import time
import zipfile

import docx
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.catalogue import filetypes
from gongkai.catalogue.models import Attachment
from gongkai.catalogue.services import attachment_add, item_create
from gongkai.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def item(org_tree, editor):
    return item_create(
        organisation=org_tree["finance"], data={"title": "预算公开"}, acting_user=editor
    )


def rebuilt_docx(replace: dict[str, bytes], extra: int = 0) -> bytes:
    """A real DOCX (python-docx) with some parts replaced, optionally with empty extra parts."""
    source = io.BytesIO()
    docx.Document().save(source)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(source) as original,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for info in original.infolist():
            target.writestr(info.filename, replace.get(info.filename, original.read(info)))
        for n in range(extra):
            target.writestr(f"customXml/extra{n}.xml", b"<a/>")
    return out.getvalue()


def bomb_docx(megabytes: int = 60) -> bytes:
    paragraph = b"<w:p><w:r><w:t>" + "重复文字".encode() * 20 + b"</w:t></w:r></w:p>"
    body = paragraph * (megabytes * 1024 * 1024 // len(paragraph))
    document = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body>" + body + b"</w:body></w:document>"
    )
    return rebuilt_docx({"word/document.xml": document})


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


def test_docx_bomb_refused_fast_with_chinese_message_and_nothing_stored(media, item, editor):
    content = bomb_docx(60)
    assert len(content) < 1024 * 1024  # 60 MB of XML in well under a megabyte
    assert filetypes.sniff_kind(content) == filetypes.DOCX
    audit_before = AuditEntry.objects.count()
    started = time.monotonic()
    with pytest.raises(
        ValidationError,
        match=r"附件“通知\.docx”：文件中的文字内容解压后约61MB，超过上限40MB，疑似“压缩炸弹”，已拒绝",
    ) as info:
        attachment_add(
            item=item, uploaded_file=SimpleUploadedFile("通知.docx", content), acting_user=editor
        )
    assert time.monotonic() - started < 2
    assert info.value.messages == [
        "附件“通知.docx”：文件中的文字内容解压后约61MB，超过上限40MB，疑似“压缩炸弹”，已拒绝"
    ]
    assert Attachment.objects.count() == 0
    assert AuditEntry.objects.count() == audit_before
    assert stored_files(media) == []


def test_high_ratio_part_refused_even_under_the_size_cap():
    content = bomb_docx(8)
    with pytest.raises(filetypes.ArchiveRefused, match="压缩比超过100倍"):
        filetypes.extract_text(filetypes.DOCX, content)


def test_too_many_parts_refused():
    content = rebuilt_docx({}, extra=filetypes.ZIP_MAX_ENTRIES)
    with pytest.raises(filetypes.ArchiveRefused, match=r"部件，超过上限2000个"):
        filetypes.extract_text(filetypes.DOCX, content)


def test_text_budget_cuts_long_documents(monkeypatch):
    document = docx.Document()
    for n in range(50):
        document.add_paragraph(f"第{n}段")
    buffer = io.BytesIO()
    document.save(buffer)
    monkeypatch.setattr(filetypes, "MAX_TEXT_CHARS", 20)
    text = filetypes.extract_text(filetypes.DOCX, buffer.getvalue())
    assert text == "第0段\n第1段\n第2段\n第3段\n第4段"[:20]
