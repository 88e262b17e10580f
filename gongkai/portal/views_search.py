"""The public search results page (/search/); works without JavaScript."""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from gongkai.search.presentation import search_context


def search(request: HttpRequest) -> HttpResponse:
    context = search_context(request, staff_scope=False)
    result = context["result"]
    parsed = context["parsed"]
    # An exact 文号 that names one public document goes straight to it (issue 3 §2).
    if (
        result is not None
        and result.exact_url
        and parsed.page == 1
        and not parsed.filters
        and request.GET.get("redirect", "1") != "0"
    ):
        # The document page says it was opened by its 文号 and links back to the list
        # (?found=…, part of the URL so a cached page is the same for every reader).
        joiner = "&" if "?" in result.exact_url else "?"
        return HttpResponseRedirect(f"{result.exact_url}{joiner}{urlencode({'found': parsed.q})}")
    return render(request, "portal/search/results.html", context)
