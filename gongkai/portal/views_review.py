"""Public pages of review & compliance: the 我为政府网站找错 form (rules note §5.3)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from gongkai.core import ratelimit
from gongkai.oversight import services
from gongkai.oversight.forms import ErrorReportForm


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def report_error(request: HttpRequest) -> HttpResponse:
    guard = ratelimit.Guard(request, "error_report")
    if request.method == "POST":
        if guard.blocked:
            return ratelimit.too_many(request)
        form = ErrorReportForm(request.POST)
        if guard.passes() and form.is_valid():
            report = services.error_report_submit(
                page_url=form.cleaned_data["page_url"],
                description=form.cleaned_data["description"],
                contact=form.cleaned_data["contact"].strip(),
                acting_user=request.user,
                ip_address=_client_ip(request),
            )
            request.session["error_report_id"] = report.pk
            return redirect("portal:review_report_error_thanks")
    else:
        page = request.GET.get("page", "")[:1000]
        form = ErrorReportForm(initial={"page_url": page})
    return render(
        request, "portal/review/report_error.html", {"form": form, "captcha": guard.captcha}
    )


def report_error_thanks(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/review/report_error_thanks.html",
        {"report_id": request.session.get("error_report_id")},
    )
