"""One paginator for every list page: a bad ?page= shows the nearest page, never a 404."""

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


def paginate(
    request: HttpRequest,
    qs: QuerySet | Sequence[Any],
    per_page: int = 20,
    *,
    count: int | None = None,
) -> Page:
    """A page of ``qs``; a bad or too-large ?page= shows the nearest valid page instead of 404.

    ``count``, when the caller already knows it, saves the COUNT query.
    """
    paginator = Paginator(qs, per_page)
    if count is not None:
        paginator.count = count  # cached_property: set it up front
    return paginator.get_page(request.GET.get("page"))
