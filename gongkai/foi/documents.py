"""Render case documents (答复书, 告知书) as DOCX (python-docx) and PDF (WeasyPrint).

A document is a title, an optional document number line, an addressee, body paragraphs and a
signature block; both formats are built from the same `Letter` so they never disagree.
"""

import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.template.loader import render_to_string

from gongkai.core.pdf import html_to_pdf

# One Chinese date format for every letter and case event (``documents.chinese_date`` stays the
# name the case services use).
from gongkai.core.text import chinese_date


@dataclass
class Letter:
    title: str
    addressee: str
    paragraphs: list[str]
    organisation: str
    issued: date
    number: str = ""
    sections: list[tuple[str, str]] = field(default_factory=list)  # (heading, text)


# 公文 typography of the letter: 仿宋-like body in 四号 (14pt), title and issuing organisation
# in 二号-like 18pt bold, first lines indented by two characters (2 × 14pt).
_FONT = "Noto Serif CJK SC"
_BODY_PT = 14
_TITLE_PT = 18
_INDENT_PT = 28


def render_docx(letter: Letter) -> bytes:
    """The letter as a Word document: heading, number, addressee, body, sections, signature."""
    from docx import Document

    doc = Document()
    _docx_set_font(doc)
    _docx_heading(doc, letter)
    _docx_body(doc, letter)
    _docx_signature(doc, letter)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _docx_set_font(doc: Any) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    style = doc.styles["Normal"]
    style.font.name = _FONT
    style.font.size = Pt(_BODY_PT)
    # East-Asian text uses the eastAsia font slot; without it Word falls back to a Latin font.
    style.element.rPr.rFonts.set(qn("w:eastAsia"), _FONT)


def _docx_heading(doc: Any, letter: Letter) -> None:
    """Organisation and title centred in bold, then the document number on the right."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    for text in (letter.organisation, letter.title):
        para = doc.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = para.add_run(text)
        run.bold = True
        run.font.size = Pt(_TITLE_PT)
    if letter.number:
        number = doc.add_paragraph(letter.number)
        number.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _docx_body(doc: Any, letter: Letter) -> None:
    """Addressee, indented paragraphs, then each non-empty section with its bold heading."""
    from docx.shared import Pt

    doc.add_paragraph(f"{letter.addressee}：")
    for text in letter.paragraphs:
        para = doc.add_paragraph(text)
        para.paragraph_format.first_line_indent = Pt(_INDENT_PT)
    for section_heading, text in letter.sections:
        if not text:
            continue
        para = doc.add_paragraph()
        para.paragraph_format.first_line_indent = Pt(_INDENT_PT)
        run = para.add_run(f"{section_heading}：")
        run.bold = True
        para.add_run(text)


def _docx_signature(doc: Any, letter: Letter) -> None:
    """The issuing organisation and the date, right-aligned."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    for line in (letter.organisation, chinese_date(letter.issued)):
        para = doc.add_paragraph(line)
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def render_pdf(letter: Letter) -> bytes:
    """Raises gongkai.core.pdf.PdfFontsMissing when no Chinese font is installed."""
    html = render_to_string(
        "staff/foi/letter_pdf.html",
        {"letter": letter},
    )
    return html_to_pdf(html)
