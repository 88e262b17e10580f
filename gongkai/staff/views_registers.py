"""Back-office pages of the registers: 清单 adjustments (draft → review → applied), Excel
import, and the 整改台账 (incl. one click from a 网站自查 finding, which this layer reads from
``oversight`` and hands to ``registers.services`` as plain data)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.accounts.http import AuthenticatedHttpRequest
from gongkai.accounts.models import Role, User
from gongkai.accounts.permissions import can_administer_organisation, staff_required
from gongkai.accounts.selectors import organisation_ids_for_role, organisations_for_role
from gongkai.core.params import bounded_int
from gongkai.registers import excel, kinds, selectors, services
from gongkai.registers.forms import (
    AdjustmentForm,
    ImportForm,
    ProgressForm,
    ProjectForm,
    ProposalForm,
    RectificationForm,
    ReplyForm,
    SpotMatterForm,
    SpotPlanForm,
    SpotResultForm,
    StageItemForm,
    TrainingForm,
    WorkTaskForm,
)
from gongkai.registers.models import (
    Adjustment,
    Entry,
    Project,
    Proposal,
    Rectification,
    SpotCheckMatter,
    SpotCheckPlan,
    SpotCheckResult,
    WorkTask,
)

VIEW_ROLES = (Role.EDITOR, Role.REVIEWER)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _scope(user: Any) -> set[int] | None:
    return organisation_ids_for_role(user, *VIEW_ROLES)


def _scoped_get(model: Any, user: Any, pk: int) -> Any:
    scope = _scope(user)
    qs = model.objects.all() if scope is None else model.objects.filter(organisation_id__in=scope)
    return get_object_or_404(qs.select_related("organisation"), pk=pk)


def _errors(request: AuthenticatedHttpRequest, form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errs in error.error_dict.items():
            for err in errs:
                form.add_error(field if field in form.fields else None, err)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _editor_orgs(user: Any) -> Any:
    return organisations_for_role(user, Role.EDITOR).order_by("sort_order", "id")


@staff_required
def registers_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    orgs = list(_editor_orgs(user))
    org = next((o for o in orgs if str(o.pk) == request.GET.get("org")), orgs[0] if orgs else None)
    kind = request.GET.get("kind", kinds.ListKind.POWERS)
    if kind not in kinds.ListKind.values:
        kind = kinds.ListKind.POWERS
    current = list(selectors.list_as_of(org, kind, timezone.localdate())) if org else []
    return render(
        request,
        "staff/registers/home.html",
        {
            "orgs": orgs,
            "org": org,
            "kind": kind,
            "kinds": kinds.ListKind.choices,
            "current": current,
            "adjustments": selectors.staff_adjustments(_scope(user))[:50],
        },
    )


def _form_values(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data.get(name, "") for name in kinds.FIELD_LABELS}


@staff_required
def adjustment_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    org = get_object_or_404(_editor_orgs(user), pk=bounded_int(request.GET.get("org")) or 0)
    kind = request.GET.get("kind", "")
    action = request.GET.get("action", kinds.Action.ADD)
    if kind not in kinds.ListKind.values or action not in kinds.Action.values:
        raise Http404
    entry = None
    if action != kinds.Action.ADD:
        entry = get_object_or_404(
            Entry, organisation=org, list_kind=kind, pk=bounded_int(request.GET.get("entry")) or 0
        )
    initial: dict[str, Any] = {"effective_date": timezone.localdate()}
    live = services.current_version(entry) if entry else None
    if live is not None:
        initial.update({name: getattr(live, name) for name in kinds.FIELD_LABELS})
    form = AdjustmentForm(
        request.POST or None, initial=initial, fields=kinds.KIND_FIELDS[kind], action=action
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            obj = services.adjustment_create(
                organisation=org,
                list_kind=kind,
                action=action,
                entry=entry,
                effective_date=data["effective_date"],
                reason=data["reason"],
                legal_basis=data["legal_basis"],
                delegated_to=data.get("delegated_to", ""),
                values=_form_values(data),
                acting_user=user,
            )
        except ValidationError as exc:
            _errors(request, form, exc)
        else:
            messages.success(request, _("调整已保存为草稿，提交审核后发布生效。"))
            return redirect("staff:registers_adjustment", obj.pk)
    return render(
        request,
        "staff/registers/adjustment_form.html",
        {
            "form": form,
            "org": org,
            "kind_label": kinds.ListKind(kind).label,
            "action_label": kinds.Action(action).label,
            "entry": entry,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _submit(request: AuthenticatedHttpRequest, obj: Any) -> None:
    from gongkai.review.chain_services import review_submit

    try:
        review_submit(content=obj, acting_user=request.user)
    except (ValidationError, PermissionDenied) as exc:
        for message in getattr(exc, "messages", [str(exc)]):
            messages.error(request, message)
    else:
        messages.success(request, _("已提交审核，终审通过后发布。"))


@staff_required
def adjustment_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    obj: Adjustment = _scoped_get(Adjustment, user, pk)
    editable = obj.status in services.EDITABLE
    form = AdjustmentForm(
        request.POST or None,
        initial={
            name: getattr(obj, name)
            for name in (
                *kinds.FIELD_LABELS,
                "effective_date",
                "reason",
                "legal_basis",
                "delegated_to",
            )
        },
        fields=kinds.KIND_FIELDS[obj.list_kind],
        action=obj.action,
    )
    if request.method == "POST" and request.POST.get("submit") == "review":
        _submit(request, obj)
        return redirect("staff:registers_adjustment", obj.pk)
    if request.method == "POST" and editable and form.is_valid():
        data = form.cleaned_data
        try:
            services.adjustment_update(
                adjustment=obj,
                effective_date=data["effective_date"],
                reason=data["reason"],
                legal_basis=data["legal_basis"],
                delegated_to=data.get("delegated_to", ""),
                values=_form_values(data),
                acting_user=user,
            )
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, form, ValidationError(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("已保存。"))
            return redirect("staff:registers_adjustment", obj.pk)
    return render(
        request,
        "staff/registers/adjustment_detail.html",
        {"obj": obj, "form": form, "editable": editable},
        status=400 if form.is_bound and form.errors else 200,
    )


@staff_required
def registers_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    orgs = list(_editor_orgs(user))
    if not orgs:
        raise PermissionDenied(_("只有编辑或政务公开管理员可以导入清单。"))
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    org_id = bounded_int(request.POST.get("org") or request.GET.get("org"))
    org = next((o for o in orgs if o.pk == org_id), orgs[0])
    kind = request.POST.get("kind") or request.GET.get("kind") or kinds.ListKind.POWERS
    if kind not in kinds.ListKind.values:
        raise Http404
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.adjustments_import(
                organisation=org,
                list_kind=kind,
                data=data["file"].read(),
                effective_date=data["effective_date"],
                reason=data["reason"],
                legal_basis=data["legal_basis"],
                acting_user=user,
            )
        except ValidationError as exc:
            errors = list(exc.messages)
        else:
            messages.success(
                request, _("已导入%(n)d条新增事项（草稿），请逐条提交审核。") % {"n": len(created)}
            )
            return redirect(f"/staff/registers/?org={org.pk}&kind={kind}")
    return render(
        request,
        "staff/registers/import.html",
        {
            "form": form,
            "orgs": orgs,
            "org": org,
            "kind": kind,
            "kinds": kinds.ListKind.choices,
            "columns": kinds.kind_columns(kind),
            "errors": errors,
        },
        status=400 if errors or (form.is_bound and form.errors) else 200,
    )


# --- 整改台账 ------------------------------------------------------------------------------


@staff_required
def rectification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    scope = _scope(user)
    items = selectors.rectifications(scope)
    today = timezone.localdate()
    if request.GET.get("export") == "xlsx":
        response = HttpResponse(excel.rectification_workbook(items, today), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="zhenggai-{today:%Y%m%d}.xlsx"'
        return response
    orgs = list(_editor_orgs(user))
    form = RectificationForm(request.POST or None, initial={"found_on": today})
    if request.method == "POST" and form.is_valid():
        org = next((o for o in orgs if o.pk == bounded_int(request.POST.get("org"))), None)
        if org is None:
            raise PermissionDenied(_("只有编辑或政务公开管理员可以登记整改事项。"))
        data = form.cleaned_data
        try:
            item = services.rectification_create(
                organisation=org,
                source=data["source"],
                source_label=data["source_label"],
                problem=data["problem"],
                found_on=data["found_on"],
                lead_unit=data["lead_unit"],
                supporting_units=data["supporting_units"],
                deadline=data["deadline"],
                period_workdays=data["period_workdays"],
                acting_user=user,
            )
        except ValidationError as exc:
            _errors(request, form, exc)
        else:
            messages.success(request, _("已列入整改台账。"))
            return redirect("staff:registers_rectification", item.pk)
    return render(
        request,
        "staff/registers/rectifications.html",
        {"items": items, "today": today, "form": form, "orgs": orgs},
        status=400 if form.is_bound and form.errors else 200,
    )


@staff_required
@require_POST
def rectification_from_finding(request: AuthenticatedHttpRequest) -> HttpResponse:
    """One click from a 网站自查 finding: the report's finding becomes a 整改 item of the
    organisation where the user is 政务公开管理员, due in 10 working days."""
    from gongkai.oversight.models import InspectionRun

    user = request.user
    run = get_object_or_404(InspectionRun, pk=bounded_int(request.POST.get("run")) or 0)
    index = bounded_int(request.POST.get("index"), low=0)
    if index is None or index >= len(run.findings or []):
        raise Http404
    org = organisations_for_role(user, Role.ADMIN).order_by("sort_order", "id").first()
    if org is None:
        raise PermissionDenied(_("只有政务公开管理员可以把自查问题列入整改台账。"))
    try:
        item = services.rectification_from_finding(
            organisation=org,
            run_id=run.pk,
            index=index,
            finding=run.findings[index],
            today=run.today,
            lead_unit=user.unit.name if user.unit else org.name,
            period_workdays=10,
            acting_user=user,
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("staff:workflow_inspection")
    messages.success(request, _("已列入整改台账。"))
    return redirect("staff:registers_rectification", item.pk)


@staff_required
def rectification_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    item: Rectification = _scoped_get(Rectification, user, pk)
    form = ProgressForm(
        request.POST or None, initial={"measures": item.measures, "evidence": item.evidence}
    )
    if request.method == "POST" and request.POST.get("close"):
        try:
            services.rectification_close(item=item, acting_user=user)
        except (ValidationError, PermissionDenied) as exc:
            for message in getattr(exc, "messages", [str(exc)]):
                messages.error(request, message)
        else:
            messages.success(request, _("已销号。"))
        return redirect("staff:registers_rectification", item.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.rectification_progress(
                item=item,
                measures=form.cleaned_data["measures"],
                evidence=form.cleaned_data["evidence"],
                done=form.cleaned_data["done"],
                acting_user=user,
            )
        except ValidationError as exc:
            _errors(request, form, exc)
        else:
            messages.success(request, _("已保存整改进展。"))
            return redirect("staff:registers_rectification", item.pk)
    return render(
        request,
        "staff/registers/rectification_detail.html",
        {
            "item": item,
            "form": form,
            "can_close": can_administer_organisation(user, item.organisation),
            "overdue": item.state != Rectification.State.CLOSED
            and item.deadline < timezone.localdate(),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


# --- 重大建设项目 --------------------------------------------------------------------------


@staff_required
def project_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    scope = _scope(user)
    qs = Project.objects.select_related("organisation").order_by("-updated_at", "-id")
    if scope is not None:
        qs = qs.filter(organisation_id__in=scope)
    orgs = list(_editor_orgs(user))
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        org = next((o for o in orgs if o.pk == bounded_int(request.POST.get("org"))), None)
        if org is None:
            raise PermissionDenied(_("只有编辑或政务公开管理员可以登记项目。"))
        try:
            project = services.project_create(
                organisation=org, values=form.cleaned_data, acting_user=user
            )
        except ValidationError as exc:
            _errors(request, form, exc)
        else:
            messages.success(request, _("项目已保存为草稿。"))
            return redirect("staff:registers_project", project.pk)
    return render(
        request,
        "staff/registers/projects.html",
        {
            "projects": qs[:200],
            "counts": selectors.project_counts_by_phase(),
            "form": form,
            "orgs": orgs,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _project_post(
    request: AuthenticatedHttpRequest, project: Project, user: User
) -> HttpResponse | None:
    """The page's small actions: submit the project or one stage item for review."""
    target = request.POST.get("submit")
    if target == "project":
        _submit(request, project)
    elif target == "item":
        item = get_object_or_404(
            project.stage_items.all(), pk=bounded_int(request.POST.get("item")) or 0
        )
        _submit(request, item)
    else:
        return None
    return redirect("staff:registers_project", project.pk)


