"""Public 依申请公开 pages: apply, track a case with its query code, the applicant's own cases.

No personal data ever appears here: the status page shows the reference, the agency, the
status, the dates and the public steps; the applicant's own case page adds what they asked.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gongkai.accounts.guide import ogi_office_contacts
from gongkai.accounts.http import AuthenticatedHttpRequest
from gongkai.accounts.models import Organisation
from gongkai.accounts.selectors import organisation_tree
from gongkai.core import ratelimit
from gongkai.core.storage import private_file_response
from gongkai.foi import selectors, services
from gongkai.foi.forms import CorrectionForm, PublicApplicationForm, StatusQueryForm
from gongkai.foi.identity import case_submit_with_identity
from gongkai.foi.models import Case
from gongkai.foi.plain import ClockNote, applicant_clock_note

SESSION_DONE = "foi_done"
SESSION_VERIFIED = "foi_verified"
# Failed query-code look-ups count in the shared cache per client address (portal and API
# together, settings.GONGKAI_RATE_LIMITS["foi_status"]): the code is 8 of 32 characters.


def _chosen_organisation(request: HttpRequest) -> Organisation | None:
    code = request.GET.get("org", "")
    return Organisation.objects.filter(code=code, is_active=True).first() if code else None


def guide(request: HttpRequest) -> HttpResponse:
    """依申请公开 starts with guidance: 须知, the flow, the deadlines, fees, and the chosen
    受理机关's 政府信息公开工作机构 (条例第十二条); then the form for a citizen or a 法人."""
    organisation = _chosen_organisation(request)
    return render(
        request,
        "portal/foi/guide.html",
        {
            "organisation": organisation,
            "contacts": ogi_office_contacts(organisation) if organisation else [],
            "tree": organisation_tree(),
        },
    )


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    initial: dict = {}
    user = request.user
    if user.is_authenticated and getattr(user, "kind", "") == "public":
        initial = {
            "applicant_name": user.get_full_name(),
            "applicant_type": user.applicant_type,
            "email": user.email,
            "phone": user.phone,
        }
    kind = request.POST.get("as") or request.GET.get("as") or ""
    if kind == "natural":
        initial["applicant_type"] = "natural"
    elif kind == "legal" and initial.get("applicant_type") == "natural":
        initial.pop("applicant_type")
    chosen = _chosen_organisation(request)
    if chosen is not None:
        initial["organisation"] = chosen.pk
    form = PublicApplicationForm(
        request.POST or None, request.FILES or None, initial=initial, applicant_kind=kind
    )
    guard = ratelimit.Guard(request, "foi_apply")
    if request.method == "POST" and guard.blocked:
        return ratelimit.too_many(request)
    if request.method == "POST" and guard.passes() and form.is_valid():
        try:
            case, code = case_submit_with_identity(
                organisation=form.cleaned_data["organisation"],
                data=form.service_data(),
                identity=form.cleaned_data.get("identity_document"),
                acting_user=user,
            )
        except services.CaseError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    form.add_error(field if field in form.fields else None, message)
        else:
            request.session[SESSION_DONE] = {"reference": case.reference, "code": code}
            return redirect("portal:foi_done")
    return render(
        request,
        "portal/foi/apply.html",
        {"form": form, "captcha": guard.captcha, "applicant_kind": form.applicant_kind},
    )


def done(request: HttpRequest) -> HttpResponse:
    data = request.session.get(SESSION_DONE)
    if not data:
        return redirect("portal:foi_apply")
    return render(request, "portal/foi/done.html", data)


def _status_context(case: Case) -> dict:
    # The reference-and-code query is the own page of an applicant without an account: it
    # explains the reply clock in the same plain words as the signed-in page (issue 15 item 9).
    return {
        "case": case,
        "clock": _clock(case),
        "explanation": [line for line in case.deadline_note.split("\n") if line.strip()],
        "timeline": selectors.public_timeline(case),
        "reply": selectors.delivered_reply(case),
        "deferral": selectors.reply_deferral(case) if case.is_open else None,
        "fee_notice": selectors.open_fee_notice(case),
    }


