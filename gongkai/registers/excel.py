"""Excel in and out of the 清单 and the 整改台账 (openpyxl).

Import format (docs/operator-guide.md): the first worksheet; row 1 holds the column headings of
the list kind (``kinds.kind_columns``: for 权责清单 事项名称, 类别, 设定依据, 实施主体, 责任事项,
追责情形); every following non-empty row is one entry. Errors name sheet, row and column.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import kinds

MAX_ROWS = 5000


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _workbook_rows(data: bytes) -> tuple[str, list[tuple[Any, ...]]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is no workbook
        raise ValidationError(_("无法读取该文件，请上传 .xlsx 格式的Excel文件")) from exc
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True, max_row=MAX_ROWS + 1))
    return ws.title, rows


def _header_map(sheet: str, header: tuple[Any, ...], list_kind: str) -> dict[str, int]:
    labels = {_text(v): i for i, v in enumerate(header) if _text(v)}
    positions: dict[str, int] = {}
    missing: list[str] = []
    for name, label in kinds.kind_columns(list_kind):
        if label in labels:
            positions[name] = labels[label]
        elif name in kinds.KIND_REQUIRED[list_kind]:
            missing.append(label)
    if missing:
        raise ValidationError(
            [
                _("工作表“%(sheet)s”第1行：缺少“%(col)s”列") % {"sheet": sheet, "col": label}
                for label in missing
            ]
        )
    return positions


def _row_values(
    sheet: str, number: int, row: tuple[Any, ...], positions: dict[str, int], list_kind: str
) -> tuple[dict[str, str], list[str]]:
    values = {name: _text(row[i]) if i < len(row) else "" for name, i in positions.items()}
    errors = [
        _("工作表“%(sheet)s”第%(row)d行“%(col)s”列：不能为空")
        % {"sheet": sheet, "row": number, "col": kinds.field_label(list_kind, name)}
        for name in kinds.missing_fields(list_kind, values)
    ]
    if values.get("category"):
        category = kinds.category_value(values["category"])
        if category is None:
            errors.append(
                _(
                    "工作表“%(sheet)s”第%(row)d行“类别”列：“%(v)s”不是权责清单的类别（可填：%(all)s）"
                )
                % {
                    "sheet": sheet,
                    "row": number,
                    "v": values["category"],
                    "all": "、".join(str(label) for label in kinds.PowerCategory.labels),
                }
            )
        else:
            values["category"] = category
    return values, errors


def read_entries(data: bytes, list_kind: str) -> list[dict[str, str]]:
    """The entries of an uploaded workbook, or a ValidationError listing every bad cell."""
    sheet, rows = _workbook_rows(data)
    if not rows:
        raise ValidationError(_("工作表“%(sheet)s”是空的") % {"sheet": sheet})
    if len(rows) > MAX_ROWS:
        raise ValidationError(_("一次最多导入%(n)d行") % {"n": MAX_ROWS})
    positions = _header_map(sheet, rows[0], list_kind)
    entries: list[dict[str, str]] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(_text(v) for v in row):
            continue
        values, row_errors = _row_values(sheet, number, row, positions, list_kind)
        name = values.get("name", "")
        if name and name in seen:
            row_errors.append(
                _("工作表“%(sheet)s”第%(row)d行“%(col)s”列：与第%(first)d行重复")
                % {
                    "sheet": sheet,
                    "row": number,
                    "col": kinds.field_label(list_kind, "name"),
                    "first": seen[name],
                }
            )
        seen.setdefault(name, number)
        errors += row_errors
        entries.append(values)
    if errors:
        raise ValidationError(errors)
    if not entries:
        raise ValidationError(_("工作表“%(sheet)s”没有数据行") % {"sheet": sheet})
    return entries


def _save(wb: Any) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def list_workbook(
    *, list_kind: str, organisation_name: str, on: datetime.date, versions: Iterable[Any]
) -> bytes:
    """The list as it stood on ``on``: 事项编码 then the kind's columns."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = str(kinds.ListKind(list_kind).label)
    columns = kinds.kind_columns(list_kind)
    ws.append([f"{organisation_name}{ws.title}（{on.isoformat()}）"])
    ws.append(["事项编码", *[label for _name, label in columns], "起始日期"])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for v in versions:
        row = [v.entry.code]
        for name, _label in columns:
            value = getattr(v, name)
            row.append(v.get_category_display() if name == "category" and value else value)
        row.append(v.valid_from.isoformat())
        ws.append(row)
    return _save(wb)


def rectification_workbook(items: Iterable[Any], today: datetime.date) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "整改台账"
    ws.append(
        [
            "序号", "机构", "问题来源", "来源说明", "问题描述", "发现日期", "牵头单位", "配合单位",
            "整改期限", "整改措施", "整改佐证", "状态", "是否逾期", "销号时间",
        ]
    )  # fmt: skip
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for n, item in enumerate(items, start=1):
        overdue = item.state != "closed" and item.deadline < today
        ws.append(
            [
                n,
                item.organisation.name,
                item.get_source_display(),
                item.source_label,
                item.problem,
                item.found_on.isoformat(),
                item.lead_unit,
                item.supporting_units,
                item.deadline.isoformat(),
                item.measures,
                item.evidence,
                item.get_state_display(),
                "是" if overdue else "否",
                item.closed_at.date().isoformat() if item.closed_at else "",
            ]
        )
    return _save(wb)


def assessment_workbook(assessment: Any, rows: Iterable[Any]) -> bytes:
    """The self-assessment checklist: item, measure, max score, weight, figure, score, note, and
    the weighted total."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "考核自评"
    ws.append([f"{assessment.organisation.name}{assessment.year}年政务公开工作考核自评"])
    ws.append(["序号", "指标", "计分方式", "满分", "权重", "平台数据", "得分", "评分说明"])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    total = max_total = Decimal(0)
    for s in rows:
        item = s.item
        ws.append(
            [
                item.order,
                item.title,
                item.get_measure_display(),
                float(item.max_score),
                float(item.weight),
                s.figure,
                float(s.score) if s.score is not None else None,
                s.note,
            ]
        )
        total += (s.score or 0) * item.weight
        max_total += item.max_score * item.weight
    ws.append(["", "加权总分", "", float(max_total), "", "", float(total), ""])
    return _save(wb)
