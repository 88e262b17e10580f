"""Attachment type sniffing and text extraction: pure functions over bytes, no ORM.

The type is decided by the content (magic bytes), never by the name a browser sends; the file
name's extension must agree with the content, so a renamed executable or an image called
"通知.pdf" is refused.
"""

import io
import zipfile
from pathlib import PurePath

PDF, OFD, DOCX, DOC, XLSX, XLS, PNG, JPEG, GIF = (
    "pdf",
    "ofd",
    "docx",
    "doc",
    "xlsx",
    "xls",
    "png",
    "jpeg",
    "gif",
)

EXTENSIONS: dict[str, str] = {
    ".pdf": PDF,
    ".ofd": OFD,
    ".docx": DOCX,
    ".doc": DOC,
    ".xlsx": XLSX,
    ".xls": XLS,
    ".png": PNG,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".gif": GIF,
}

KIND_LABELS: dict[str, str] = {
    PDF: "PDF文档",
    OFD: "OFD版式文档",
    DOCX: "Word文档",
    DOC: "Word 97-2003文档",
    XLSX: "Excel表格",
    XLS: "Excel 97-2003表格",
    PNG: "PNG图片",
    JPEG: "JPEG图片",
    GIF: "GIF图片",
}

CONTENT_TYPES: dict[str, str] = {
    PDF: "application/pdf",
    OFD: "application/ofd",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    DOC: "application/msword",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    XLS: "application/vnd.ms-excel",
    PNG: "image/png",
    JPEG: "image/jpeg",
    GIF: "image/gif",
}

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# DOCX and XLSX are ZIP archives: a few hundred KB can inflate to gigabytes of XML that the
# parsers hold in memory (a "decompression bomb"). The archive's directory is checked before
# anything is inflated; Python's zipfile never inflates an entry past its declared size, so
# the declared sizes are the real bounds.
ZIP_MAX_ENTRIES = 2000
ZIP_MAX_TOTAL_BYTES = 200 * 1024 * 1024  # everything, images included
ZIP_MAX_XML_BYTES = 40 * 1024 * 1024  # what the parsers load as XML trees
ZIP_MAX_RATIO = 100  # per entry above ZIP_RATIO_FLOOR; ordinary Office XML stays below ~30
ZIP_RATIO_FLOOR = 1024 * 1024
# The extracted text stored for search: enough for any real document, bounded for the rest.
MAX_TEXT_CHARS = 2_000_000


def kind_from_name(filename: str) -> str | None:
    return EXTENSIONS.get(PurePath(filename).suffix.lower())


def _sniff_ole2(content: bytes) -> str | None:
    """An OLE2 compound file: legacy Word or Excel, told apart by its stream names."""
    # The OLE2 directory names its streams in UTF-16LE: Word keeps "WordDocument",
    # Excel "Workbook" (BIFF8) or "Book" (BIFF5).
    if "WordDocument".encode("utf-16-le") in content:
        return DOC
    if "Workbook".encode("utf-16-le") in content or "Book".encode("utf-16-le") in content:
        return XLS
    return None


def sniff_kind(content: bytes) -> str | None:
    """The file kind its bytes show, or None when it is none of the accepted kinds."""
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if content.startswith(OLE2_MAGIC):
        return _sniff_ole2(content)
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, ValueError):
            return None
        # OFD (GB/T 33190, the national fixed-layout format) is a ZIP whose entry point is the
        # OFD.xml at the archive's root.
        if "OFD.xml" in names:
            return OFD
        if any(n.startswith("word/") for n in names):
            return DOCX
        if any(n.startswith("xl/") for n in names):
            return XLSX
    return None


class ExtractionError(Exception):
    pass


class ArchiveRefused(ExtractionError):
    """A DOCX/XLSX whose archive would inflate beyond the limits; the message is for users."""


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.0f}"


def check_archive(content: bytes) -> None:
    """Refuse a ZIP-based document whose directory announces a decompression bomb."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ExtractionError(str(exc)) from exc
    if len(entries) > ZIP_MAX_ENTRIES:
        raise ArchiveRefused(
            f"文件内部包含{len(entries)}个部件，超过上限{ZIP_MAX_ENTRIES}个，疑似异常文件，已拒绝"
        )
    total = sum(e.file_size for e in entries)
    if total > ZIP_MAX_TOTAL_BYTES:
        raise ArchiveRefused(
            f"文件解压后约{_megabytes(total)}MB，超过上限{_megabytes(ZIP_MAX_TOTAL_BYTES)}MB，"
            "疑似“压缩炸弹”，已拒绝"
        )
    xml = sum(e.file_size for e in entries if e.filename.lower().endswith((".xml", ".rels")))
    if xml > ZIP_MAX_XML_BYTES:
        raise ArchiveRefused(
            f"文件中的文字内容解压后约{_megabytes(xml)}MB，超过上限"
            f"{_megabytes(ZIP_MAX_XML_BYTES)}MB，疑似“压缩炸弹”，已拒绝"
        )
    for e in entries:
        if e.file_size > ZIP_RATIO_FLOOR and e.file_size > ZIP_MAX_RATIO * max(e.compress_size, 1):
            raise ArchiveRefused(
                f"文件部件“{e.filename[:100]}”的压缩比超过{ZIP_MAX_RATIO}倍，疑似“压缩炸弹”，已拒绝"
            )


def extract_text(kind: str, content: bytes) -> str:
    """Searchable text of a document; images and the old binary Office formats give "".

    DOCX, XLSX and OFD pass ``check_archive`` first; the text is cut at ``MAX_TEXT_CHARS``.
    OFD gives "" (no maintained Python reader); its 原文 is the web text beside it.
    """
    if kind in (DOCX, XLSX, OFD):
        check_archive(content)
    try:
        if kind == PDF:
            return _pdf_text(content)[:MAX_TEXT_CHARS]
        if kind == DOCX:
            return _docx_text(content)[:MAX_TEXT_CHARS]
        if kind == XLSX:
            return _xlsx_text(content)[:MAX_TEXT_CHARS]
    except Exception as exc:  # the parsers raise many kinds; any of them means "unreadable"
        raise ExtractionError(str(exc)) from exc
    return ""


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    return "\n".join((page.extract_text() or "").strip() for page in reader.pages).strip()


def _docx_text(content: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(content))
    parts: list[str] = []
    budget = MAX_TEXT_CHARS
    for p in document.paragraphs:
        if budget <= 0:
            return "\n".join(parts).strip()
        if p.text.strip():
            parts.append(p.text)
            budget -= len(p.text) + 1
    for table in document.tables:
        for row in table.rows:
            if budget <= 0:
                return "\n".join(parts).strip()
            cells = [cell.text.strip() for cell in row.cells]
            if any(cells):
                parts.append("\t".join(cells))
                budget -= sum(len(c) + 1 for c in cells)
    return "\n".join(parts).strip()


def _xlsx_text(content: bytes) -> str:
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        lines: list[str] = []
        budget = MAX_TEXT_CHARS
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows(values_only=True):
                if budget <= 0:
                    return "\n".join(lines).strip()
                values = ["" if v is None else str(v) for v in row]
                if any(values):
                    line = "\t".join(values).rstrip("\t")
                    lines.append(line)
                    budget -= len(line) + 1
        return "\n".join(lines).strip()
    finally:
        workbook.close()