@staff_required
def project_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    project: Project = _scoped_get(Project, user, pk)
    if request.method == "POST":
        done = _project_post(request, project, user)
        if done is not None:
            return done
    editable = project.status in services.EDITABLE
    initial = {name: getattr(project, name) for name in services.PROJECT_FIELDS}
    is_item = request.POST.get("form") == "item"
    form = ProjectForm(
        request.POST if request.method == "POST" and not is_item else None, initial=initial
    )
    item_form = StageItemForm(
        request.POST if is_item else None,
        request.FILES if is_item else None,
        initial={"item_date": timezone.localdate()},
    )
    try:
        if form.is_bound and form.is_valid() and editable:
            services.project_update(project=project, values=form.cleaned_data, acting_user=user)
            messages.success(request, _("已保存。"))
            return redirect("staff:registers_project", project.pk)
        if item_form.is_bound and item_form.is_valid():
            data = item_form.cleaned_data
            services.stage_item_create(
                project=project,
                stage=data["stage"],
                title=data["title"],
                item_date=data["item_date"],
                url=data["url"],
                file=data["file"],
                acting_user=user,
            )
            messages.success(request, _("阶段信息已保存为草稿，请提交审核。"))
            return redirect("staff:registers_project", project.pk)
    except (ValidationError, PermissionDenied) as exc:
        target = item_form if is_item else form
        _errors(request, target, ValidationError(getattr(exc, "messages", [str(exc)])))
    bad = (form.is_bound and bool(form.errors)) or (item_form.is_bound and bool(item_form.errors))
    return render(
        request,
        "staff/registers/project.html",
        {
            "project": project,
            "form": form,
            "item_form": item_form,
            "editable": editable,
            "items": project.stage_items.order_by("item_date", "id"),
            "timeline": selectors.project_timeline(project, staff=True),
        },
        status=400 if bad else 200,
    )


