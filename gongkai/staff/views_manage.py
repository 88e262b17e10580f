"""公开管理: the 政务公开管理员's administration screens (issue 15, item 7), so running the
platform needs no Django superuser. Every page is scoped to the organisations the user
administers (政务公开管理员 there, or above with 含下级机构); platform-wide settings (the
working-day calendar, the platform's columns and pages) to administrators of a top-level
organisation. Every write goes through a service, which checks the same rule and audits."""

import datetime
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.accounts import services as accounts_services
from gongkai.accounts.http import AuthenticatedHttpRequest
from gongkai.accounts.models import InternalUnit, Organisation, Role, RoleAssignment
from gongkai.accounts.permissions import (
    can_administer_organisation,
    can_administer_platform,
    can_administer_tree_under,
    staff_required,
)
from gongkai.accounts.selectors import organisations_for_role, organisations_matching
from gongkai.catalogue import services as catalogue_services
from gongkai.catalogue.models import Column, Page
from gongkai.core.pagination import paginate
from gongkai.foi.models import InternalTarget
from gongkai.foi.services import internal_target_set
from gongkai.workdays import services as calendar_services
from gongkai.workdays.models import CalendarDay, CalendarYear

from . import forms_manage as f


def _admin_orgs(user: Any) -> Any:
    orgs = organisations_for_role(user, Role.ADMIN).order_by("sort_order", "code")
    if not orgs.exists():
        raise PermissionDenied(_("只有政务公开管理员可以使用公开管理"))
    return orgs


def _org_or_403(request: AuthenticatedHttpRequest, code: str) -> Organisation:
    organisation = get_object_or_404(Organisation, code=code)
    if not can_administer_organisation(request.user, organisation):
        raise PermissionDenied(_("只有本机构的政务公开管理员可以管理“%(o)s”") % {"o": organisation})
    return organisation


def _refused(form: django_forms.BaseForm, error: ValidationError | PermissionDenied) -> None:
    """Put a service's refusal on the form: field errors beside their field."""
    if isinstance(error, PermissionDenied):
        form.add_error(None, str(error))
        return
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for e in errors:
                message = " ".join(e.messages)
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


# A city administers hundreds of bodies: one screenful of them each page.
ORGANISATION_PAGE_SIZE = 50


