"""Typed requests: what a view behind a login check may assume about ``request.user``.

Django types ``HttpRequest.user`` as ``User | AnonymousUser``. A view behind
``staff_required`` (or ``login_required``) only ever runs for a signed-in account, so it
annotates its request as :class:`AuthenticatedHttpRequest` and reads ``request.user`` as a
``User`` without a cast or a ``type: ignore``. The annotation is a promise to the type checker,
not a check: the decorator is what enforces it.
"""

from django.http import HttpRequest

from .models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request whose user is signed in (the view is behind staff_required/login_required)."""

    user: User
