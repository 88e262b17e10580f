"""Back-office pages for interpretations (/staff/interpretations/) and Q&A (/staff/qa/).

A member of staff sees the interpretations and Q&A of the organisations where they are 编辑,
审核人 or 政务公开管理员 (accounts.selectors scope); only editors/administrators edit.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from gongkai.accounts.http import AuthenticatedHttpRequest
from gongkai.accounts.models import Role, User
from gongkai.accounts.permissions import staff_required
from gongkai.accounts.selectors import organisation_ids_for_role, user_has_role
from gongkai.core.pagination import paginate
from gongkai.core.status import ContentStatus
from gongkai.policies import services
from gongkai.policies.forms import InterpretationForm, QAForm, editable_organisations
from gongkai.policies.models import Interpretation, QAEntry
from gongkai.review.selectors import review_abilities

VIEW_ROLES = (Role.EDITOR, Role.REVIEWER)


def _scoped(qs: QuerySet, user: User) -> QuerySet:
    scope = organisation_ids_for_role(user, *VIEW_ROLES)
    return qs if scope is None else qs.filter(organisation_id__in=scope)


def _get_scoped(qs: QuerySet, user: User, pk: int) -> Any:
    """404 for objects outside the user's organisations: their existence is not disclosed."""
    return get_object_or_404(_scoped(qs, user), pk=pk)


def _apply_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errs in error.error_dict.items():
            target = field if field in form.fields else None
            if field == "policies":
                target = "policy_refs" if "policy_refs" in form.fields else "policy_ref"
            for err in errs:
                form.add_error(target, err)
    else:
        form.add_error(None, error)


# --- interpretations -----------------------------------------------------------------------


def _content_list(request: AuthenticatedHttpRequest, qs: Any, template: str) -> HttpResponse:
    """The staff list of interpretations or Q&A: the user's organisations, by status."""
    # Closed 修订稿 are history, not work to do.
    qs = qs.exclude(revision_of__isnull=False, revision_closed_at__isnull=False)
    status = request.GET.get("status", "")
    if status in ContentStatus.values:
        qs = qs.filter(status=status)
    return render(
        request,
        template,
        {
            "page_obj": paginate(request, qs.order_by("-updated_at", "-id")),
            "statuses": ContentStatus.choices,
            "current_status": status,
            "can_create": editable_organisations(request.user).exists(),
        },
    )


def _form_page(
    request: AuthenticatedHttpRequest, template: str, form: Any, obj: Any, **extra: Any
) -> HttpResponse:
    return render(
        request,
        template,
        {"form": form, "obj": obj, **extra},
        status=400 if form.is_bound and form.errors else 200,
    )


@staff_required
def interpretation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    qs = (
        _scoped(Interpretation.objects.all(), request.user)
        .select_related("organisation")
        .annotate(n_policies=Count("policies"))
    )
    return _content_list(request, qs, "staff/policies/interpretation_list.html")


@staff_required
def interpretation_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    user: User = request.user
    if not editable_organisations(user).exists():
        raise PermissionDenied(_("只有编辑或政务公开管理员可以新建政策解读。"))
    form = InterpretationForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            obj = services.interpretation_create(
                organisation=data["organisation"],
                title=data["title"],
                form=data["form"],
                body=data["body"],
                image=data["image"],
                image_alt=data["image_alt"],
                video_url=data["video_url"],
                interpreter=data["interpreter"],
                policies=data["policy_refs"],
                acting_user=user,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("政策解读已保存为草稿。"))
            return redirect("staff:policies_interpretation_edit", obj.pk)
    return _form_page(request, "staff/policies/interpretation_form.html", form, None)


def _revision_state(obj: Any) -> tuple[bool, Any]:
    """(is the object published live content, its open 修订稿 or None)."""
    live = obj.status == ContentStatus.PUBLISHED and not obj.revision_of_id
    revision = obj.revisions.filter(revision_closed_at=None).first() if live else None
    return live, revision


def _editable(obj: Any) -> bool:
    return not (obj.revision_of_id and obj.revision_closed_at is not None)


LIVE_SAVED = _lazy("已保存为修订稿。请提交审核；终审通过后，修改才替换网站上的公开内容。")


