"""HTTP caching of public pages (issue 17 item 2): validators for anonymous reads only.

``ConditionalGetMiddleware`` (Django) gives every anonymous GET an ``ETag`` computed from the
rendered body and answers ``304 Not Modified`` when the browser already has it: the page is
still rendered, but not sent again. Anything a signed-in user receives is personal (their name,
their drafts, the workbench) and must never be kept by a browser, nginx or a proxy, nor be
answered from a validator: ``PrivateResponsesMiddleware`` marks it ``private, no-store`` and
strips validators, before ``ConditionalGetMiddleware`` sees it (it leaves ``no-store``
responses alone).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject, empty

CONDITIONAL_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")


def is_signed_in(request: HttpRequest) -> bool:
    # API clients authenticate with a header, not a session.
    if "HTTP_AUTHORIZATION" in request.META:
        return True
    # Without a session cookie nobody is signed in: checking the cookie first keeps this check
    # from loading a session for an anonymous request.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class PrivateResponsesMiddleware:
    """After ``AuthenticationMiddleware``: signed-in users' responses are ``private, no-store``
    and carry no ``ETag``/``Last-Modified``; their conditional request headers are dropped, so
    no view (a ``condition`` decorator, the sitemap) answers them 304 either."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        signed_in = is_signed_in(request)
        if signed_in:
            for header in CONDITIONAL_HEADERS:
                request.META.pop(header, None)
        response = self.get_response(request)
        # The response to a login (which sets request.user; the session cookie is only added
        # on the way out, by SessionMiddleware) is for that one visitor as well.
        if signed_in or _signed_in_during(request):
            private(response)
        return response


def _signed_in_during(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    # Never evaluate a lazy user nobody looked at: that would load the session of every
    # anonymous request (and add "Vary: Cookie" to it).
    if user is None or (isinstance(user, SimpleLazyObject) and user._wrapped is empty):
        return False
    return bool(user.is_authenticated)


def private(response: HttpResponse) -> HttpResponse:
    for header in ("ETag", "Last-Modified", "Expires"):
        if response.has_header(header):
            del response[header]
    if response.has_header("Cache-Control"):
        del response["Cache-Control"]
    patch_cache_control(response, private=True, no_store=True, no_cache=True, max_age=0)
    return response


def without_last_modified(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Drop the ``Last-Modified`` Django's feeds and sitemaps derive from the newest
    publication date. It does not move when an item is corrected or withdrawn (the list
    changes, its newest date does not), so a client asking ``If-Modified-Since`` alone would be
    told 304 for a changed list. The body's ETag is exact and stays."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> HttpResponse:
        response = view(*args, **kwargs)
        if response.has_header("Last-Modified"):
            del response["Last-Modified"]
        return response

    return wrapped
