"""The reply letter as the applicant gets it: the DOCX read back, and the PDF's text."""

import io
from datetime import date

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from gongkai.core.pdf import cjk_fonts_available
from gongkai.foi.documents import Letter, render_docx, render_pdf


def _letter() -> Letter:
    return Letter(
        title="政府信息公开申请答复书",
        addressee="张三",
        paragraphs=["您于2025年2月3日提出的申请收悉。", "现答复如下。"],
        organisation="杭东市财政局",
        issued=date(2025, 3, 1),
        number="杭财依复〔2025〕1号",
        sections=[("救济途径", "可依法申请行政复议。"), ("备注", "")],
    )


def test_docx_read_back_has_every_part_in_order():
    doc = Document(io.BytesIO(render_docx(_letter())))
    rows = [(p.text, p.alignment) for p in doc.paragraphs]
    centre, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    assert rows == [
        ("杭东市财政局", centre),
        ("政府信息公开申请答复书", centre),
        ("杭财依复〔2025〕1号", right),
        ("张三：", None),
        ("您于2025年2月3日提出的申请收悉。", None),
        ("现答复如下。", None),
        ("救济途径：可依法申请行政复议。", None),  # the empty 备注 section is left out
        ("杭东市财政局", right),
        ("2025年3月1日", right),
    ]
    title = doc.paragraphs[1].runs[0]
    assert title.bold
    assert title.font.size == Pt(18)
    assert doc.paragraphs[4].paragraph_format.first_line_indent == Pt(28)
    assert [r.bold for r in doc.paragraphs[6].runs] == [True, None]
    normal = doc.styles["Normal"]
    assert (normal.font.name, normal.font.size) == ("Noto Serif CJK SC", Pt(14))


def test_docx_without_number_starts_with_the_addressee_after_the_title():
    letter = _letter()
    letter.number = ""
    doc = Document(io.BytesIO(render_docx(letter)))
    assert [p.text for p in doc.paragraphs[:3]] == [
        "杭东市财政局",
        "政府信息公开申请答复书",
        "张三：",
    ]


@pytest.mark.skipif(not cjk_fonts_available(), reason="no Chinese font installed")
def test_pdf_signs_with_the_same_chinese_date():
    from pdfminer.high_level import extract_text

    text = extract_text(io.BytesIO(render_pdf(_letter())))
    assert "2025年3月1日" in text
    assert "2025年03月01日" not in text
    assert "杭财依复〔2025〕1号" in text