@staff_required
def interpretation_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Edit a draft in place; published content is corrected through its 修订稿 (ADR 0005):
    the first save creates it, and it replaces the public text only on final approval."""
    user: User = request.user
    obj = _get_scoped(Interpretation.objects.select_related("organisation"), user, pk)
    can_edit = user_has_role(user, obj.organisation_id, *services.EDIT_ROLES) and _editable(obj)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied(_("您没有编辑该政策解读的权限。"))
    live, revision = _revision_state(obj)
    if revision is not None and can_edit:
        return redirect("staff:policies_interpretation_edit", revision.pk)
    initial = {
        "organisation": obj.organisation,
        "title": obj.title,
        "form": obj.form,
        "body": obj.body,
        "image_alt": obj.image_alt,
        "video_url": obj.video_url,
        "interpreter": obj.interpreter,
        "policy_refs": "\n".join(obj.policies.values_list("index_number", flat=True)),
    }
    form = InterpretationForm(
        request.POST or None, request.FILES or None, user=user, instance=obj, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # Text and links are saved together or not at all.
            with transaction.atomic():
                target = (
                    services.interpretation_revision_open(interpretation=obj, acting_user=user)
                    if live
                    else obj
                )
                services.interpretation_update(
                    interpretation=target,
                    title=data["title"],
                    form=data["form"],
                    body=data["body"],
                    image=data["image"],
                    image_alt=data["image_alt"],
                    video_url=data["video_url"],
                    interpreter=data["interpreter"],
                    acting_user=user,
                )
                services.interpretation_link(
                    interpretation=target, policies=data["policy_refs"], acting_user=user
                )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, LIVE_SAVED if live else _("政策解读已保存。"))
            return redirect("staff:policies_interpretation_edit", target.pk)
    return _form_page(
        request,
        "staff/policies/interpretation_form.html",
        form,
        obj,
        can_edit=can_edit,
        abilities=review_abilities(user, obj),
        linked=list(obj.policies.select_related("organisation")),
        live=live,
    )


def _submit_for_review(request: AuthenticatedHttpRequest, obj: Any, success: str) -> None:
    """先审后发: the author's "publish" sends the content to the review chain; the final
    reviewer's approval publishes it (gongkai.review.chain_services)."""
    from gongkai.review.chain_services import review_submit

    try:
        review_submit(content=obj, acting_user=request.user)
    except (ValidationError, PermissionDenied) as exc:
        for message in getattr(exc, "messages", [str(exc)]):
            messages.error(request, message)
    else:
        messages.success(request, success)


@staff_required
@require_POST
def interpretation_publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user: User = request.user
    obj = _get_scoped(Interpretation.objects.all(), user, pk)
    _submit_for_review(request, obj, _("政策解读已提交审核，终审通过后发布。"))
    return redirect("staff:policies_interpretation_edit", obj.pk)


# --- Q&A ------------------------------------------------------------------------------------


@staff_required
def qa_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    qs = _scoped(QAEntry.objects.all(), request.user).select_related(
        "organisation", "unit", "policy"
    )
    return _content_list(request, qs, "staff/policies/qa_list.html")


@staff_required
def qa_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    user: User = request.user
    if not editable_organisations(user).exists():
        raise PermissionDenied(_("只有编辑或政务公开管理员可以新建政策问答。"))
    form = QAForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.qa_create(
                organisation=data["organisation"],
                unit=data["unit"],
                question=data["question"],
                answer=data["answer"],
                policy=data["policy_ref"],
                contact_phone=data["contact_phone"],
                acting_user=user,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("政策问答已保存为草稿。"))
            return redirect("staff:policies_qa_edit", entry.pk)
    return _form_page(request, "staff/policies/qa_form.html", form, None)


@staff_required
def qa_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user: User = request.user
    entry = _get_scoped(QAEntry.objects.select_related("organisation", "policy"), user, pk)
    can_edit = user_has_role(user, entry.organisation_id, *services.EDIT_ROLES) and _editable(entry)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied(_("您没有编辑该政策问答的权限。"))
    live, revision = _revision_state(entry)
    if revision is not None and can_edit:
        return redirect("staff:policies_qa_edit", revision.pk)
    initial = {
        "organisation": entry.organisation,
        "unit": entry.unit_id,
        "question": entry.question,
        "answer": entry.answer,
        "policy_ref": entry.policy.index_number if entry.policy else "",
        "contact_phone": entry.contact_phone,
    }
    form = QAForm(request.POST or None, user=user, instance=entry, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                target = services.qa_revision_open(entry=entry, acting_user=user) if live else entry
                services.qa_update(
                    entry=target,
                    unit=data["unit"],
                    question=data["question"],
                    answer=data["answer"],
                    policy=data["policy_ref"],
                    contact_phone=data["contact_phone"],
                    acting_user=user,
                )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, LIVE_SAVED if live else _("政策问答已保存。"))
            return redirect("staff:policies_qa_edit", target.pk)
    return _form_page(
        request,
        "staff/policies/qa_form.html",
        form,
        entry,
        can_edit=can_edit,
        abilities=review_abilities(user, entry),
        live=live,
    )


@staff_required
@require_POST
def qa_publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user: User = request.user
    entry = _get_scoped(QAEntry.objects.all(), user, pk)
    _submit_for_review(request, entry, _("政策问答已提交审核，终审通过后发布。"))
    return redirect("staff:policies_qa_edit", entry.pk)
