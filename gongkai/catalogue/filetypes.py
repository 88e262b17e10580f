"""Attachment type sniffing and text extraction: pure functions over bytes, no ORM.

The type is decided by the content (magic bytes), never by the name a browser sends; the file
name's extension must agree with the content, so a renamed executable or an image called
"通知.pdf" is refused.
"""

import io
import zipfile
from pathlib import PurePath

PDF, DOCX, DOC, XLSX, XLS, PNG, JPEG, GIF = (
    "pdf",
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
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    DOC: "application/msword",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    XLS: "application/vnd.ms-excel",
    PNG: "image/png",
    JPEG: "image/jpeg",
    GIF: "image/gif",
}

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def kind_from_name(filename: str) -> str | None:
    return EXTENSIONS.get(PurePath(filename).suffix.lower())


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
        # The OLE2 directory names its streams in UTF-16LE: Word keeps "WordDocument",
        # Excel "Workbook" (BIFF8) or "Book" (BIFF5).
        if "WordDocument".encode("utf-16-le") in content:
            return DOC
        if "Workbook".encode("utf-16-le") in content or "Book".encode("utf-16-le") in content:
            return XLS
        return None
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, ValueError):
            return None
        if any(n.startswith("word/") for n in names):
            return DOCX
        if any(n.startswith("xl/") for n in names):
            return XLSX
    return None


class ExtractionError(Exception):
    pass


def extract_text(kind: str, content: bytes) -> str:
    """Searchable text of a document; images and the old binary Office formats give ""."""
    try:
        if kind == PDF:
            return _pdf_text(content)
        if kind == DOCX:
            return _docx_text(content)
        if kind == XLSX:
            return _xlsx_text(content)
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
    parts = [p.text for p in document.paragraphs if p.text.strip()]
    for table in document.tables:
        for row in table.rows:
            cells = [cell.text.strip() for cell in row.cells]
            if any(cells):
                parts.append("\t".join(cells))
    return "\n".join(parts).strip()


def _xlsx_text(content: bytes) -> str:
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        lines = []
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows(values_only=True):
                values = ["" if v is None else str(v) for v in row]
                if any(values):
                    lines.append("\t".join(values).rstrip("\t"))
        return "\n".join(lines).strip()
    finally:
        workbook.close()
