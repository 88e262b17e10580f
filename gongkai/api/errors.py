"""One error shape for the whole API: ``{"detail": "<中文说明>"}``.

django-ninja's own validation answer is a list of English pydantic messages; the public and
the agencies' integrators read Chinese, and the deadline API already answered
``{"detail": ...}``, so every 422 says in Chinese which parameter is wrong and why.
"""

from __future__ import annotations

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


def _reason(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("必须填写")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("应为整数")
    if kind == "greater_than_equal":
        return _("不能小于 %(v)s") % {"v": ctx.get("ge")}
    if kind == "greater_than":
        return _("应大于 %(v)s") % {"v": ctx.get("gt")}
    if kind == "less_than_equal":
        return _("不能大于 %(v)s") % {"v": ctx.get("le")}
    if kind == "less_than":
        return _("应小于 %(v)s") % {"v": ctx.get("lt")}
    if kind == "literal_error":
        return _("取值应为 %(v)s 之一") % {"v": ctx.get("expected", "")}
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("应为 年-月-日 格式的有效日期，如 2025-03-01")
    if kind in ("string_too_long",):
        return _("长度不能超过 %(v)s 个字符") % {"v": ctx.get("max_length")}
    if kind in ("string_type", "str_type"):
        return _("应为文本")
    if kind == "bool_parsing":
        return _("应为 true 或 false")
    if kind in ("json_invalid", "model_attributes_type", "dict_type", "model_type"):
        return _("格式不正确，应为 JSON 对象")
    if kind == "list_type":
        return _("应为列表")
    if kind == "extra_forbidden":
        return _("不是可用的字段")
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
