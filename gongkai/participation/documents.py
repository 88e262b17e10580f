"""The 意见采纳情况反馈 as DOCX (python-docx) and PDF (WeasyPrint, ``core.pdf``).

Both are built from the same ``paragraphs(feedback)`` so they never disagree with each other
or with the page: the counts come from the published snapshot, never typed.
"""

from __future__ import annotations

import io
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from gongkai.core.pdf import html_to_pdf
from gongkai.core.text import chinese_date

from .models import Disposition, Feedback


def count_rows(feedback: Feedback) -> list[tuple[str, int]]:
    counts = feedback.counts or {}
    return [(str(label), int(counts.get(value, 0))) for value, label in Disposition.choices]


def paragraphs(feedback: Feedback) -> list[str]:
    consultation = feedback.consultation
    counts = feedback.counts or {}
    out = [
        _("%(org)s于%(start)s至%(end)s就《%(title)s》公开征求意见，共收到意见%(total)d条。")
        % {
            "org": feedback.organisation.name,
            "start": chinese_date(consultation.opens_on),
            "end": chinese_date(consultation.closes_on),
            "title": consultation.title,
            "total": int(counts.get("total", 0)),
        },
        "；".join(f"{label}{n}条" for label, n in count_rows(feedback)) + "。",
    ]
    if feedback.summary:
        out.append(feedback.summary)
    for entry in feedback.offline_summary or []:
        out.append(f"{entry['method']}（{entry['held_on']}）：{entry['summary']}")
    for entry in feedback.non_adoption or []:
        label = Disposition(entry["disposition"]).label
        out.append(f"{entry['title']}（{label}）：{entry['reason']}")
    return out


def render_docx(feedback: Feedback) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc: Any = Document()
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.add_run(feedback.title).bold = True
    for text in paragraphs(feedback):
        doc.add_paragraph(text)
    issued = feedback.published_date or feedback.updated_at.date()
    for line in (feedback.organisation.name, chinese_date(issued)):
        para = doc.add_paragraph(line)
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render_pdf(feedback: Feedback) -> bytes:
    """Raises ``core.pdf.PdfFontsMissing`` when no Chinese font is installed."""
    html = render_to_string(
        "portal/participation/feedback_pdf.html",
        {"feedback": feedback, "paragraphs": paragraphs(feedback)},
    )
    return html_to_pdf(html)