# --- 双随机一公开 and 建议提案 -------------------------------------------------------------

SPOT_MODELS = {
    "matter": SpotCheckMatter,
    "plan": SpotCheckPlan,
}


def _scoped_qs(model: Any, user: Any, path: str = "organisation_id") -> Any:
    scope = _scope(user)
    qs = model.objects.all()
    return qs if scope is None else qs.filter(**{f"{path}__in": scope})


def _spot_submit(request: AuthenticatedHttpRequest, user: User) -> None:
    kind, _sep, pk = (request.POST.get("submit") or "").partition(":")
    if kind == "result":
        qs = _scoped_qs(SpotCheckResult, user, "plan__organisation_id")
    elif kind in SPOT_MODELS:
        qs = _scoped_qs(SPOT_MODELS[kind], user)
    else:
        raise Http404
    _submit(request, get_object_or_404(qs, pk=bounded_int(pk) or 0))


def _spot_create(
    request: AuthenticatedHttpRequest, user: User, forms_: dict[str, Any], org: Any
) -> bool:
    which = request.POST.get("form", "")
    form = forms_.get(which)
    if form is None or not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        if which == "matter":
            services.spot_matter_create(organisation=org, acting_user=user, **data)
        elif which == "plan":
            services.spot_plan_create(organisation=org, acting_user=user, **data)
        else:
            plan = get_object_or_404(_scoped_qs(SpotCheckPlan, user), pk=data.pop("plan"))
            services.spot_result_create(plan=plan, acting_user=user, **data)
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, form, ValidationError(getattr(exc, "messages", [str(exc)])))
        return False
    return True


