"""Render case documents (答复书, 告知书) as DOCX (python-docx) and PDF (WeasyPrint).

A document is a title, an optional document number line, an addressee, body paragraphs and a
signature block; both formats are built from the same `Letter` so they never disagree.
"""

import io
from dataclasses import dataclass, field
from datetime import date

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


def render_docx(letter: Letter) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Noto Serif CJK SC"
    style.font.size = Pt(14)
    # East-Asian text uses the eastAsia font slot; without it Word falls back to a Latin font.
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Serif CJK SC")

    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(letter.organisation)
    run.bold = True
    run.font.size = Pt(18)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(letter.title)
    run.bold = True
    run.font.size = Pt(18)
    if letter.number:
        number = doc.add_paragraph(letter.number)
        number.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph(f"{letter.addressee}：")
    for text in letter.paragraphs:
        para = doc.add_paragraph(text)
        para.paragraph_format.first_line_indent = Pt(28)
    for section_heading, text in letter.sections:
        if not text:
            continue
        para = doc.add_paragraph()
        para.paragraph_format.first_line_indent = Pt(28)
        run = para.add_run(f"{section_heading}：")
        run.bold = True
        para.add_run(text)
    for line in (letter.organisation, chinese_date(letter.issued)):
        para = doc.add_paragraph(line)
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render_pdf(letter: Letter) -> bytes:
    """Raises gongkai.core.pdf.PdfFontsMissing when no Chinese font is installed."""
    html = render_to_string(
        "staff/foi/letter_pdf.html",
        {"letter": letter},
    )
    return html_to_pdf(html)
