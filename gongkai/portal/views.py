"""Portal views that belong to no single area: the home page and the display switch."""

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST


def home(request: HttpRequest) -> HttpResponse:
    # The catalogue area replaces this body with the real home page (latest items, columns).
    return render(request, "portal/home.html", {})


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
