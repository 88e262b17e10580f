"""Reads of the portal's own pages that no single area owns: the home page's lists."""

from typing import Any

from gongkai.catalogue.models import Column
from gongkai.catalogue.selectors import public_items
from gongkai.core.page_cache import cached_read
from gongkai.policies.selectors import (
    public_interpretations,
    public_policies,
    with_public_interpretations,
)

HOME_LATEST = 10
HOME_POLICIES = 8
HOME_INTERPRETATIONS = 5
# The columns the home page's lists show. An item row has some thirty columns (body, plain text,
# reasons…) and its organisation twenty more; loading, converting and building them all was most
# of the page's CPU (issue 17: the ORM's work on wide rows, not the database's). A field missing
# here costs one query per row, which test_home_page_query_count_is_fixed would catch.
ITEM_ROW = ("id", "title", "validity", "published_date")
INTERPRETATION_ROW = ("id", "title", "form", "published_date")


def _home_lists() -> dict[str, Any]:
    return {
        "latest_items": list(
            public_items().only(*ITEM_ROW).order_by("-published_date", "-id")[:HOME_LATEST]
        ),
        "latest_policies": list(
            with_public_interpretations(
                public_policies().only(*ITEM_ROW).order_by("-published_date", "-id")
            )[:HOME_POLICIES]
        ),
        "special_columns": list(
            Column.objects.filter(kind=Column.Kind.SPECIAL, is_active=True).only(
                "id", "slug", "name"
            )
        ),
        "latest_interpretations": list(
            public_interpretations()
            .only(*INTERPRETATION_ROW)
            .order_by("-published_date", "-id")[:HOME_INTERPRETATIONS]
        ),
    }


def home_lists() -> dict[str, Any]:
    """Latest items, latest policies with their interpretations, special columns, latest
    interpretations: 5 queries. Every home page shows the same lists (the 长者模式 variant, a
    visitor with a cookie, a signed-in member of staff, a query string the page cache keys
    apart), so they are a shared read kept by table generation (``page_cache.cached_read``,
    ADR 0008): the first render after a write of one of their tables runs the queries, the
    others none."""
    return cached_read("portal_home_lists", _home_lists)
