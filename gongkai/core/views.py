"""Project-wide error views (wired in config/urls.py as handler403)."""

from django.http import HttpRequest, HttpResponse

from .permissions import forbidden


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if exception is not None and str(exception) else None
    return forbidden(request, message)
