"""Back-office pages of 意见征集 and the 重大行政决策事项目录 (/staff/participation/).

A member of staff sees the consultations and directories of the organisations where they are
编辑, 审核人 or 政务公开管理员; the services check the role of every write. Review (submit,
approve, publish) happens on the shared 先审后发 page (``staff:workflow_content``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.accounts.http import AuthenticatedHttpRequest
from gongkai.accounts.models import Role
from gongkai.accounts.permissions import staff_required
from gongkai.accounts.selectors import organisation_ids_for_role, organisations_for_role
from gongkai.catalogue.selectors import public_items
from gongkai.participation import documents, rules, selectors, services
from gongkai.participation import forms as pf
from gongkai.participation.models import (
    AttendanceRecord,
    Comment,
    Consultation,
    Decision,
    DecisionDirectory,
    DecisionStage,
    DirectoryAdjustment,
    Disposition,
    Feedback,
    OpenDayEvent,
    PolicyEvaluation,
)

VIEW_ROLES = (Role.EDITOR, Role.REVIEWER, Role.ADMIN)


def _scoped(qs: QuerySet, user: Any, field: str = "organisation_id") -> QuerySet:
    scope = organisation_ids_for_role(user, *VIEW_ROLES)
    return qs if scope is None else qs.filter(**{f"{field}__in": scope})


def _form_errors(form: forms.Form, error: ValidationError | PermissionDenied) -> None:
    if isinstance(error, PermissionDenied):
        form.add_error(None, str(error))
    elif hasattr(error, "error_dict"):
        for field, texts in error.message_dict.items():
            for text in texts:
                form.add_error(field if field in form.fields else None, text)
    else:
        for text in error.messages:
            form.add_error(None, text)


# ------------------------------------------------------------------ consultations
@staff_required
def consultation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    orgs = organisations_for_role(request.user, *VIEW_ROLES)
    return render(
        request,
        "staff/participation/list.html",
        {
            "consultations": selectors.staff_consultations(orgs)[:200],
            "stats": selectors.participation_stats(orgs),
        },
    )


def _questions(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@staff_required
def consultation_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    user: Any = request.user
    form = pf.ConsultationForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organisation = data.pop("organisation")
        questions = _questions(data.pop("questions"))
        try:
            c = services.consultation_create(
                organisation=organisation, acting_user=user, questions=questions, **data
            )
        except (ValidationError, PermissionDenied) as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("征集草稿已保存，请提交审核。"))
            return redirect("staff:consultation_detail", pk=c.pk)
    return render(
        request,
        "staff/participation/form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _detail_context(
    request: AuthenticatedHttpRequest, c: Consultation, **forms_: Any
) -> dict[str, Any]:
    now = timezone.now()
    feedback = Feedback.objects.filter(consultation=c).first()
    context = {
        "c": c,
        "state": services.window_state(c, now),
        "days_left": rules.days_left(now, c.closes_on),
        "pending": c.comments.filter(moderation=Comment.Moderation.PENDING),
        "approved": c.comments.filter(moderation=Comment.Moderation.APPROVED).select_related(
            "group", "question"
        ),
        "rejected": c.comments.filter(moderation=Comment.Moderation.REJECTED),
        "groups": [(g, Disposition(g.disposition).label) for g in selectors.group_facts(c)],
        "count_rows": documents.count_rows(feedback) if feedback else [],
        "offline_inputs": c.offline_inputs.select_related("group"),
        "feedback": feedback,
        "feedback_problem": services.feedback_problem(c, now),
        "feedback_form": _form(
            "feedback", c, initial={"summary": feedback.summary if feedback else ""}
        ),
    }
    for action in ACTIONS:
        context.setdefault(ACTIONS[action][0], _form(action, c))
    context.update(forms_)
    return context


def _consultation(request: AuthenticatedHttpRequest, pk: int) -> Consultation:
    qs = _scoped(
        Consultation.objects.select_related("organisation", "final_document"), request.user
    )
    return get_object_or_404(qs, pk=pk)


@staff_required
def consultation_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    c = _consultation(request, pk)
    return render(request, "staff/participation/detail.html", _detail_context(request, c))


# Each action: the form that parses it and the service call (form data, consultation, user).
Handler = Callable[[dict[str, Any], Consultation, Any, AuthenticatedHttpRequest], str]


def _extend(data: dict[str, Any], c: Consultation, user: Any, _r: HttpRequest) -> str:
    services.consultation_extend(
        consultation=c, closes_on=data["closes_on"], reason=data["reason"], acting_user=user
    )
    return _("截止日期已延长。")


def _close(data: dict[str, Any], c: Consultation, user: Any, _r: HttpRequest) -> str:
    services.consultation_close(consultation=c, reason=data["reason"], acting_user=user)
    return _("征集已提前截止。")


def _moderate(
    data: dict[str, Any], c: Consultation, user: Any, request: AuthenticatedHttpRequest
) -> str:
    comment = get_object_or_404(c.comments, pk=request.POST.get("comment"))
    services.comment_moderate(
        comment=comment,
        approve=data["decision"] == "approve",
        reason=data["reason"],
        note=data["note"],
        acting_user=user,
    )
    return _("意见审核结果已保存。")


def _group(data: dict[str, Any], c: Consultation, user: Any, _r: HttpRequest) -> str:
    services.group_save(
        consultation=c,
        title=data["title"],
        disposition=data["disposition"],
        reason=data["reason"],
        comments=data["comments"],
        offline_inputs=data["offline_inputs"],
        group=data["group"],
        acting_user=user,
    )
    return _("意见分组和处理意见已保存。")


def _offline(data: dict[str, Any], c: Consultation, user: Any, _r: HttpRequest) -> str:
    fields = dict(data)
    services.offline_input_record(
        consultation=c,
        method=fields.pop("method"),
        held_on=fields.pop("held_on"),
        summary=fields.pop("summary"),
        acting_user=user,
        **fields,
    )
    return _("线下征求意见情况已记录。")


def _feedback(data: dict[str, Any], c: Consultation, user: Any, _r: HttpRequest) -> str:
    services.feedback_prepare(consultation=c, summary=data["summary"], acting_user=user)
    return _("采纳情况反馈已生成，请提交审核。")


def _finish(data: dict[str, Any], c: Consultation, user: Any, _r: HttpRequest) -> str:
    services.consultation_finish(consultation=c, acting_user=user)
    return _("征集已办结。")


def _link(data: dict[str, Any], c: Consultation, user: Any, _r: HttpRequest) -> str:
    document = public_items().filter(index_number=data["index_number"].strip()).first()
    if document is None:
        raise ValidationError({"index_number": [_("没有找到该索引号的已发布文件")]})
    services.consultation_link_document(consultation=c, document=document, acting_user=user)
    return _("正式文件已关联。")


def _attach(data: dict[str, Any], c: Consultation, user: Any, _r: HttpRequest) -> str:
    services.consultation_attachment_add(
        consultation=c, title=data["title"], uploaded_file=data["file"], acting_user=user
    )
    return _("附件已添加。")


ACTIONS: dict[str, tuple[str, Callable[..., forms.Form], Handler]] = {
    "attach": ("attach_form", pf.AttachmentForm, _attach),
    "extend": ("extend_form", pf.ExtendForm, _extend),
    "close": ("close_form", pf.CloseForm, _close),
    "moderate": ("moderate_form", pf.ModerateForm, _moderate),
    "group": ("group_form", pf.GroupForm, _group),
    "offline": ("offline_form", pf.OfflineInputForm, _offline),
    "feedback": ("feedback_form", pf.FeedbackForm, _feedback),
    "finish": ("finish_form", forms.Form, _finish),
    "link": ("link_form", pf.LinkDocumentForm, _link),
}


def _form(
    action: str, c: Consultation, data: Any = None, files: Any = None, **kwargs: Any
) -> forms.Form:
    """The action's form; ids carry the action's name, as several forms share field names."""
    make = ACTIONS[action][1]
    if make is pf.GroupForm:
        kwargs["consultation"] = c
    return make(data, files, auto_id=f"{action}_%s", **kwargs)


@staff_required
@require_POST
def consultation_action(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    c = _consultation(request, pk)
    name, _make, handler = ACTIONS[action]
    form = _form(action, c, request.POST, request.FILES)
    if form.is_valid():
        try:
            done = handler(form.cleaned_data, c, request.user, request)
        except (ValidationError, PermissionDenied) as error:
            _form_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("staff:consultation_detail", pk=c.pk)
    context = _detail_context(request, c, **{name: form})
    context["action_errors"] = form.errors
    return render(request, "staff/participation/detail.html", context, status=400)


# ------------------------------------------------------------------ directories
@staff_required
def directory_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user: Any = request.user
    form = pf.DirectoryForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            d = services.directory_create(
                organisation=form.cleaned_data["organisation"],
                year=form.cleaned_data["year"],
                acting_user=user,
            )
        except (ValidationError, PermissionDenied) as error:
            _form_errors(form, error)
        else:
            return redirect("staff:directory_detail", pk=d.pk)
    directories = _scoped(DecisionDirectory.objects.select_related("organisation"), user)
    return render(
        request,
        "staff/participation/directories.html",
        {"directories": directories, "form": form},
        status=400 if form.errors else 200,
    )


def _directory(request: AuthenticatedHttpRequest, pk: int) -> DecisionDirectory:
    qs = _scoped(DecisionDirectory.objects.select_related("organisation"), request.user)
    return get_object_or_404(qs, pk=pk)


def _directory_page(
    request: AuthenticatedHttpRequest, d: DecisionDirectory, status: int = 200, **extra: Any
) -> HttpResponse:
    context = {
        "d": d,
        "decisions": selectors.directory_decisions(d),
        "adjustment_form": extra.pop("adjustment_form", None) or pf.AdjustmentForm(directory=d),
        "pending_adjustments": selectors.directory_adjustments_pending(d),
        "adjustment_history": selectors.directory_adjustment_history(d),
        "decision_form": pf.DecisionForm(),
        "stage_form": pf.StageForm(),
        "remove_form": pf.RemoveDecisionForm(),
        "link_form": pf.DecisionLinkForm(organisations=_link_scope(request.user)),
        **extra,
    }
    return render(request, "staff/participation/directory.html", context, status=status)


def _link_scope(user: Any) -> Any:
    return organisations_for_role(user, *VIEW_ROLES)


def _decision_link(decision: Decision, data: dict[str, Any], user: Any) -> None:
    number = (data.get("index_number") or "").strip()
    document = public_items().filter(index_number=number).first() if number else None
    if number and document is None:
        raise ValidationError({"index_number": [_("没有找到该索引号的已发布文件")]})
    services.decision_link(
        decision=decision,
        consultation=data.get("consultation"),
        decision_document=document,
        acting_user=user,
    )


@staff_required
def directory_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _directory_page(request, _directory(request, pk))


@staff_required
@require_POST
def directory_action(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    d = _directory(request, pk)
    user = request.user
    form: forms.Form
    try:
        if action == "publish":
            # Published through the review chain (先审后发), never directly from here.
            return redirect("staff:workflow_content", "decision_directory", d.pk)
        if action == "add":
            form = pf.DecisionForm(request.POST)
            if form.is_valid():
                services.decision_add(directory=d, acting_user=user, **form.cleaned_data)
        elif action == "remove":
            form = pf.RemoveDecisionForm(request.POST)
            decision = get_object_or_404(Decision, directory=d, pk=request.POST.get("decision"))
            if form.is_valid():
                services.decision_remove(
                    decision=decision, reason=form.cleaned_data["reason"], acting_user=user
                )
        elif action == "link":
            form = pf.DecisionLinkForm(request.POST, organisations=_link_scope(user))
            decision = get_object_or_404(Decision, directory=d, pk=request.POST.get("decision"))
            if form.is_valid():
                _decision_link(decision, form.cleaned_data, user)
        elif action == "stage":
            form = pf.StageForm(request.POST)
            stage = get_object_or_404(
                DecisionStage, decision__directory=d, pk=request.POST.get("stage")
            )
            if form.is_valid():
                services.stage_update(stage=stage, acting_user=user, **form.cleaned_data)
        else:
            raise Http404
    except (ValidationError, PermissionDenied) as error:
        _form_errors(form, error)
    if form.is_valid() and not form.errors:
        messages.success(request, _("已保存。"))
        return redirect("staff:directory_detail", pk=d.pk)
    return _directory_page(request, d, status=400, action_errors=form.errors)


@staff_required
@require_POST
def directory_adjust(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Draft an adjustment of a published directory, then on to its review page."""
    d = _directory(request, pk)
    form = pf.AdjustmentForm(request.POST, directory=d)
    if form.is_valid():
        try:
            adjustment = services.directory_adjustment_create(
                directory=d, acting_user=request.user, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("目录调整草稿已保存，请提交审核；审核发布后生效。"))
            return redirect(
                "staff:workflow_content", "decision_directory_adjustment", adjustment.pk
            )
    return _directory_page(request, d, status=400, action_errors=form.errors, adjustment_form=form)


