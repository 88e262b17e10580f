"""The client's address behind nginx (gongkai.core.middleware): believed from the local proxy
only, and only when it is an address."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from gongkai.core.middleware import ProxiedClientAddressMiddleware


@pytest.fixture
def seen(settings):
    settings.GONGKAI_TRUSTED_PROXIES = ["127.0.0.1", "::1"]
    addresses: list[str] = []

    def view(request):
        addresses.append(request.META["REMOTE_ADDR"])
        return HttpResponse()

    middleware = ProxiedClientAddressMiddleware(view)

    def call(remote: str, real_ip: str | None) -> str:
        extra = {"REMOTE_ADDR": remote}
        if real_ip is not None:
            extra["HTTP_X_REAL_IP"] = real_ip
        middleware(RequestFactory().get("/", **extra))
        return addresses[-1]

    return call


def test_the_local_proxy_names_the_client(seen):
    assert seen("127.0.0.1", "203.0.113.9") == "203.0.113.9"
    assert seen("::1", " 2001:db8::7 ") == "2001:db8::7"


def test_a_client_cannot_name_itself_when_it_reaches_the_app_directly(seen):
    assert seen("198.51.100.4", "203.0.113.9") == "198.51.100.4"


def test_garbage_or_no_header_keeps_the_proxy_address(seen):
    assert seen("127.0.0.1", "203.0.113.9, 10.0.0.1") == "127.0.0.1"
    assert seen("127.0.0.1", "") == "127.0.0.1"
    assert seen("127.0.0.1", None) == "127.0.0.1"