@staff_required
def spotchecks(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    plans = _scoped_qs(SpotCheckPlan, user).order_by("-year", "id")
    which = request.POST.get("form", "") if request.method == "POST" else ""
    forms_ = {
        "matter": SpotMatterForm(request.POST if which == "matter" else None),
        "plan": SpotPlanForm(request.POST if which == "plan" else None),
        "result": SpotResultForm(request.POST if which == "result" else None, plans=plans),
    }
    orgs = list(_editor_orgs(user))
    if request.method == "POST" and request.POST.get("submit"):
        _spot_submit(request, user)
        return redirect("staff:registers_spotchecks")
    if request.method == "POST":
        org = next((o for o in orgs if o.pk == bounded_int(request.POST.get("org"))), None)
        if org is None and which != "result":
            raise PermissionDenied(_("只有编辑或政务公开管理员可以登记。"))
        if _spot_create(request, user, forms_, org):
            messages.success(request, _("已保存为草稿，请提交审核。"))
            return redirect("staff:registers_spotchecks")
    return render(
        request,
        "staff/registers/spotchecks.html",
        {
            "matters": _scoped_qs(SpotCheckMatter, user).order_by("-id")[:100],
            "plans": plans,
            "results": _scoped_qs(SpotCheckResult, user, "plan__organisation_id")
            .select_related("plan")
            .order_by("-id")[:100],
            "forms": forms_,
            "orgs": orgs,
        },
        status=400 if which and forms_[which].errors else 200,
    )


@staff_required
def proposal_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    orgs = list(_editor_orgs(user))
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        org = next((o for o in orgs if o.pk == bounded_int(request.POST.get("org"))), None)
        if org is None:
            raise PermissionDenied(_("只有编辑或政务公开管理员可以登记建议提案。"))
        try:
            proposal = services.proposal_create(
                organisation=org, acting_user=user, **form.cleaned_data
            )
        except ValidationError as exc:
            _errors(request, form, exc)
        else:
            messages.success(request, _("建议提案已登记。"))
            return redirect("staff:registers_proposal", proposal.pk)
    proposals = _scoped_qs(Proposal, user).select_related("organisation")
    return render(
        request,
        "staff/registers/proposals.html",
        {
            "proposals": proposals.order_by("-year", "deadline", "id")[:200],
            "form": form,
            "orgs": orgs,
            "today": timezone.localdate(),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@staff_required
def proposal_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    proposal: Proposal = _scoped_get(Proposal, user, pk)
    if request.method == "POST" and request.POST.get("submit") == "review":
        _submit(request, proposal)
        return redirect("staff:registers_proposal", proposal.pk)
    form = ReplyForm(
        request.POST or None,
        initial={
            "reply": proposal.reply,
            "replied_on": proposal.replied_on or timezone.localdate(),
            "mode": proposal.mode,
            "summary": proposal.summary,
            "reason": proposal.not_published_reason,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_reply(proposal=proposal, acting_user=user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, form, ValidationError(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("复文已保存，请提交审核。"))
            return redirect("staff:registers_proposal", proposal.pk)
    return render(
        request,
        "staff/registers/proposal.html",
        {
            "proposal": proposal,
            "form": form,
            "editable": proposal.status in services.EDITABLE,
            "co_organisations": proposal.co_organisations.all(),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


# --- 政务公开工作台账 ----------------------------------------------------------------------


def _ledger_post(
    request: AuthenticatedHttpRequest, user: User, orgs: list[Any], forms_: dict[str, Any]
) -> bool:
    which = request.POST.get("form", "")
    if which == "progress":
        task = get_object_or_404(
            _scoped_qs(WorkTask, user), pk=bounded_int(request.POST.get("task")) or 0
        )
        services.work_task_progress(
            task=task,
            progress=request.POST.get("progress", "")[:5000],
            done=bool(request.POST.get("done")),
            acting_user=user,
        )
        return True
    form = forms_.get(which)
    org = next((o for o in orgs if o.pk == bounded_int(request.POST.get("org"))), None)
    if form is None or not form.is_valid():
        return False
    if org is None:
        raise PermissionDenied(_("只有编辑或政务公开管理员可以登记。"))
    try:
        if which == "task":
            services.work_task_create(organisation=org, acting_user=user, **form.cleaned_data)
        else:
            services.training_record(organisation=org, acting_user=user, **form.cleaned_data)
    except ValidationError as exc:
        _errors(request, form, exc)
        return False
    return True


@staff_required
def work_ledger(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The year's 工作要点 as tasks with progress, and the training records."""
    user = request.user
    today = timezone.localdate()
    year = bounded_int(request.GET.get("year"), low=1990, high=2100) or today.year
    which = request.POST.get("form", "") if request.method == "POST" else ""
    forms_ = {
        "task": WorkTaskForm(request.POST if which == "task" else None, initial={"year": year}),
        "training": TrainingForm(request.POST if which == "training" else None),
    }
    orgs = list(_editor_orgs(user))
    if request.method == "POST" and _ledger_post(request, user, orgs, forms_):
        messages.success(request, _("已保存。"))
        return redirect(f"{request.path}?year={year}")
    scope = _scope(user)
    return render(
        request,
        "staff/registers/ledger.html",
        {
            "year": year,
            "tasks": selectors.work_tasks(scope, year),
            "trainings": selectors.training_records(scope)[:100],
            "forms": forms_,
            "orgs": orgs,
            "today": today,
        },
        status=400 if which in forms_ and forms_[which].errors else 200,
    )


@staff_required
def assessment_page(request: AuthenticatedHttpRequest, org_id: int, year: int) -> HttpResponse:
    """考核/测评 self-assessment of one organisation and year: measured items from the
    platform's figures, manual items scored with a note; ``?export=xlsx``."""
    from decimal import Decimal, InvalidOperation

    from gongkai.accounts.models import Organisation

    organisation = get_object_or_404(Organisation, pk=org_id)
    if not can_administer_organisation(request.user, organisation):
        raise PermissionDenied(_("只有本机关的政务公开管理员可以进行考核自评"))
    if not 1990 <= year <= 2100:
        raise Http404
    assessment = services.assessment_open(
        organisation=organisation, year=year, acting_user=request.user
    )
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("form") == "compute":
                services.assessment_compute(assessment=assessment, acting_user=request.user)
            else:
                score = get_object_or_404(
                    assessment.scores.select_related("item"),
                    pk=bounded_int(request.POST.get("score_id")) or 0,
                )
                try:
                    value = Decimal((request.POST.get("score") or "").strip())
                except InvalidOperation:
                    raise ValidationError({"score": [_("得分应为数字")]}) from None
                services.assessment_score_manual(
                    score=score,
                    value=value,
                    note=request.POST.get("note", ""),
                    acting_user=request.user,
                )
            messages.success(request, _("已保存。"))
            return redirect(request.path)
        except ValidationError as exc:
            error = "；".join(exc.messages)
    rows, totals = selectors.assessment_rows(assessment)
    if request.GET.get("export") == "xlsx":
        response = HttpResponse(excel.assessment_workbook(assessment, rows), content_type=XLSX)
        response["Content-Disposition"] = (
            f'attachment; filename="kaohe-{organisation.pk}-{year}.xlsx"'
        )
        return response
    return render(
        request,
        "staff/registers/assessment.html",
        {"assessment": assessment, "rows": rows, "totals": totals, "error": error},
        status=400 if error else 200,
    )
