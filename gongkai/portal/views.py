"""Portal views that belong to no single area: the home page and the display switch."""

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from gongkai.portal.selectors import home_lists


def home(request: HttpRequest) -> HttpResponse:
    """Latest items, latest policies with interpretations, special columns (a shared read: 5
    queries when its tables changed, else none; and the header's issuing government)."""
    return render(request, "portal/home.html", home_lists())


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