@staff_required
def directory_adjustment_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Correct a draft, returned or withdrawn adjustment, then on to its review page to
    resubmit it (the service refuses one in review or published)."""
    scope = organisation_ids_for_role(request.user, Role.EDITOR, Role.ADMIN)
    qs = DirectoryAdjustment.objects.select_related("directory__organisation", "decision")
    if scope is not None:
        qs = qs.filter(directory__organisation_id__in=scope)
    adjustment = qs.filter(pk=pk).first()
    if adjustment is None:
        raise Http404(_("找不到该目录调整，或您无权修改"))
    form = pf.AdjustmentEditForm(
        request.POST or None, initial=pf.AdjustmentEditForm.initial_for(adjustment)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.directory_adjustment_update(
                adjustment=adjustment, acting_user=request.user, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("目录调整已保存，请重新提交审核；审核发布后生效。"))
            return redirect("staff:workflow_content", "decision_directory_adjustment", pk)
    return render(
        request,
        "staff/participation/adjustment_edit.html",
        {"form": form, "adjustment": adjustment},
        status=400 if form.errors else 200,
    )


# ------------------------------------------------------------------ 政策评价
@staff_required
def evaluation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user: Any = request.user
    form = pf.EvaluationForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        number = data.pop("policy_index_number").strip()
        policy = public_items().filter(index_number=number).first()
        try:
            if policy is None:
                raise ValidationError(
                    {"policy_index_number": [_("没有找到该索引号的已发布政策文件")]}
                )
            evaluation = services.evaluation_create(policy=policy, acting_user=user, **data)
        except (ValidationError, PermissionDenied) as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("评价报告草稿已保存，请提交审核。"))
            return redirect("staff:workflow_content", "policy_evaluation", evaluation.pk)
    evaluations = _scoped(PolicyEvaluation.objects.select_related("organisation", "policy"), user)
    return render(
        request,
        "staff/participation/evaluations.html",
        {"evaluations": evaluations.order_by("-id")[:200], "form": form},
        status=400 if form.errors else 200,
    )


# ------------------------------------------------------------------ 政府开放日, 公众代表列席
@staff_required
def open_day_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """政府开放日 events of the staff member's organisations, with their registrations count;
    a new event is created here (registration opens at once on the public page)."""
    user: Any = request.user
    form = pf.OpenDayEventForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.open_day_create(acting_user=user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("开放日活动已创建，公众可在网站报名。"))
            return redirect("staff:open_day_detail", pk=event.pk)
    events = _scoped(
        OpenDayEvent.objects.select_related("organisation", "evaluation").annotate(
            n_registered=Count("registrations")
        ),
        user,
    ).order_by("-held_on", "-id")
    return render(
        request,
        "staff/participation/open_days.html",
        {"events": events[:200], "form": form},
        status=400 if form.errors else 200,
    )


@staff_required
def open_day_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One event and who registered (names and phones: staff only)."""
    qs = _scoped(OpenDayEvent.objects.select_related("organisation", "evaluation"), request.user)
    event = get_object_or_404(qs, pk=pk)
    return render(
        request,
        "staff/participation/open_day.html",
        {"event": event, "registrations": event.registrations.order_by("created_at", "id")},
    )


@staff_required
def attendance_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """公众代表列席 records: who attended which meeting and what they said."""
    user: Any = request.user
    form = pf.AttendanceForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_record(acting_user=user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("列席记录已保存。"))
            return redirect("staff:attendance_list")
    records = _scoped(
        AttendanceRecord.objects.select_related("organisation", "decision"), user
    ).order_by("-held_on", "-id")
    return render(
        request,
        "staff/participation/attendance.html",
        {"records": records[:200], "form": form},
        status=400 if form.errors else 200,
    )
