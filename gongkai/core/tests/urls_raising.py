"""The project's URLs plus a view that fails, to render the production 500 page in tests."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from gongkai.config.urls import handler403, handler500
from gongkai.config.urls import urlpatterns as project_urlpatterns

__all__ = ["handler403", "handler500", "urlpatterns"]


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("simulated failure")


urlpatterns = [path("broken-for-test/", broken), *project_urlpatterns]
