"""政民互动 back office: the queue with due dates, each message with its actions, and the
platform integrations (tokens issued here). Every action calls one service."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.accounts.http import AuthenticatedHttpRequest
from gongkai.accounts.models import InternalUnit, Organisation, Role
from gongkai.accounts.permissions import staff_required
from gongkai.accounts.selectors import organisation_ids_for_role, organisations_for_role
from gongkai.core.pagination import paginate
from gongkai.core.storage import private_file_response
from gongkai.interaction import attachments, selectors, services
from gongkai.interaction.models import Category, Integration, Message, Status
from gongkai.review.chain_services import review_request_for

ROLES = (Role.FOI_HANDLER, Role.ADMIN)


def _message_or_404(request: AuthenticatedHttpRequest, pk: int) -> Message:
    scope = organisation_ids_for_role(request.user, *ROLES)
    qs = Message.objects.select_related("organisation", "handling_unit")
    if scope is not None:
        qs = qs.filter(organisation_id__in=scope)
    message = qs.filter(pk=pk).first()
    if message is None:
        raise Http404(_("找不到该留言，或您无权查看"))
    return message


@staff_required
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Open messages, the earliest due first; overdue ones marked."""
    scope = organisation_ids_for_role(request.user, *ROLES)
    qs = selectors.staff_queue(scope)
    status = request.GET.get("status", "")
    if status in Status.values:
        qs = Message.objects.filter(status=status).select_related("organisation")
        if scope is not None:
            qs = qs.filter(organisation_id__in=scope)
        qs = qs.order_by("-received_at")
    page = paginate(request, qs, 30)
    return render(
        request,
        "staff/interaction/queue.html",
        {
            "page_obj": page,
            "rows": page.object_list,
            "today": timezone.localdate(),
            "statuses": Status.choices,
            "status": status,
        },
    )


@staff_required
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    message = _message_or_404(request, pk)
    return render(
        request,
        "staff/interaction/detail.html",
        {
            "message": message,
            "events": message.events.order_by("created_at", "id"),
            "units": InternalUnit.objects.filter(organisation=message.organisation),
            "organisations": Organisation.objects.filter(is_active=True)
            .exclude(pk=message.organisation_id)
            .order_by("sort_order", "code"),
            "review_request": review_request_for(message),
            "today": timezone.localdate(),
        },
    )


def _assign(request: AuthenticatedHttpRequest, message: Message) -> Any:
    unit_id = request.POST.get("unit") or None
    unit = InternalUnit.objects.filter(pk=unit_id).first() if unit_id else None
    return services.message_assign(message=message, unit=unit, acting_user=request.user)


def _transfer(request: AuthenticatedHttpRequest, message: Message) -> Any:
    target = Organisation.objects.filter(code=request.POST.get("to", "")).first()
    if target is None:
        raise ValidationError(_("请选择转办的机构"))
    return services.message_transfer(
        message=message,
        to_organisation=target,
        reason=request.POST.get("reason", ""),
        acting_user=request.user,
    )


def _merge(request: AuthenticatedHttpRequest, message: Message) -> Any:
    original = Message.objects.filter(reference=request.POST.get("original", "").strip()).first()
    if original is None:
        raise ValidationError(_("找不到要合并到的留言编号"))
    return services.message_merge(
        duplicate=message,
        original=original,
        reason=request.POST.get("reason", ""),
        acting_user=request.user,
    )


ACTIONS: dict[str, Callable[[AuthenticatedHttpRequest, Message], Any]] = {
    "assign": _assign,
    "transfer": _transfer,
    "start": lambda r, m: services.message_start(message=m, acting_user=r.user),
    "contact": lambda r, m: services.message_contact(
        message=m, note=r.POST.get("note", ""), acting_user=r.user
    ),
    "draft": lambda r, m: services.message_reply_draft(
        message=m, text=r.POST.get("reply", ""), acting_user=r.user
    ),
    "submit": lambda r, m: services.message_reply_submit(
        message=m, acting_user=r.user, override_reason=r.POST.get("override_reason", "")
    ),
    "refuse_publication": lambda r, m: services.message_refuse_publication(
        message=m, reason=r.POST.get("reason", ""), acting_user=r.user
    ),
    "promote": lambda r, m: services.message_promote_to_qa(message=m, acting_user=r.user),
    "publish": lambda r, m: services.message_publish(message=m, acting_user=r.user),
    "close": lambda r, m: services.message_close(message=m, acting_user=r.user),
    "redo": lambda r, m: services.message_redo(
        message=m, reason=r.POST.get("reason", ""), acting_user=r.user
    ),
    "merge": _merge,
    "reject": lambda r, m: services.message_reject(
        message=m, reason=r.POST.get("reason", ""), acting_user=r.user
    ),
}


