"""公开管理 › 工作人员账号 (issue 15, item 7): the 政务公开管理员 opens, edits, 停用/启用 staff
accounts of the organisations they administer and gives them a temporary password, without
the Django superuser. Every write is an accounts service, which checks scope and audits.

Who is listed: accounts whose 科室 is in an organisation the user administers, and accounts
holding a role there (``staff_users_for_admin``). Who may be changed: accounts whose 科室 is
in such an organisation (``can_administer_staff_user``); the others are listed read-only,
since they belong to another organisation's administrator."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.accounts import services as accounts_services
from gongkai.accounts.http import AuthenticatedHttpRequest
from gongkai.accounts.models import InternalUnit, Role, RoleAssignment, User
from gongkai.accounts.permissions import (
    can_administer_platform,
    can_administer_staff_user,
    ensure,
    staff_required,
)
from gongkai.accounts.selectors import (
    organisation_ids_for_role,
    staff_users_for_admin,
    staff_users_matching,
)
from gongkai.core.pagination import paginate

from . import forms_manage as f
from .views_manage import _admin_orgs, _refused

# A city's administrator sees hundreds of accounts: one screenful each page.
STAFF_PAGE_SIZE = 50


def _units(orgs: Any) -> Any:
    return (
        InternalUnit.objects.filter(organisation__in=orgs)
        .select_related("organisation")
        .order_by("organisation__sort_order", "organisation__code", "sort_order", "id")
    )


def _account_or_403(request: AuthenticatedHttpRequest, pk: int) -> User:
    account = get_object_or_404(
        staff_users_for_admin(request.user).select_related("unit__organisation"), pk=pk
    )
    ensure(
        can_administer_staff_user(request.user, account),
        _("该账号由其科室所属机构的政务公开管理员管理"),
    )
    return account


def _context(request: AuthenticatedHttpRequest, **extra: Any) -> dict[str, Any]:
    return {"platform": can_administer_platform(request.user), **extra}


@staff_required
def manage_staff(request: AuthenticatedHttpRequest) -> HttpResponse:
    orgs = _admin_orgs(request.user)
    form = f.StaffSearchForm(request.GET or None)
    accounts = staff_users_for_admin(request.user)
    searched = False
    if form.is_valid():
        data = form.cleaned_data
        accounts = staff_users_matching(accounts, data["q"])
        if data["status"]:
            accounts = accounts.filter(is_active=data["status"] == "active")
        searched = bool(data["q"].strip() or data["status"])
    page = paginate(
        request,
        # Accounts without a 科室 last on every database (NULLs sort first on SQLite only).
        accounts.select_related("unit__organisation").order_by(
            "-is_active",
            F("unit__organisation__sort_order").asc(nulls_last=True),
            F("unit__organisation__code").asc(nulls_last=True),
            "username",
        ),
        STAFF_PAGE_SIZE,
    )
    scope = organisation_ids_for_role(request.user, Role.ADMIN)
    roles: dict[int, list[RoleAssignment]] = {}
    for assignment in RoleAssignment.objects.filter(
        user__in=[a.pk for a in page.object_list], organisation__in=orgs
    ).select_related("organisation"):
        roles.setdefault(assignment.user_id, []).append(assignment)
    rows = [
        {
            "account": account,
            "roles": roles.get(account.pk, []),
            "manageable": can_administer_staff_user(request.user, account, scope=scope),
        }
        for account in page.object_list
    ]
    return render(
        request,
        "staff/manage/staff.html",
        _context(request, rows=rows, page_obj=page, form=form, searched=searched),
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@staff_required
def manage_staff_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    orgs = _admin_orgs(request.user)
    form = f.StaffUserForm(request.POST or None, units=_units(orgs), with_username=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = accounts_services.staff_user_create_by_admin(
                username=data["username"],
                display_name=data["display_name"],
                unit=data["unit"],
                email=data["email"],
                phone=data["phone"],
                acting_user=request.user,
            )
        except (ValidationError, PermissionDenied) as error:
            _refused(form, error)
        else:
            messages.success(
                request,
                _("已新建账号“%(u)s”。该账号还没有密码：请生成临时密码，并分配角色。")
                % {"u": account.username},
            )
            return redirect("staff:manage_staff_user", pk=account.pk)
    return render(
        request,
        "staff/manage/staff_new.html",
        _context(request, form=form),
        status=400 if request.method == "POST" else 200,
    )


@staff_required
def manage_staff_user(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    account = _account_or_403(request, pk)
    orgs = _admin_orgs(request.user)
    # A fresh copy: the form writes into its instance while validating.
    form = f.StaffUserForm(
        request.POST or None, instance=User.objects.get(pk=account.pk), units=_units(orgs)
    )
    if request.method == "POST" and form.is_valid():
        try:
            accounts_services.staff_user_update(
                user=account,
                data={name: form.cleaned_data[name] for name in accounts_services.STAFF_FIELDS},
                acting_user=request.user,
            )
        except (ValidationError, PermissionDenied) as error:
            _refused(form, error)
        else:
            messages.success(request, _("已保存账号信息。"))
            return redirect("staff:manage_staff_user", pk=account.pk)
    return render(
        request,
        "staff/manage/staff_user.html",
        _context(
            request,
            account=account,
            form=form,
            roles=account.roles.select_related("organisation").order_by("organisation__code"),
            is_self=account.pk == request.user.pk,
        ),
        status=400 if request.method == "POST" else 200,
    )


@staff_required
@require_POST
def manage_staff_active(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    account = _account_or_403(request, pk)
    active = request.POST.get("active") == "1"
    try:
        accounts_services.staff_user_active_set(
            user=account, active=active, acting_user=request.user
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        done = _("已启用账号“%(u)s”。") if active else _("已停用账号“%(u)s”，该账号不能再登录。")
        messages.success(request, done % {"u": account.username})
    return redirect("staff:manage_staff_user", pk=account.pk)


@staff_required
@require_POST
def manage_staff_password(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The temporary password is in this one response only: not in a redirect, the session or
    a message, and the page is not cached."""
    account = _account_or_403(request, pk)
    try:
        password = accounts_services.staff_password_reset_by_admin(
            user=account, acting_user=request.user
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("staff:manage_staff_user", pk=account.pk)
    response = render(
        request,
        "staff/manage/staff_password.html",
        _context(request, account=account, password=password),
    )
    add_never_cache_headers(response)
    return response
