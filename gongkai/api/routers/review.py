"""``POST /api/v1/review/check`` — the 错敏词 and privacy checker for logged-in staff (issue 5).

Same JSON as ``gongkai check_text``. Session authentication (``django_auth``) so the back-office
pages can call it with their cookie; ninja enforces CSRF for it. Anonymous callers get 401,
logged-in public (公众/企业) accounts 403: the dictionary itself is not public.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from gongkai.accounts.selectors import is_staff_user
from gongkai.checks.selectors import current_checker
from gongkai.checks.text import MAX_TEXT_CHARS

PREFIX = "/review"
router = Router(tags=["审核检查"])


class CheckIn(Schema):
    text: str = Field(..., max_length=MAX_TEXT_CHARS, description="待检查的文本")


class FindingOut(Schema):
    kind: str = Field(..., description="word、id_card、id_card_invalid、mobile、bank_card 或 email")
    start: int = Field(..., description="起始位置（按字符计，从 0 开始）")
    end: int = Field(..., description="结束位置（不含）")
    match: str
    category: str = Field(..., description="错敏词分类；个人信息为其名称，如“身份证号码”")
    suggestion: str = Field(..., description="建议改为；个人信息为遮蔽后的写法")


class CheckOut(Schema):
    findings: list[FindingOut]


class ErrorOut(Schema):
    detail: str


@router.post(
    "/check",
    response={200: CheckOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    auth=django_auth,
    summary="检查文本中的错敏词和个人信息",
)
def check(request: HttpRequest, payload: CheckIn):
    if not is_staff_user(request.user):
        raise HttpError(403, _("仅限工作人员使用。"))
    findings = current_checker().check(payload.text)
    return {"findings": [f.as_dict() for f in findings]}
