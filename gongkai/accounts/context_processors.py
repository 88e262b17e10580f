"""Template context the accounts app owns: the government the portal speaks for."""

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import lazy

from gongkai.core.page_cache import cached_read

from .models import Organisation


def _top_government_name() -> str:
    return (
        Organisation.objects.filter(
            parent__isnull=True, is_active=True, kind=Organisation.Kind.GOVERNMENT
        )
        .order_by("sort_order", "code")
        .values_list("name", flat=True)
        .first()
    ) or ""


def _site_government(request: HttpRequest) -> str:
    """The issuing government the portal speaks for: the configured 主办单位, else the top
    government organisation. Looked up only when a page shows it, once per request."""
    if settings.GONGKAI_SITE_SPONSOR:
        return settings.GONGKAI_SITE_SPONSOR
    cached = getattr(request, "_gongkai_site_government", None)
    if cached is None:
        # Every page shows it: kept across requests, cleared by any write of the
        # organisation table (gongkai.core.page_cache.cached_read).
        cached = cached_read("site_government", _top_government_name)
        request._gongkai_site_government = cached  # type: ignore[attr-defined]  # per-request cache attribute
    return cached


# Made once: ``lazy()`` builds a proxy class each time it is called (~50 µs, issue 17).
_lazy_site_government = lazy(_site_government, str)


def site_government(request: HttpRequest) -> dict:
    return {"site_government": _lazy_site_government(request)}
