"""One error shape for the whole API: ``{"detail": "<中文说明>"}``.

django-ninja's own validation answer is a list of English pydantic messages; the public and
the agencies' integrators read Chinese, and the deadline API already answered
``{"detail": ...}``, so every 422 says in Chinese which parameter is wrong and why.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError


class ErrorOut(Schema):
    detail: str


def _where(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = list(loc)
    source = parts.pop(0) if parts and parts[0] in ("query", "path", "body", "form") else ""
    # A parameter declared as a schema (``filters: Query[ItemFilters]``) prefixes its own name:
    # the caller knows the field, not our Python name for the group.
    if len(parts) >= 2 and isinstance(parts[1], str):
        parts = parts[1:]
    name = ""
    for part in parts:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    labels = {
        "query": _("查询参数"),
        "path": _("路径参数"),
        "body": _("请求体字段"),
        "form": _("表单字段"),
    }
    if not name:
        return labels.get(source, _("请求"))
    return f"{labels.get(source, _('参数'))}“{name}”"


_Reason = Callable[[dict[str, Any]], str]

# Pydantic error type → the Chinese reason, given the error's ``ctx``.
_REASONS: dict[str, _Reason] = {
    "missing": lambda ctx: _("必须填写"),
    "int_parsing": lambda ctx: _("应为整数"),
    "int_type": lambda ctx: _("应为整数"),
    "int_from_float": lambda ctx: _("应为整数"),
    "greater_than_equal": lambda ctx: _("不能小于 %(v)s") % {"v": ctx.get("ge")},
    "greater_than": lambda ctx: _("应大于 %(v)s") % {"v": ctx.get("gt")},
    "less_than_equal": lambda ctx: _("不能大于 %(v)s") % {"v": ctx.get("le")},
    "less_than": lambda ctx: _("应小于 %(v)s") % {"v": ctx.get("lt")},
    "literal_error": lambda ctx: _("取值应为 %(v)s 之一") % {"v": ctx.get("expected", "")},
    "string_too_long": lambda ctx: _("长度不能超过 %(v)s 个字符") % {"v": ctx.get("max_length")},
    "string_type": lambda ctx: _("应为文本"),
    "str_type": lambda ctx: _("应为文本"),
    "bool_parsing": lambda ctx: _("应为 true 或 false"),
    "json_invalid": lambda ctx: _("格式不正确，应为 JSON 对象"),
    "model_attributes_type": lambda ctx: _("格式不正确，应为 JSON 对象"),
    "dict_type": lambda ctx: _("格式不正确，应为 JSON 对象"),
    "model_type": lambda ctx: _("格式不正确，应为 JSON 对象"),
    "list_type": lambda ctx: _("应为列表"),
    "extra_forbidden": lambda ctx: _("不是可用的字段"),
}


def _reason(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    reason = _REASONS.get(kind)
    if reason is not None:
        return reason(ctx)
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("应为 年-月-日 格式的有效日期，如 2025-03-01")
    return _("取值无效")


def validation_message(errors: list[dict[str, Any]]) -> str:
    parts = [f"{_where(e.get('loc', ()))}{_reason(e)}" for e in errors[:10]]
    return "；".join(dict.fromkeys(parts)) or _("请求参数无效")


# django-ninja's own English answers, raised before any of our code runs.
_UNPARSEABLE_BODY = "Cannot parse request body"


def http_error_detail(exc: HttpError) -> tuple[int, str]:
    """The status and Chinese detail for an ``HttpError``; our own messages pass unchanged."""
    if exc.status_code == 400 and str(exc).startswith(_UNPARSEABLE_BODY):
        # Same status and words as the deadline API, which parses its body itself.
        return 422, _("请求体不是有效的JSON")
    if isinstance(exc, AuthenticationError):
        return exc.status_code, _("请先登录")
    if isinstance(exc, AuthorizationError):
        return exc.status_code, _("没有使用此接口的权限")
    return exc.status_code, str(exc)


def install(api: NinjaAPI) -> None:
    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        status, detail = http_error_detail(exc)
        return api.create_response(request, {"detail": detail}, status=status)

    @api.exception_handler(ValidationError)
    def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return api.create_response(
            request, {"detail": validation_message(list(exc.errors))}, status=422
        )

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, {"detail": _("未找到所请求的内容")}, status=404)
