"""Back-office pages for 更正申请 (条例第四十一条): list, registration, and the page where a
handler forwards a request to the agency with the power to correct and answers it.

Same scope rule as the case pages: only requests of organisations where the user is
依申请公开经办人 or 管理员; anything else is a 404.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gongkai.accounts.http import AuthenticatedHttpRequest
from gongkai.accounts.permissions import forbidden, staff_required
from gongkai.foi import forms, selectors, services
from gongkai.foi.models import CorrectionRequest

from .views_foi import _errors_to_form


@staff_required
def correction_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    qs = selectors.corrections_for_staff(request.user)
    state = request.GET.get("state", "")
    if state in CorrectionRequest.State.values:
        qs = qs.filter(state=state)
    return render(
        request,
        "staff/foi/corrections.html",
        {"corrections": qs[:200], "states": CorrectionRequest.State.choices, "state": state},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def correction_record(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = forms.CorrectionRecordForm(request.POST or None, user=request.user)
    if not form.fields["organisation"].queryset.exists():  # type: ignore[attr-defined]  # a ModelChoiceField; fields[] is typed Field
        return forbidden(request, _("您不是任何机关的依申请公开经办人"))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            item = services.correction_record(
                organisation=d["organisation"],
                data=form.service_data(),
                channel=d["channel"],
                received=d["received"],
                acting_user=request.user,
            )
        except services.CaseError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("已登记更正申请 %(ref)s") % {"ref": item.reference})
            return redirect("staff:foi_correction", pk=item.pk)
    return render(request, "staff/foi/correction_record.html", {"form": form})


@staff_required
@require_http_methods(["GET", "POST"])
def correction_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = selectors.corrections_for_staff(request.user).filter(pk=pk).first()
    if item is None:
        raise Http404(_("找不到该更正申请，或您无权查看"))
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forward = forms.CorrectionForwardForm(
        request.POST if action == "forward" else None, prefix="forward"
    )
    reply = forms.CorrectionReplyForm(request.POST if action == "reply" else None, prefix="reply")
    form = {"forward": forward, "reply": reply}.get(action)
    status = 200
    if form is not None:
        if form.is_valid():
            d = form.cleaned_data
            try:
                if action == "forward":
                    services.correction_forward(
                        request=item,
                        to=d["to"],
                        to_name=d["to_name"],
                        on=d["on"],
                        acting_user=request.user,
                    )
                else:
                    services.correction_reply(
                        request=item,
                        result=d["result"],
                        text=d["text"],
                        on=d["on"],
                        acting_user=request.user,
                    )
            except PermissionDenied as exc:
                return forbidden(request, str(exc) or None)
            except services.CaseError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, _("操作已完成"))
                return redirect("staff:foi_correction", pk=item.pk)
        status = 400
        messages.error(request, _("操作未完成：请按提示修改表单。"))
        item.refresh_from_db()
    return render(
        request,
        "staff/foi/correction_detail.html",
        {"item": item, "forward": forward, "reply": reply},
        status=status,
    )
