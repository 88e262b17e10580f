"""清单: ``GET /api/v1/registers/{org}/{kind}`` — an organisation's current 权责清单, 公共服务清单,
涉企收费清单, 中介服务清单 or 行政许可事项清单, or with ``?on=YYYY-MM-DD`` the list as it stood
that day (``registers.selectors.list_as_of``: the entry versions in force on that date).

Only what the public list shows: versions come into being when a reviewed 动态调整 is published,
so nothing unreviewed is served.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from gongkai.accounts.models import Organisation
from gongkai.registers import kinds, selectors
from gongkai.registers.kinds import ListKind, PowerCategory

from ..errors import ErrorOut
from ..params import PageNumber, PageSize

PREFIX = "/registers"
router = Router(tags=["清单"])

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50


class EntryOut(Schema):
    code: str = Field(..., description="事项编码")
    name: str = Field(..., description="事项名称")
    category: str = Field(..., description="类别（权责清单）")
    category_label: str
    basis: str = Field(..., description="设定依据")
    implementer: str = Field(..., description="实施主体")
    duties: str = Field(..., description="责任事项")
    accountability: str = Field(..., description="追责情形")
    standard: str = Field(..., description="收费标准")
    note: str = Field(..., description="备注")
    valid_from: date = Field(..., description="本版本起始日期")


class ListOut(Schema):
    organisation: str
    organisation_code: str
    kind: str
    kind_label: str
    on: date = Field(..., description="清单所示日期")
    columns: list[str] = Field(..., description="本类清单的列")
    count: int
    page: int
    page_size: int
    results: list[EntryOut]


class ListQuery(Schema):
    # Any calendar date is answerable (an empty list before the first entry), so ``on`` needs no
    # bound beyond the date type's own (year 1–9999, refused with 422 beyond).
    on: date | None = Field(None, description="历史日期 YYYY-MM-DD；省略时为今天")
    q: str = Field("", max_length=100, description="关键词（名称、依据、实施主体、编码）")
    category: PowerCategory | None = Field(None, description="类别（权责清单）")
    page: PageNumber = 1
    page_size: PageSize = Field(DEFAULT_PAGE_SIZE, description="每页条数（超过 200 按 200）")


def _entry(version: Any) -> dict[str, Any]:
    return {
        "code": version.entry.code,
        "name": version.name,
        "category": version.category,
        "category_label": str(version.get_category_display()) if version.category else "",
        "basis": version.basis,
        "implementer": version.implementer,
        "duties": version.duties,
        "accountability": version.accountability,
        "standard": version.standard,
        "note": version.note,
        "valid_from": version.valid_from,
    }


@router.get(
    "/{org}/{kind}",
    response={200: ListOut, 404: ErrorOut, 422: ErrorOut},
    summary="机构清单（当前或历史日期）",
    auth=None,
)
def register_list(
    request: HttpRequest, org: str, kind: ListKind, params: Query[ListQuery]
) -> dict[str, Any]:
    organisation = get_object_or_404(Organisation, code=org[:32])
    on = params.on or timezone.localdate()
    qs = selectors.public_list(
        organisation,
        str(kind),
        on=on,
        q=params.q.strip(),
        category=str(params.category) if params.category else "",
    )
    page_size = min(params.page_size, MAX_PAGE_SIZE)
    start = (params.page - 1) * page_size
    return {
        "organisation": organisation.name,
        "organisation_code": organisation.code,
        "kind": str(kind),
        "kind_label": str(ListKind(kind).label),
        "on": on,
        "columns": [str(kinds.FIELD_LABELS[f]) for f in kinds.KIND_FIELDS[kind]],
        "count": qs.count(),
        "page": params.page,
        "page_size": page_size,
        "results": [_entry(v) for v in qs[start : start + page_size]],
    }
