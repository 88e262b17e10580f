"""Portal views that belong to no single area: the home page and the display switch."""

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from gongkai.catalogue.models import Column
from gongkai.catalogue.selectors import public_items
from gongkai.policies.selectors import (
    public_interpretations,
    public_policies,
    with_public_interpretations,
)

HOME_LATEST = 10
HOME_POLICIES = 8
# The columns the home page's lists show. An item row has some thirty columns (body, plain text,
# reasons…) and its organisation twenty more; loading, converting and building them all was most
# of the page's CPU (issue 17: the ORM's work on wide rows, not the database's). A field missing
# here costs one query per row, which test_home_page_query_count_is_fixed would catch.
ITEM_ROW = ("id", "title", "validity", "published_date")
INTERPRETATION_ROW = ("id", "title", "form", "published_date")


def home(request: HttpRequest) -> HttpResponse:
    """Latest items, latest policies with interpretations, special columns (5 queries, and the
    header's issuing government)."""
    latest_items = list(
        public_items().only(*ITEM_ROW).order_by("-published_date", "-id")[:HOME_LATEST]
    )
    latest_policies = list(
        with_public_interpretations(
            public_policies().only(*ITEM_ROW).order_by("-published_date", "-id")
        )[:HOME_POLICIES]
    )
    special_columns = list(
        Column.objects.filter(kind=Column.Kind.SPECIAL, is_active=True).only("id", "slug", "name")
    )
    latest_interpretations = list(
        public_interpretations().only(*INTERPRETATION_ROW).order_by("-published_date", "-id")[:5]
    )
    return render(
        request,
        "portal/home.html",
        {
            "latest_items": latest_items,
            "latest_policies": latest_policies,
            "special_columns": special_columns,
            "latest_interpretations": latest_interpretations,
        },
    )


# No CSRF token: a token in the header form made every public page differ per visitor (no ETag
# could match, no shared cache could keep it, each first visit set a cookie). The worst a forged
# POST can do is flip the visitor's own display preference, which is one click to undo.
@csrf_exempt
@require_POST
def toggle_large_text(request: HttpRequest) -> HttpResponse:
    """适老化: large text and high contrast, kept in a cookie so it works without JavaScript."""
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    if request.COOKIES.get("gk_large") == "1":
        response.delete_cookie("gk_large")
    else:
        response.set_cookie("gk_large", "1", max_age=365 * 24 * 3600, samesite="Lax")
    return response
