"""``POST /api/v1/foi/deadline`` — the public deadline calculator (issue 4).

Anyone (no login) can ask when an application's reply is due, given its receipt date and
events. The body is parsed here rather than by django-ninja's automatic validation so that
every malformed body gets the same Chinese ``{"detail": ...}`` answer with HTTP 422 that the
calendar and consistency errors get (ninja's default validation error is an English list).
The OpenAPI schema still documents the body through ``openapi_extra``.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any, cast

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status

from gongkai.foi.deadlines import (
    EVENT_LABELS,
    CalendarMissing,
    DeadlineError,
    DeadlineEvent,
    EventType,
    compute_deadline,
)
from gongkai.workdays.selectors import load_calendar

from ..errors import ErrorOut

PREFIX = "/foi"
router = Router(tags=["依申请公开"])

MAX_EVENTS = 100
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATED_TYPES = ("supplement_requested", "supplement_received", "pause_started", "pause_ended")


class DeadlineOut(Schema):
    due: date
    supplement_deadline: date
    explanation: list[str]


class BodyError(ValueError):
    pass


_DATE_SCHEMA = {"type": "string", "format": "date", "example": "2025-09-26"}
REQUEST_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["received"],
    "additionalProperties": False,
    "properties": {
        "received": {**_DATE_SCHEMA, "description": "收到申请之日（条例第三十一条）"},
        "events": {
            "type": "array",
            "description": "按日期先后排列的事件",
            "maxItems": MAX_EVENTS,
            "items": {
                "oneOf": [
                    {
                        "type": "object",
                        "required": ["type", "date"],
                        "additionalProperties": False,
                        "properties": {
                            "type": {"type": "string", "enum": list(DATED_TYPES)},
                            "date": _DATE_SCHEMA,
                        },
                    },
                    {
                        "type": "object",
                        "required": ["type", "days"],
                        "additionalProperties": False,
                        "properties": {
                            "type": {"type": "string", "enum": ["extended"]},
                            "days": {"type": "integer", "minimum": 1, "maximum": 20},
                            "date": _DATE_SCHEMA,
                        },
                    },
                ]
            },
        },
    },
}


def _show(value: Any) -> str:
    """A received JSON value as shown in an error message (strings in Chinese quotes)."""
    if isinstance(value, str):
        return f"“{value}”"
    return json.dumps(value, ensure_ascii=False)


def _parse_date(value: Any, where: str) -> date:
    if not isinstance(value, str) or not _DATE_RE.match(value):
        raise BodyError(
            _("%(w)s应为YYYY-MM-DD格式的日期，收到的是%(v)s") % {"w": where, "v": _show(value)}
        )
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise BodyError(_("%(w)s“%(v)s”不是有效的日期") % {"w": where, "v": value}) from exc


def _body_object(raw: bytes) -> dict[str, Any]:
    """Step 1: a JSON object with only the fields received and events."""
    try:
        data = json.loads(raw.decode("utf-8") if raw else "")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BodyError(_("请求体不是有效的JSON")) from exc
    if not isinstance(data, dict):
        raise BodyError(_("请求体应为JSON对象"))
    unknown = sorted(set(data) - {"received", "events"})
    if unknown:
        raise BodyError(_("请求体含有无法识别的字段：%(f)s") % {"f": "、".join(unknown)})
    return data


def _event_kind(item: Any, where: str) -> str:
    """Step 2 of one event: an object whose type is known and whose fields fit that type."""
    if not isinstance(item, dict):
        raise BodyError(_("%(w)s应为JSON对象") % {"w": where})
    kind = item.get("type")
    if kind is None:
        raise BodyError(_("%(w)s缺少类型（type）") % {"w": where})
    # A non-text type ({} or []) is unhashable: the lookup below would raise (HTTP 500).
    if not isinstance(kind, str) or kind not in EVENT_LABELS:
        raise BodyError(
            _("%(w)s的类型%(t)s无法识别，应为%(all)s之一")
            % {
                "w": where,
                "t": _show(kind),
                "all": "、".join(EVENT_LABELS),
            }
        )
    allowed = {"type", "date", "days"} if kind == "extended" else {"type", "date"}
    extra = sorted(set(item) - allowed)
    if extra:
        raise BodyError(
            _("%(w)s（%(t)s）含有无法识别的字段：%(f)s")
            % {"w": where, "t": kind, "f": "、".join(extra)}
        )
    return kind


def _extension(item: dict[str, Any], where: str) -> DeadlineEvent:
    days = item.get("days")
    if days is None:
        raise BodyError(_("%(w)s（延长答复期限）缺少延长的工作日数（days）") % {"w": where})
    if isinstance(days, bool) or not isinstance(days, int):
        raise BodyError(
            _("%(w)s的延长工作日数（days）应为整数，收到的是%(v)s") % {"w": where, "v": _show(days)}
        )
    # The date is optional for an extension, but when sent it must be a date: a null
    # was accepted before while the published schema says "string, format date".
    when = _parse_date(item["date"], _("%(w)s的日期") % {"w": where}) if "date" in item else None
    return DeadlineEvent(type="extended", days=days, date=when)


def _event(item: Any, index: int) -> DeadlineEvent:
    where = _("第%(n)d个事件") % {"n": index}
    kind = _event_kind(item, where)
    if kind == "extended":
        return _extension(item, where)
    if "date" not in item or item["date"] is None:
        raise BodyError(_("%(w)s（%(t)s）缺少日期（date）") % {"w": where, "t": kind})
    when = _parse_date(item["date"], _("%(w)s的日期") % {"w": where})
    return DeadlineEvent(type=cast(EventType, kind), date=when)


def parse_body(raw: bytes) -> tuple[date, list[DeadlineEvent]]:
    """Validate the JSON body; raise ``BodyError`` with a Chinese message naming the field."""
    data = _body_object(raw)
    if "received" not in data:
        raise BodyError(_("缺少收到申请之日（received）"))
    received = _parse_date(data["received"], _("收到申请之日（received）"))
    raw_events = data.get("events", [])
    if not isinstance(raw_events, list):
        # null included: the published schema says array, and an integrator sending null
        # should learn it rather than get a deadline computed without their events.
        raise BodyError(_("events应为事件数组"))
    if len(raw_events) > MAX_EVENTS:
        raise BodyError(_("事件过多，最多%(n)d个") % {"n": MAX_EVENTS})
    events = [_event(item, index) for index, item in enumerate(raw_events, start=1)]
    return received, events


@router.post(
    "/deadline",
    auth=None,
    response={200: DeadlineOut, 422: ErrorOut},
    summary="计算依申请公开答复期限",
    description=(
        "按条例第三十、三十三条及国务院办公厅公布的节假日安排计算答复期限：收到申请当日不计入；"
        "补正后自收到补正申请之日起重新计算；暂停期间（征求第三方或其他机关意见）的工作日不计入；"
        "延长累计不超过20个工作日。缺少某年日历或事件不一致时返回422及中文说明。"
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": REQUEST_SCHEMA}},
        }
    },
)
def foi_deadline(request: HttpRequest) -> Status:
    try:
        received, events = parse_body(request.body)
        result = compute_deadline(received, events, load_calendar())
    except (BodyError, DeadlineError, CalendarMissing) as exc:
        return Status(422, {"detail": str(exc)})
    return Status(
        200,
        {
            "due": result.due,
            "supplement_deadline": result.supplement_deadline,
            "explanation": result.explanation,
        },
    )
