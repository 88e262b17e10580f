"""Back-office search: everything public plus the drafts and non-public documents of the
organisations where the user edits, reviews or administers."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render

from gongkai.accounts.http import AuthenticatedHttpRequest
from gongkai.accounts.selectors import is_staff_user
from gongkai.search.presentation import search_context


@login_required
def search(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not is_staff_user(request.user):
        raise PermissionDenied
    return render(request, "staff/search/results.html", search_context(request, staff_scope=True))
