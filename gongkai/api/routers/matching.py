"""POST /api/v1/policies/match — 政策找人 for one profile, the ``match_policies`` answer.

The module name sorts before ``policies``, so this router is mounted first and
``/policies/match`` is not taken for the policy-detail route ``/policies/{policy_id}``."""

import json
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status

from gongkai.policies.conditions import ProfileError
from gongkai.policies.selectors import match_profile_input

from ..errors import ErrorOut

PREFIX = "/policies"
router = Router(tags=["政策找人"])

PROFILE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["region"],
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "description": "企业（个人）名称"},
        "region": {"type": "string", "description": "所在地区：机构代码"},
        "industry": {"type": "string", "description": "GB/T 4754-2017 行业代码，如 C3911"},
        "scale": {"type": "string", "enum": ["large", "medium", "small", "micro"]},
        "established": {"type": "string", "format": "date", "description": "成立日期"},
        "qualifications": {"type": "array", "items": {"type": "string"}},
        "as_of": {"type": "string", "format": "date", "description": "判断日期，默认今天"},
        "credit_code": {"type": "string", "description": "统一社会信用代码（不参与匹配）"},
    },
}


class MatchOut(Schema):
    external_id: str | None
    title: str
    reasons: list[str]


class NearMissOut(Schema):
    external_id: str | None
    title: str
    unmet: list[str]


class MatchResultOut(Schema):
    matches: list[MatchOut]
    near_misses: list[NearMissOut]


@router.post(
    "/match",
    auth=None,
    response={200: MatchResultOut, 422: ErrorOut},
    summary="政策找人：按企业档案匹配政策",
    description=(
        "与命令 match_policies 相同：列出在 as_of 当日有效、且全部所列条件均满足的政策及理由"
        "（matches），以及恰好差一项条件的有效政策（near_misses，unmet 为条件名："
        "regions、industries、scales、min_years、qualifications、apply_window）。"
        "两个列表均按发布日期倒序、同日按编号倒序。档案有误时返回422及中文说明。"
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": PROFILE_SCHEMA}},
        }
    },
)
def policy_match(request: HttpRequest) -> Status:
    try:
        data = json.loads(request.body or b"")
    except (json.JSONDecodeError, UnicodeDecodeError):
        return Status(422, {"detail": _("请求体不是有效的JSON")})
    try:
        result = match_profile_input(data)
    except ProfileError as exc:
        return Status(422, {"detail": str(exc)})
    return Status(200, result.as_contract())
