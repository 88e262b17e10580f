"""Project-wide error views (wired in config/urls.py as handler403/handler500) and the
favicon address browsers ask for on their own."""

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

logger = logging.getLogger(__name__)

# Served when even the 500 template cannot be rendered (a broken template directory).
PLAIN_500 = (
    '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>服务器错误</title>'
    "</head><body><h1>服务器错误</h1><p>服务器暂时无法处理您的请求，请稍后再试。</p>"
    '<p><a href="/">返回首页</a></p></body></html>'
)


def forbidden(request: HttpRequest, message: str | None = None) -> HttpResponse:
    """A Chinese 403 page; use it (or raise PermissionDenied) when a check fails."""
    return render(
        request,
        "accounts/forbidden.html",
        {"message": message or _("您没有权限执行此操作。")},
        status=403,
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if exception is not None and str(exception) else None
    return forbidden(request, message)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page without the request context: the context processors, the session and the
    database may be exactly what failed, so the template gets only settings values."""
    try:
        body = loader.get_template("500.html").render({"site_name": settings.GONGKAI_SITE_NAME})
    except Exception:
        logger.exception("rendering 500.html failed")
        body = PLAIN_500
    return HttpResponseServerError(body)


@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers fetch /favicon.ico whatever the page links; send them to the static file
    (temporary redirect: the static address may gain a content hash later)."""
    return HttpResponseRedirect(static("gongkai/favicon.ico"))
