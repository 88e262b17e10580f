"""Read the annual report's tables back from what users get — rendered HTML and PDF text — and
lay out the JSON the same way, so a test can compare every cell."""

import io
import re
from collections import defaultdict
from typing import Any

import lxml.html
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTComponent

from gongkai.reports.annual import (
    COLUMNS,
    REVIEW_GROUPS,
    REVIEW_RESULTS,
    ROW_KEYS,
    ROW_LABELS,
    SECTION_TITLES,
)

NUMBER = re.compile(r"^\d+(\.\d+)?$")


def _text(element: Any) -> str:
    return " ".join(element.text_content().split())


def _tables_after(h2: Any) -> list[Any]:
    tables = []
    for sibling in h2.itersiblings():
        if sibling.tag == "h2":
            break
        if sibling.tag == "table":
            tables.append(sibling)
    return tables


def _labelled_rows(table: Any) -> dict[str, list[str]]:
    """Body rows by their row header; heading rows (no figures) are left out."""
    rows = {}
    for tr in table.iter("tr"):
        if tr.getparent().tag == "thead":
            continue
        header = next(tr.iter("th"), None)
        if header is None:
            continue
        cells = [_text(td) for td in header.itersiblings() if td.tag == "td"]
        if cells and cells != [""]:
            rows[_text(header)] = cells
    return rows


def html_tables(html: str) -> dict[str, Any]:
    """Tables 二, 三 and 四 of a page that shows one annual report."""
    root = lxml.html.fromstring(html)
    found: dict[str, Any] = {}
    for h2 in root.iter("h2"):
        title = _text(h2)
        if title == SECTION_TITLES[1]:
            proactive, decisions, fees = _tables_after(h2)
            found["proactive"] = _labelled_rows(proactive)
            found["decisions"] = _labelled_rows(decisions)
            found["fees"] = _labelled_rows(fees)
        elif title == SECTION_TITLES[2]:
            (applications,) = _tables_after(h2)
            found["applications"] = _labelled_rows(applications)
        elif title == SECTION_TITLES[3]:
            (reviews,) = _tables_after(h2)
            body = [tr for tr in reviews.iter("tr") if tr.getparent().tag == "tbody"]
            found["reviews"] = [[_text(td) for td in tr.iter("td")] for tr in body]
    return found


def _blank(value: Any) -> str:
    return "" if value is None else str(value)


def json_tables(report: dict[str, Any]) -> dict[str, Any]:
    """The JSON report in the shape html_tables returns."""
    proactive = report["proactive"]
    rows = report["applications"]["rows"]
    reviews = report["reviews"]["rows"]
    assert report["applications"]["columns"] == list(COLUMNS)
    return {
        "proactive": {
            label: [str(proactive["rows"][key][c]) for c in ("issued", "repealed", "in_force")]
            for label, key in (("规章", "rules"), ("行政规范性文件", "normative"))
        },
        "decisions": {
            label: [_blank(proactive["decisions"][key])]
            for label, key in (
                ("行政许可", "licensing"),
                ("行政处罚", "penalty"),
                ("行政强制", "enforcement"),
            )
        },
        "fees": {"行政事业性收费": [_blank(proactive["fees"]["administrative_fees_wan"])]},
        "applications": {ROW_LABELS[key]: [str(rows[key][c]) for c in COLUMNS] for key in ROW_KEYS},
        "reviews": [[str(reviews[g][r]) for g in REVIEW_GROUPS for r in REVIEW_RESULTS]],
    }


def json_figure_rows(report: dict[str, Any]) -> list[list[str]]:
    """Every row of figures in print order: 二 (规章, 规范性文件, 许可, 处罚, 强制, 收费),
    三 (25 rows of 7), 四 (one row of 15)."""
    tables = json_tables(report)
    return [
        *tables["proactive"].values(),
        *tables["decisions"].values(),
        *tables["fees"].values(),
        *tables["applications"].values(),
        *tables["reviews"],
    ]


def pdf_figure_rows(pdf: bytes) -> list[list[str]]:
    """The figures of the PDF's tables, row by row in reading order.

    Characters are grouped into lines by page and baseline, a line into words by the gaps
    between characters; a row of figures is the purely numeric words of one line (row labels
    such as "1.属于国家秘密" are one word and never numeric)."""
    lines: dict[tuple[int, int], list[LTChar]] = defaultdict(list)

    def walk(node: Any, page: int) -> None:
        if isinstance(node, LTChar):
            lines[(page, -round(node.y0))].append(node)
        elif isinstance(node, LTComponent) and hasattr(node, "__iter__"):
            for child in node:
                walk(child, page)

    for number, page in enumerate(extract_pages(io.BytesIO(pdf))):
        for element in page:
            walk(element, number)
    rows = []
    for key in sorted(lines):
        chars = sorted(lines[key], key=lambda c: c.x0)
        words: list[str] = []
        last_end = None
        for char in chars:
            text = char.get_text()
            if not text.strip():
                last_end = None
                continue
            if last_end is not None and char.x0 - last_end < char.width * 0.5:
                words[-1] += text
            else:
                words.append(text)
            last_end = char.x1
        figures = [w for w in words if NUMBER.match(w)]
        if figures:
            rows.append(figures)
    return rows
