"""Outputs of the annual report: HTML, DOCX (python-docx) and PDF (WeasyPrint), in the layout of
the 2021 national format — merged header cells included."""

import io
from typing import Any

from django.template.loader import render_to_string
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from gongkai.core.pdf import html_to_pdf

from .annual import (
    APPLICANT_COLUMNS,
    COLUMN_LABELS,
    CROSS_CHECK_NOTE,
    GROUP_HEADINGS,
    OUTCOME_CODES,
    RESULTS_HEADING,
    REVIEW_GROUP_LABELS,
    REVIEW_GROUPS,
    REVIEW_RESULT_LABELS,
    REVIEW_RESULTS,
    ROW_LABELS,
    SCOPE_LABELS,
    SECTION_TITLES,
)

PROACTIVE_LABELS = {"rules": "规章", "normative": "行政规范性文件"}


def application_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows of table 三 in print order, with group headings (which carry no figures)."""
    rows = report["applications"]["rows"]
    out: list[dict[str, Any]] = [
        {"key": "new", "label": ROW_LABELS["new"], "values": rows["new"], "level": 0},
        {
            "key": "carried_in",
            "label": ROW_LABELS["carried_in"],
            "values": rows["carried_in"],
            "level": 0,
        },
        {"key": "", "label": RESULTS_HEADING, "values": None, "level": 0},
    ]
    seen_groups: set[str] = set()
    for code in OUTCOME_CODES:
        group = code.split(".")[0]
        if "." in code and group not in seen_groups:
            seen_groups.add(group)
            out.append({"key": "", "label": GROUP_HEADINGS[group], "values": None, "level": 1})
        out.append(
            {
                "key": code,
                "label": ROW_LABELS[code],
                "values": rows[code],
                "level": 2 if "." in code else 1,
            }
        )
    out.append({"key": "total", "label": ROW_LABELS["total"], "values": rows["total"], "level": 1})
    out.append(
        {
            "key": "carried_out",
            "label": ROW_LABELS["carried_out"],
            "values": rows["carried_out"],
            "level": 0,
        }
    )
    # The templates cannot index a dict by a variable: each row also carries its figures as
    # (column, value) pairs in the order of the printed columns.
    columns = report["applications"]["columns"]
    for entry in out:
        values = entry["values"]
        entry["cells"] = None if values is None else [(c, values[c]) for c in columns]
    return out


def scope_line(report: dict[str, Any]) -> str:
    """The printed 统计范围 line (reports published before it was recorded have none)."""
    label = report.get("scope_label") or SCOPE_LABELS.get(report.get("scope", ""), "")
    return f"统计范围：{label}" if label else ""


def context(report: dict[str, Any]) -> dict[str, Any]:
    return {
        "report": report,
        "titles": SECTION_TITLES,
        "application_rows": application_rows(report),
        "applicant_columns": [COLUMN_LABELS[c] for c in APPLICANT_COLUMNS],
        "column_keys": list(report["applications"]["columns"]),
        "cross_check_note": CROSS_CHECK_NOTE,
        "proactive_rows": [
            (PROACTIVE_LABELS[k], report["proactive"]["rows"][k]) for k in ("rules", "normative")
        ],
        "review_groups": [
            (REVIEW_GROUP_LABELS[g], report["reviews"]["rows"][g]) for g in REVIEW_GROUPS
        ],
        "review_cells": [
            report["reviews"]["rows"][g][r] for g in REVIEW_GROUPS for r in REVIEW_RESULTS
        ],
        "scope_line": scope_line(report),
        "review_results": [REVIEW_RESULT_LABELS[r] for r in REVIEW_RESULTS],
        "review_keys": list(REVIEW_RESULTS),
    }


def render_html(report: dict[str, Any], *, standalone: bool = True, drilldown: str = "") -> str:
    template = "reports/annual_standalone.html" if standalone else "reports/annual_body.html"
    # Embedded in a page (staff preview, the published item) the page's own <h1> is the title.
    return render_to_string(
        template, {**context(report), "drilldown": drilldown, "standalone": standalone}
    )


def render_pdf(report: dict[str, Any]) -> bytes:
    """Raises gongkai.core.pdf.PdfFontsMissing when no Chinese font is installed."""
    return html_to_pdf(render_html(report))


def _font(run: Any, size: float = 10.5, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = "Noto Serif CJK SC"
    # Word picks East Asian glyphs from w:eastAsia, not from the Latin font name.
    run._element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Serif CJK SC")


def _cell(cell: Any, text: str, *, bold: bool = False, center: bool = True) -> None:
    cell.text = ""
    paragraph = cell.paragraphs[0]
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run(text), 9, bold)


def _para(
    document: Any, text: str, *, size: float = 12, bold: bool = False, center: bool = False
) -> None:
    paragraph = document.add_paragraph()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run(text), size, bold)


def _docx_table(document: Any, rows: int, cols: int) -> Any:
    table = document.add_table(rows=rows, cols=cols)
    table.style = "Table Grid"
    return table


def _docx_lines(document: Any, text: str) -> None:
    for line in text.splitlines():
        _para(document, line)


def _docx_proactive(document: Any, report: dict[str, Any], ctx: dict[str, Any]) -> None:
    """二、主动公开政府信息情况: the 第二十条 (一), (五)/(六) and (八) tables."""
    table = _docx_table(document, 0, 4)
    header = ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    cells = table.add_row().cells
    for i, text in enumerate(header):
        _cell(cells[i], text, bold=True)
    row = table.add_row().cells
    merged = row[0].merge(row[3])
    _cell(merged, "第二十条第（一）项", bold=True)
    for label, values in ctx["proactive_rows"]:
        cells = table.add_row().cells
        _cell(cells[0], label)
        for i, key in enumerate(("issued", "repealed", "in_force"), start=1):
            _cell(cells[i], str(values[key]))
    decisions = report["proactive"]["decisions"]
    table = _docx_table(document, 0, 2)
    cells = table.add_row().cells
    _cell(cells[0], "信息内容", bold=True)
    _cell(cells[1], "本年处理决定数量", bold=True)
    for heading, items in (
        ("第二十条第（五）项", [("行政许可", "licensing")]),
        ("第二十条第（六）项", [("行政处罚", "penalty"), ("行政强制", "enforcement")]),
    ):
        row = table.add_row().cells
        _cell(row[0].merge(row[1]), heading, bold=True)
        for label, key in items:
            cells = table.add_row().cells
            _cell(cells[0], label)
            value = decisions[key]
            _cell(cells[1], "" if value is None else str(value))
    table = _docx_table(document, 0, 2)
    cells = table.add_row().cells
    _cell(cells[0], "信息内容", bold=True)
    _cell(cells[1], "本年收费金额（单位：万元）", bold=True)
    row = table.add_row().cells
    _cell(row[0].merge(row[1]), "第二十条第（八）项", bold=True)
    cells = table.add_row().cells
    _cell(cells[0], "行政事业性收费")
    fees = report["proactive"]["fees"]["administrative_fees_wan"]
    _cell(cells[1], "" if fees is None else str(fees))


def _docx_applications(document: Any, ctx: dict[str, Any]) -> None:
    """三、收到和处理政府信息公开申请情况: the applicant-type table."""
    columns = ctx["column_keys"]
    table = _docx_table(document, 3, 3 + len(columns))
    # Header: the cross-check note spans the three label columns over three header rows;
    # 申请人情况 spans all seven data columns; 法人或其他组织 spans its five sub-columns.
    _cell(table.cell(0, 0).merge(table.cell(2, 2)), CROSS_CHECK_NOTE, bold=True)
    _cell(table.cell(0, 3).merge(table.cell(0, 9)), "申请人情况", bold=True)
    _cell(table.cell(1, 3).merge(table.cell(2, 3)), "自然人", bold=True)
    _cell(table.cell(1, 4).merge(table.cell(1, 8)), "法人或其他组织", bold=True)
    for i, label in enumerate(ctx["applicant_columns"][1:], start=4):
        _cell(table.cell(2, i), label, bold=True)
    _cell(table.cell(1, 9).merge(table.cell(2, 9)), "总计", bold=True)
    for entry in ctx["application_rows"]:
        cells = table.add_row().cells
        if entry["level"] == 0:
            label_cell = cells[0].merge(cells[2])
        elif entry["level"] == 1:
            label_cell = cells[1].merge(cells[2])
        else:
            label_cell = cells[2]
        _cell(label_cell, entry["label"], center=False)
        if entry["values"] is None:
            _cell(cells[3].merge(cells[9]), "")
        else:
            for i, key in enumerate(columns, start=3):
                _cell(cells[i], str(entry["values"][key]))


def _docx_reviews(document: Any, ctx: dict[str, Any]) -> None:
    """四、政府信息公开行政复议、行政诉讼情况."""
    table = _docx_table(document, 3, 15)
    _cell(table.cell(0, 0).merge(table.cell(1, 4)), "行政复议", bold=True)
    _cell(table.cell(0, 5).merge(table.cell(0, 14)), "行政诉讼", bold=True)
    _cell(table.cell(1, 5).merge(table.cell(1, 9)), "未经复议直接起诉", bold=True)
    _cell(table.cell(1, 10).merge(table.cell(1, 14)), "复议后起诉", bold=True)
    for group_index in range(3):
        for i, label in enumerate(ctx["review_results"]):
            _cell(table.cell(2, group_index * 5 + i), label, bold=True)
    cells = table.add_row().cells
    for group_index, (_label, values) in enumerate(ctx["review_groups"]):
        for i, key in enumerate(ctx["review_keys"]):
            _cell(cells[group_index * 5 + i], str(values[key]))


def render_docx(report: dict[str, Any]) -> bytes:
    ctx = context(report)
    document = Document()
    title = f"{report['organisation']['name']}{report['year']}年政府信息公开工作年度报告"
    _para(document, title, size=16, bold=True, center=True)
    if ctx["scope_line"]:
        _para(document, ctx["scope_line"], center=True)
    sections = report["sections"]

    _para(document, SECTION_TITLES[0], bold=True)
    _docx_lines(document, sections["overview"] or "\n".join(report["generated_summary"][:2]))
    _para(document, SECTION_TITLES[1], bold=True)
    _docx_proactive(document, report, ctx)
    _para(document, SECTION_TITLES[2], bold=True)
    _docx_applications(document, ctx)
    _para(document, SECTION_TITLES[3], bold=True)
    _docx_reviews(document, ctx)
    _para(document, SECTION_TITLES[4], bold=True)
    _docx_lines(document, sections["problems"] or "")
    _para(document, SECTION_TITLES[5], bold=True)
    _docx_lines(document, sections["other_matters"] or report["generated_summary"][2])

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