@staff_required
def manage_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    orgs = _admin_orgs(request.user)
    form = f.OrganisationSearchForm(request.GET or None)
    searched = False
    if form.is_valid():
        orgs = organisations_matching(orgs, form.cleaned_data["q"])
        searched = bool(form.cleaned_data["q"].strip())
    return render(
        request,
        "staff/manage/home.html",
        {
            "page_obj": paginate(request, orgs, ORGANISATION_PAGE_SIZE),
            "form": form,
            "searched": searched,
            "platform": can_administer_platform(request.user),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


# --- organisations, 科室, 索引号, internal targets -------------------------------------------


def _org_forms(organisation: Organisation, data: Any = None, which: str = "") -> dict[str, Any]:
    target = InternalTarget.objects.filter(organisation=organisation).first()

    def bound(name: str) -> Any:
        return data if which == name else None

    return {
        "org": f.OrganisationForm(bound("org"), instance=organisation, prefix="org"),
        "index": f.IndexFormatForm(
            bound("index"),
            prefix="index",
            initial={"index_number_format": organisation.index_number_format},
        ),
        "target": f.InternalTargetForm(
            bound("target"),
            prefix="target",
            initial={
                "normal_days": target.normal_days if target else None,
                "difficult_days": target.difficult_days if target else None,
            },
        ),
        "unit": f.UnitForm(bound("unit"), prefix="unit"),
    }


def _save_org_form(
    request: AuthenticatedHttpRequest, organisation: Organisation, which: str, form: Any
) -> Any:
    user, data = request.user, form.cleaned_data
    if which == "org":
        fresh = Organisation.objects.get(pk=organisation.pk)
        return accounts_services.organisation_update(
            organisation=fresh, data=data, acting_user=user
        )
    if which == "index":
        return catalogue_services.index_number_format_set(
            organisation=organisation, template=data["index_number_format"], acting_user=user
        )
    if which == "target":
        return internal_target_set(
            organisation=organisation,
            normal_days=data["normal_days"],
            difficult_days=data["difficult_days"],
            acting_user=user,
        )
    return accounts_services.internal_unit_save(
        organisation=organisation, data=data, acting_user=user
    )


SAVED = {
    "org": "已保存机构信息。",
    "index": "已保存索引号格式。",
    "target": "已保存内部办理目标。",
    "unit": "已添加科室。",
}


@staff_required
def manage_organisation(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    organisation = _org_or_403(request, code)
    which = request.POST.get("form", "") if request.method == "POST" else ""
    if which and which not in SAVED:
        raise Http404
    forms = _org_forms(organisation, request.POST, which)
    status = 200
    if which:
        form = forms[which]
        if form.is_valid():
            try:
                _save_org_form(request, organisation, which, form)
            except (ValidationError, PermissionDenied) as error:  # CaseError included
                _refused(form, error)
            else:
                messages.success(request, _(SAVED[which]))
                return redirect("staff:manage_organisation", code=organisation.code)
        status = 400
    return render(
        request,
        "staff/manage/organisation.html",
        {
            "organisation": organisation,
            "forms": forms,
            "units": organisation.units.order_by("sort_order", "id"),
            "children": organisation.children.order_by("sort_order", "code"),
            "can_switch": can_administer_tree_under(request.user, organisation.parent),
            "can_add_child": organisation.is_active,
            "pages": {p.slug: p for p in Page.objects.filter(organisation=organisation)},
        },
        status=status,
    )


@staff_required
def manage_organisation_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """新建机构: a 下级机构 under one the user administers; top-level for platform admins."""
    orgs = _admin_orgs(request.user)
    top_level = can_administer_platform(request.user)
    parent = orgs.filter(code=request.GET.get("parent", "")).first()
    form = f.OrganisationCreateForm(
        request.POST or None,
        parents=orgs,
        top_level=top_level,
        initial={"parent": parent},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organisation = accounts_services.organisation_create(
                code=data["code"],
                name=data["name"],
                short_name=data["short_name"],
                kind=data["kind"],
                parent=data["parent"],
                sort_order=data["sort_order"],
                acting_user=request.user,
            )
        except (ValidationError, PermissionDenied) as error:
            _refused(form, error)
        else:
            messages.success(
                request,
                _("已新建机构“%(o)s”。请继续填写机构信息、添加科室。") % {"o": organisation.name},
            )
            return redirect("staff:manage_organisation", code=organisation.code)
    return render(
        request,
        "staff/manage/organisation_new.html",
        {"form": form, "platform": top_level},
        status=400 if request.method == "POST" else 200,
    )


@staff_required
@require_POST
def manage_organisation_status(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.select_related("parent"), code=code)
    active = request.POST.get("active") == "1"
    try:
        accounts_services.organisation_active_set(
            organisation=organisation, active=active, acting_user=request.user
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        done = _("已启用“%(o)s”。") if active else _("已停用“%(o)s”。")
        messages.success(request, done % {"o": organisation.name})
    if can_administer_organisation(request.user, organisation):
        return redirect("staff:manage_organisation", code=organisation.code)
    return redirect("staff:manage_home")


@staff_required
def manage_unit(request: AuthenticatedHttpRequest, code: str, pk: int) -> HttpResponse:
    organisation = _org_or_403(request, code)
    unit = get_object_or_404(InternalUnit, pk=pk, organisation=organisation)
    form = f.UnitForm(request.POST or None, instance=InternalUnit.objects.get(pk=unit.pk))
    if request.method == "POST" and request.POST.get("delete"):
        accounts_services.internal_unit_delete(unit=unit, acting_user=request.user)
        messages.success(request, _("已删除科室“%(n)s”。") % {"n": unit.name})
        return redirect("staff:manage_organisation", code=organisation.code)
    if request.method == "POST" and form.is_valid():
        try:
            accounts_services.internal_unit_save(
                organisation=organisation,
                unit=unit,
                data=form.cleaned_data,
                acting_user=request.user,
            )
        except (ValidationError, PermissionDenied) as error:
            _refused(form, error)
        else:
            messages.success(request, _("已保存科室。"))
            return redirect("staff:manage_organisation", code=organisation.code)
    return render(
        request,
        "staff/manage/unit.html",
        {"organisation": organisation, "unit": unit, "form": form},
        status=400 if request.method == "POST" else 200,
    )


# --- 栏目 and 专题专栏 ----------------------------------------------------------------------


def _column_owner(request: AuthenticatedHttpRequest, code: str) -> Organisation | None:
    """``code`` "" is the platform's own columns."""
    if code:
        return _org_or_403(request, code)
    if not can_administer_platform(request.user):
        raise PermissionDenied(_("只有全平台的政务公开管理员可以管理全平台栏目"))
    return None


def _parents(owner: Organisation | None) -> Any:
    scope = Q(organisation__isnull=True)
    if owner is not None:
        scope |= Q(organisation=owner)
    return Column.objects.filter(scope).order_by("kind", "sort_order", "id")


@staff_required
def manage_columns(request: AuthenticatedHttpRequest) -> HttpResponse:
    orgs = _admin_orgs(request.user)
    code = request.GET.get("org", "") or request.POST.get("org", "")
    if not code and not can_administer_platform(request.user):
        code = orgs[0].code
    owner = _column_owner(request, code)
    form = f.ColumnForm(request.POST or None, parents=_parents(owner))
    if request.method == "POST" and form.is_valid():
        try:
            column = catalogue_services.column_save(
                organisation=owner, data=form.cleaned_data, acting_user=request.user
            )
        except (ValidationError, PermissionDenied) as error:
            _refused(form, error)
        else:
            messages.success(request, _("已添加栏目“%(n)s”。") % {"n": column.name})
            return redirect(f"{request.path}?org={code}")
    columns = Column.objects.filter(organisation=owner).select_related("parent")
    return render(
        request,
        "staff/manage/columns.html",
        {
            "organisations": orgs,
            "platform": can_administer_platform(request.user),
            "owner": owner,
            "code": code,
            "columns": columns.order_by("kind", "sort_order", "id"),
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


@staff_required
def manage_column(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    column = get_object_or_404(Column.objects.select_related("organisation"), pk=pk)
    owner = _column_owner(request, column.organisation.code if column.organisation else "")
    form = f.ColumnForm(
        request.POST or None, instance=Column.objects.get(pk=pk), parents=_parents(owner)
    )
    if request.method == "POST" and form.is_valid():
        try:
            catalogue_services.column_save(
                organisation=owner, column=column, data=form.cleaned_data, acting_user=request.user
            )
        except (ValidationError, PermissionDenied) as error:
            _refused(form, error)
        else:
            messages.success(request, _("已保存栏目“%(n)s”。") % {"n": column.name})
            return redirect(f"{_url('staff:manage_columns')}?org={owner.code if owner else ''}")
    return render(
        request,
        "staff/manage/column.html",
        {"column": column, "owner": owner, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _url(name: str, *args: Any) -> str:
    from django.urls import reverse

    return reverse(name, args=args)


# --- 公开指南 / 公开制度 pages --------------------------------------------------------------


@staff_required
def manage_page(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    if slug not in catalogue_services.PAGE_SLUGS:
        raise Http404
    code = request.GET.get("org", "")
    owner = _column_owner(request, code)
    page = Page.objects.filter(slug=slug, organisation=owner).first()
    default_title = str(catalogue_services.PAGE_SLUGS[slug])
    initial = {"title": page.title if page else default_title, "body": page.body if page else ""}
    form = f.PageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            catalogue_services.page_save(
                slug=slug,
                organisation=owner,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                acting_user=request.user,
            )
        except (ValidationError, PermissionDenied) as error:
            _refused(form, error)
        else:
            messages.success(request, _("已保存“%(t)s”。") % {"t": form.cleaned_data["title"]})
            return redirect(f"{request.path}?org={code}")
    return render(
        request,
        "staff/manage/page.html",
        {"slug": slug, "owner": owner, "code": code, "page": page, "form": form},
        status=400 if request.method == "POST" else 200,
    )


# --- the working-day calendar ---------------------------------------------------------------


def _require_platform(user: Any) -> None:
    if not can_administer_platform(user):
        raise PermissionDenied(_("只有全平台的政务公开管理员可以维护工作日历"))


@staff_required
def manage_calendar(request: AuthenticatedHttpRequest, year: int | None = None) -> HttpResponse:
    _require_platform(request.user)
    if year is None:
        return redirect("staff:manage_calendar_year", year=timezone.localdate().year + 1)
    if not calendar_services.MIN_YEAR <= year <= calendar_services.MAX_YEAR:
        raise Http404
    row = CalendarYear.objects.filter(year=year).first()
    day_form = f.CalendarDayForm(
        request.POST if request.POST.get("form") == "day" else None, prefix="day"
    )
    year_form = f.CalendarYearForm(
        request.POST if request.POST.get("form") == "year" else None,
        prefix="year",
        initial={"notice": row.notice if row else ""},
    )
    status = 200
    if request.method == "POST":
        done = _calendar_post(request, year, row, day_form, year_form)
        if done:
            return redirect("staff:manage_calendar_year", year=year)
        status = 400
    return render(
        request,
        "staff/manage/calendar.html",
        {
            "year": year,
            "row": row,
            "days": CalendarDay.objects.filter(date__year=year).order_by("date"),
            "years": CalendarYear.objects.order_by("-year"),
            "day_form": day_form,
            "year_form": year_form,
        },
        status=status,
    )


def _calendar_post(
    request: AuthenticatedHttpRequest,
    year: int,
    row: CalendarYear | None,
    day_form: f.CalendarDayForm,
    year_form: f.CalendarYearForm,
) -> bool:
    user, which = request.user, request.POST.get("form", "")
    try:
        if which == "year" and year_form.is_valid():
            calendar_services.calendar_year_set(
                year=year,
                source=row.source if row and row.source else _("管理员录入"),
                notice=year_form.cleaned_data["notice"],
                acting_user=user,
            )
            messages.success(request, _("已保存%(y)d年的工作日历。") % {"y": year})
            return True
        if which == "day" and day_form.is_valid():
            day: datetime.date = day_form.cleaned_data["day"]
            if day.year != year:
                raise ValidationError({"day": _("日期须在%(y)d年内") % {"y": year}})
            if row is None:
                raise ValidationError(
                    _("请先保存%(y)d年的国务院办公厅通知，再登记日期") % {"y": year}
                )
            calendar_services.calendar_day_set(
                day=day,
                kind=day_form.cleaned_data["kind"],
                name=day_form.cleaned_data["name"],
                acting_user=user,
            )
            messages.success(request, _("已登记%(d)s。") % {"d": f"{day:%Y年%-m月%-d日}"})
            return True
        if which == "delete":
            return _calendar_delete(request, request.POST.get("day", ""))
    except (ValidationError, PermissionDenied) as error:
        _refused(day_form if which != "year" else year_form, error)
    return False


def _calendar_delete(request: AuthenticatedHttpRequest, value: str) -> bool:
    try:
        day = datetime.date.fromisoformat(value)
        calendar_services.calendar_day_delete(day=day, acting_user=request.user)
    except ValueError:
        messages.error(request, _("日期“%(d)s”格式不正确") % {"d": value[:20]})
        return False
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    messages.success(request, _("已删除该日期的登记。"))
    return True


# --- roles: reviewers of each level, editors, handlers, administrators -----------------------


@staff_required
def manage_roles(request: AuthenticatedHttpRequest) -> HttpResponse:
    orgs = _admin_orgs(request.user)
    form = f.RoleAssignForm(
        request.POST or None, organisations=orgs, initial={"user": request.GET.get("user")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            accounts_services.role_assign_by_admin(
                user=data["user"],
                organisation=data["organisation"],
                role=data["role"],
                review_level=data["review_level"] or 0,
                include_descendants=data["include_descendants"],
                acting_user=request.user,
            )
        except (ValidationError, PermissionDenied) as error:
            _refused(form, error)
        else:
            messages.success(request, _("已分配角色。"))
            return redirect("staff:manage_roles")
    assignments = (
        RoleAssignment.objects.filter(organisation__in=orgs)
        .select_related("user", "organisation")
        .order_by("organisation__sort_order", "organisation__code", "role", "review_level")
    )
    return render(
        request,
        "staff/manage/roles.html",
        {
            "form": form,
            "assignments": assignments,
            "platform": can_administer_platform(request.user),
        },
        status=400 if request.method == "POST" else 200,
    )


@staff_required
@require_POST
def manage_role_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(RoleAssignment.objects.select_related("organisation"), pk=pk)
    try:
        accounts_services.role_revoke_by_admin(assignment=assignment, acting_user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已撤销角色。"))
    return redirect("staff:manage_roles")