@require_http_methods(["GET", "POST"])
def status(request: HttpRequest) -> HttpResponse:
    form = StatusQueryForm(request.POST or None)
    # Only failures count here, so the guard does not count every POST.
    guard = ratelimit.Guard(request, "foi_status", count_posts=False)
    context: dict = {"form": form, "captcha": guard.captcha}
    if request.method == "POST" and guard.blocked:
        form.add_error(None, _("查询失败次数过多，请一小时后再试"))
        return render(request, "portal/foi/status.html", context, status=429)
    if request.method == "POST" and guard.passes() and form.is_valid():
        case = Case.objects.filter(reference=form.cleaned_data["reference"].strip()).first()
        if case is None or not services.query_code_matches(case, form.cleaned_data["code"]):
            guard.count_failure()
            form.add_error(None, _("申请编号或查询码不正确"))
        else:
            verified = set(request.session.get(SESSION_VERIFIED, []))
            verified.add(case.pk)
            request.session[SESSION_VERIFIED] = sorted(verified)
            context.update(_status_context(case))
    context["captcha"] = guard.captcha
    return render(request, "portal/foi/status.html", context)


def _send_letter(case: Case, fmt: str) -> HttpResponseBase:
    if fmt not in ("pdf", "docx"):
        raise Http404
    doc = selectors.delivered_reply(case)
    if doc is None:
        raise Http404(_("答复书尚未送达"))
    field = doc.pdf if fmt == "pdf" else doc.file
    if not field:
        raise Http404(_("文件不存在"))
    return private_file_response(field, filename=f"{case.reference}-答复书.{fmt}")


def status_letter(request: HttpRequest, reference: str, fmt: str) -> HttpResponseBase:
    """The reply letter, for a browser session that proved the query code."""
    case = get_object_or_404(Case, reference=reference)
    if case.pk not in request.session.get(SESSION_VERIFIED, []):
        raise Http404
    return _send_letter(case, fmt)


def _clock(case: Case) -> ClockNote:
    """The applicant's plain-words note on the reply clock, with working days left."""
    from gongkai.workdays.calendar import CalendarMissing
    from gongkai.workdays.selectors import load_calendar

    left = None
    if case.is_open and case.due_date is not None:
        try:
            left = load_calendar().workdays_between(timezone.localdate(), case.due_date)
        except CalendarMissing:
            left = None
    return applicant_clock_note(
        status=case.status,
        due=case.due_date if case.is_open else None,
        workdays_left=left,
        closed=case.closed_date,
    )


@login_required
def my_case(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = selectors.cases_for_applicant(request.user).filter(pk=pk).first()
    if case is None:
        raise Http404
    return render(request, "portal/foi/my_case.html", _status_context(case))


@login_required
def my_case_letter(request: AuthenticatedHttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    case = selectors.cases_for_applicant(request.user).filter(pk=pk).first()
    if case is None:
        raise Http404
    return _send_letter(case, fmt)


@require_http_methods(["GET", "POST"])
def correction(request: HttpRequest) -> HttpResponse:
    """条例第四十一条: ask an agency to correct an inaccurate record about oneself."""
    form = CorrectionForm(request.POST or None)
    guard = ratelimit.Guard(request, "correction")
    if request.method == "POST" and guard.blocked:
        return ratelimit.too_many(request)
    if request.method == "POST" and guard.passes() and form.is_valid():
        try:
            item = services.correction_submit(
                organisation=form.cleaned_data["organisation"],
                data=form.service_data(),
                acting_user=request.user,
            )
        except services.CaseError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    form.add_error(field if field in form.fields else None, message)
        else:
            request.session["foi_correction_done"] = item.reference
            return redirect("portal:foi_correction")
    done = request.session.pop("foi_correction_done", "") if request.method == "GET" else ""
    return render(
        request,
        "portal/foi/correction.html",
        {"form": form, "done": done, "captcha": guard.captcha},
    )