@staff_required
@require_POST
def act(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    message = _message_or_404(request, pk)
    step = ACTIONS.get(action)
    if step is None:
        raise Http404(_("未知的操作"))
    try:
        step(request, message)
    except PermissionDenied as exc:
        flash.error(request, str(exc) or _("您没有执行该操作的权限"))
    except ValidationError as exc:
        flash.error(request, "；".join(exc.messages))
    else:
        flash.success(request, _("已完成操作"))
    if action == "transfer":
        try:
            _message_or_404(request, pk)
        except Http404:  # transferred out of the user's organisations
            return redirect("staff:interaction_queue")
    return redirect("staff:interaction_message", pk=pk)


@staff_required
def integrations(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Platforms (12345 / 接诉即办) and their tokens; an administrator issues a new one."""
    orgs = organisations_for_role(request.user, Role.ADMIN)
    issued: dict[str, str] = {}
    if request.method == "POST":
        org = orgs.filter(code=request.POST.get("org", "")).first()
        try:
            if org is None:
                raise ValidationError(_("请选择对接机构"))
            item, token, secret = services.integration_issue(
                name=request.POST.get("name", ""),
                organisation=org,
                channel=request.POST.get("channel", "hotline_12345"),
                webhook_url=request.POST.get("webhook_url", "").strip(),
                acting_user=request.user,
            )
            issued = {"name": item.name, "token": token, "secret": secret}
        except (ValidationError, PermissionDenied) as exc:
            flash.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
    return render(
        request,
        "staff/interaction/integrations.html",
        {
            "integrations": Integration.objects.filter(organisation__in=orgs).select_related(
                "organisation"
            ),
            "organisations": orgs,
            "issued": issued,
            "categories": Category.choices,
        },
    )


@staff_required
def attachment(request: AuthenticatedHttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """Download a message's attachment (handlers of its organisation only; audited)."""
    message = _message_or_404(request, pk)
    found = message.attachments.filter(pk=attachment_pk).first()
    if found is None:
        raise Http404(_("找不到该附件"))
    opened = attachments.attachment_open(attachment=found, acting_user=request.user)
    return private_file_response(opened.file, filename=opened.original_name)


def _editor_organisation(request: AuthenticatedHttpRequest) -> tuple[Organisation, Any]:
    orgs = organisations_for_role(request.user, Role.EDITOR, Role.ADMIN)
    organisation = orgs.filter(code=request.GET.get("org", "")).first() or orgs.first()
    if organisation is None:
        raise PermissionDenied(_("您不是任何机构的编辑或政务公开管理员"))
    return organisation, orgs


def _add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        form.add_error(None, "；".join(exc.messages))


@dataclass(frozen=True)
class ReviewedPages:
    """What the staff pages of one reviewed, published interaction kind (新闻发布会, 回应关切)
    need besides its content-registry entry (model, label): its form, its create and update
    services and its wording. One list/new view and one edit view serve every such kind; the
    draft is submitted from the review page the views lead to."""

    form: Callable[[], Any]  # the form class (imported late: forms read models)
    create: Callable[..., Any]  # (organisation=, data=, acting_user=) → the draft
    update: Callable[[Any, dict[str, Any], Any], Any]  # (obj, data, acting_user)
    template: str
    rows: Callable[[Organisation], Any]
    created: str  # flash after a new draft
    not_found: str
    edit_heading: str
    # The POST field ``form`` that names the new-draft form when the page has others.
    form_name: str = ""
    # What presets the new-draft form (GET parameters); the page's other parts (a context, or
    # a response when one of their forms was saved).
    initial: Callable[[AuthenticatedHttpRequest], dict[str, Any]] = lambda request: {}
    parts: Callable[[AuthenticatedHttpRequest, Organisation], Any] | None = None


def _press_plan(request: AuthenticatedHttpRequest, organisation: Organisation) -> Any:
    """The year's plan beside the conferences (planned vs held); a saved plan redirects."""
    from gongkai.interaction import press as press_services
    from gongkai.interaction.forms import PressPlanForm

    year = timezone.localdate().year
    plan_form = PressPlanForm(
        request.POST if request.POST.get("form") == "plan" else None, initial={"year": year}
    )
    try:
        if plan_form.is_bound and plan_form.is_valid():
            press_services.press_plan_set(
                organisation=organisation, acting_user=request.user, **plan_form.cleaned_data
            )
            flash.success(request, _("已保存年度计划"))
            return redirect(f"{request.path}?org={organisation.code}")
    except ValidationError as exc:
        flash.error(request, "；".join(exc.messages))
    return {
        "year": year,
        "figures": press_services.press_figures({organisation.pk}, year),
        "plan_form": plan_form,
    }


def _opinion_item(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    """A response drafted from the 舆情 ledger (?item=) answers that item."""
    item = request.GET.get("item", "")
    return {"opinion_item": int(item)} if item.isdigit() else {}


def _pages() -> dict[str, ReviewedPages]:
    from gongkai.interaction import forms as interaction_forms
    from gongkai.interaction import opinion, press
    from gongkai.interaction.content import CONCERN, PRESS
    from gongkai.interaction.models import ConcernResponse, PressConference

    return {
        PRESS: ReviewedPages(
            form=lambda: interaction_forms.PressConferenceForm,
            create=press.press_conference_record,
            update=lambda obj, data, user: press.press_conference_update(
                conference=obj, data=data, acting_user=user
            ),
            template="staff/interaction/press.html",
            rows=lambda org: PressConference.objects.filter(organisation=org)[:100],
            created=_("已登记新闻发布会（草稿），请提交审核后发布"),
            not_found=_("找不到该发布会记录，或您无权修改"),
            edit_heading=_("修改新闻发布会记录"),
            form_name="record",
            parts=_press_plan,
        ),
        CONCERN: ReviewedPages(
            form=lambda: interaction_forms.ConcernResponseForm,
            create=opinion.concern_response_create,
            update=lambda obj, data, user: opinion.concern_response_update(
                response=obj, data=data, acting_user=user
            ),
            template="staff/interaction/concerns.html",
            rows=lambda org: (
                ConcernResponse.objects.filter(organisation=org)
                .select_related("opinion_item")
                .order_by("-created_at", "-id")[:200]
            ),
            created=_("已保存回应关切（草稿），请提交审核后发布"),
            not_found=_("找不到该回应，或您无权修改"),
            edit_heading=_("修改回应关切"),
            initial=_opinion_item,
        ),
    }


def _reviewed_kind(kind: str) -> tuple[ReviewedPages, Any]:
    """The kind's pages and its model, from the content registry."""
    from django.apps import apps

    from gongkai.core import content as content_registry

    entry = content_registry.get(kind)
    pages = _pages().get(kind)
    if entry is None or pages is None:
        raise Http404(_("未知的内容类型"))
    return pages, apps.get_model(entry.model_label)


@staff_required
def reviewed_list(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    """The organisation's records of a reviewed interaction kind and a form for a new one,
    saved as a draft; its review page submits it to the chain, whose final approval publishes
    it on the portal."""
    pages, _model = _reviewed_kind(kind)
    organisation, orgs = _editor_organisation(request)
    parts = pages.parts(request, organisation) if pages.parts is not None else {}
    if isinstance(parts, HttpResponse):
        return parts
    posted = request.method == "POST" and (
        not pages.form_name or request.POST.get("form") == pages.form_name
    )
    form = pages.form()(
        request.POST if posted else None, organisation=organisation, initial=pages.initial(request)
    )
    if form.is_bound and form.is_valid():
        try:
            obj = pages.create(
                organisation=organisation, data=form.service_data(), acting_user=request.user
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            flash.success(request, pages.created)
            return redirect("staff:workflow_content", kind=kind, pk=obj.pk)
    return render(
        request,
        pages.template,
        {
            "organisation": organisation,
            "organisations": orgs,
            "form": form,
            "rows": pages.rows(organisation),
            **parts,
        },
    )


@staff_required
def reviewed_edit(request: AuthenticatedHttpRequest, pk: int, kind: str) -> HttpResponse:
    """Edit a draft, returned or withdrawn record (then resubmit it from its review page)."""
    pages, model = _reviewed_kind(kind)
    scope = organisation_ids_for_role(request.user, Role.EDITOR, Role.ADMIN)
    qs = model.objects.select_related("organisation")
    if scope is not None:
        qs = qs.filter(organisation_id__in=scope)
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise Http404(pages.not_found)
    form_class = pages.form()
    form = form_class(
        request.POST or None,
        organisation=obj.organisation,
        initial=form_class.initial_for(obj),
    )
    if request.method == "POST" and form.is_valid():
        try:
            pages.update(obj, form.service_data(), request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            flash.success(request, _("已保存"))
            return redirect("staff:workflow_content", kind=kind, pk=obj.pk)
    return render(
        request,
        "staff/interaction/edit.html",
        {"form": form, "obj": obj, "kind": kind, "heading": pages.edit_heading},
    )


@staff_required
def opinion(request: AuthenticatedHttpRequest) -> HttpResponse:
    """回应关切: the 舆情 ledger — record items, record responses, quarterly analysis export."""
    from gongkai.interaction import opinion as ledger
    from gongkai.interaction.forms import OpinionForm
    from gongkai.interaction.models import OpinionItem
    from gongkai.interaction.selectors import month_bounds

    orgs = organisations_for_role(request.user, Role.EDITOR, Role.ADMIN)
    organisation = orgs.filter(code=request.GET.get("org", "")).first() or orgs.first()
    if organisation is None:
        raise PermissionDenied(_("您不是任何机构的编辑或政务公开管理员"))
    today = timezone.localdate()
    quarter = (today.month - 1) // 3
    start = month_bounds(today.year, quarter * 3 + 1)[0]
    end = month_bounds(today.year, quarter * 3 + 3)[1]
    analysis = ledger.quarterly_analysis({organisation.pk}, start, end)
    if request.GET.get("format") == "xlsx":
        title = _("%(org)s %(a)s至%(b)s舆情分析") % {
            "org": organisation.name,
            "a": start.isoformat(),
            "b": end.isoformat(),
        }
        response = HttpResponse(
            ledger.quarterly_workbook(analysis, title),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="opinion-analysis.xlsx"'
        return response
    form = OpinionForm(request.POST if request.POST.get("form") == "record" else None)
    try:
        if form.is_bound and form.is_valid():
            ledger.opinion_record(
                organisation=organisation, data=form.cleaned_data, acting_user=request.user
            )
            flash.success(request, _("已登记舆情"))
            return redirect(f"{request.path}?org={organisation.code}")
        if request.POST.get("form") == "respond":
            item = OpinionItem.objects.filter(
                pk=request.POST.get("item") or 0, organisation=organisation
            ).first()
            if item is None:
                raise Http404(_("找不到该舆情"))
            ledger.opinion_respond(
                item=item, note=request.POST.get("note", ""), acting_user=request.user
            )
            flash.success(request, _("已登记回应"))
            return redirect(f"{request.path}?org={organisation.code}")
    except ValidationError as exc:
        flash.error(request, "；".join(exc.messages))
    return render(
        request,
        "staff/interaction/opinion.html",
        {
            "organisation": organisation,
            "organisations": orgs,
            "form": form,
            "analysis": analysis,
            "start": start,
            "end": end,
            "items": OpinionItem.objects.filter(organisation=organisation)[:200],
        },
    )
