"""The client's address behind nginx.

Behind the reverse proxy every request reaches gunicorn from 127.0.0.1, so the login throttle
(django-axes: five failures per username and address), the rate limit of the public FOI status
query and the addresses in the audit trail would all see one address: one person's failures
would lock every user's account out. nginx (deploy/nginx/gongkai.conf) sets ``X-Real-IP`` to
the address it saw, replacing whatever the client sent; the app believes it only from a proxy
it trusts (``GONGKAI_TRUSTED_PROXIES``), never from the open internet.
"""

import contextlib
import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class ProxiedClientAddressMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.trusted = frozenset(getattr(settings, "GONGKAI_TRUSTED_PROXIES", ()))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = request.META
        claimed = meta.get("HTTP_X_REAL_IP", "").strip()
        if claimed and meta.get("REMOTE_ADDR") in self.trusted:
            # Not an address: keep the proxy's own.
            with contextlib.suppress(ValueError):
                meta["REMOTE_ADDR"] = str(ipaddress.ip_address(claimed))
        return self.get_response(request)
