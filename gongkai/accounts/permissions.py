"""Who may open the back office, and who may act on which object.

Issue 2 item 2: staff roles are scoped to an organisation — a department editor cannot touch
another department's items. Views use `staff_required` for the door and the object predicates
below (`can_edit_item`, ...) for every object. They are plain functions, not Django permissions:
Django admin asks ``has_perm("catalogue.change_informationitem")`` without an object, and admin
is for configuration by superusers only, so it must not be opened by a role predicate.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.core.views import forbidden

from .models import Role, RoleAssignment, User
from .selectors import is_staff_user, organisation_ids_for_role, user_has_role

STAFF_ONLY_MESSAGE = gettext_lazy("此页面仅限工作人员访问。公众用户请前往个人中心。")


def _org_id(obj: Any) -> int | None:
    if obj is None:
        return None
    org_id = getattr(obj, "organisation_id", None)
    if org_id is None and getattr(obj, "organisation", None) is not None:
        org_id = obj.organisation.pk
    return org_id


# --- object predicates -------------------------------------------------------------------------


def can_edit_item(user: Any, item: Any) -> bool:
    """编辑 (or 政务公开管理员, which implies it) of the item's own organisation."""
    org_id = _org_id(item)
    return org_id is not None and is_staff_user(user) and user_has_role(user, org_id, Role.EDITOR)


def can_review_item(user: Any, item: Any) -> bool:
    """审核人 (any level) or 管理员 of the item's organisation; the chain decides the level."""
    org_id = _org_id(item)
    return org_id is not None and is_staff_user(user) and user_has_role(user, org_id, Role.REVIEWER)


def can_view_item_draft(user: Any, item: Any) -> bool:
    """Unpublished items are seen only by those who write or review them in that organisation."""
    org_id = _org_id(item)
    return (
        org_id is not None
        and is_staff_user(user)
        and user_has_role(user, org_id, Role.EDITOR, Role.REVIEWER)
    )


def can_handle_foi(user: Any, obj: Any) -> bool:
    """依申请公开经办人 (or 管理员) of the organisation an application was made to."""
    org_id = _org_id(obj)
    return (
        org_id is not None and is_staff_user(user) and user_has_role(user, org_id, Role.FOI_HANDLER)
    )


def can_administer_organisation(user: Any, organisation: Any) -> bool:
    """政务公开管理员 of this organisation (or above it with 含下级机构)."""
    if organisation is None:
        return False
    return is_staff_user(user) and user_has_role(user, organisation.pk, Role.ADMIN)


def can_administer_platform(user: Any) -> bool:
    """Platform-wide settings (the working-day calendar, platform columns and pages): a
    政务公开管理员 of a top-level organisation (the government running the platform)."""
    if getattr(user, "is_superuser", False):
        return True
    return (
        is_staff_user(user)
        and RoleAssignment.objects.filter(
            user=user, role=Role.ADMIN, organisation__parent__isnull=True
        ).exists()
    )


def can_administer_tree_under(user: Any, parent: Any) -> bool:
    """Who may add an organisation under ``parent`` or 停用/启用 one of its children: its
    政务公开管理员 (or one above with 含下级机构); at the top of the tree (``parent`` None), a
    platform administrator."""
    if parent is None:
        return can_administer_platform(user)
    return bool(getattr(user, "is_superuser", False)) or can_administer_organisation(user, parent)


_SCOPE_UNKNOWN: Any = object()


def can_administer_staff_user(user: Any, account: Any, *, scope: Any = _SCOPE_UNKNOWN) -> bool:
    """A staff account belongs to the organisation of its 科室; the 政务公开管理员 there (or
    above with 含下级机构) keeps it. An account without a 科室 is kept by whoever administers
    every organisation it holds a role in. Superuser accounts are kept by superusers only.

    ``scope``: ``organisation_ids_for_role(user, Role.ADMIN)`` when the caller already has it
    (a list page asks for every row: one scope query, not one per row)."""
    if not is_staff_user(user) or getattr(account, "kind", None) != User.Kind.STAFF:
        return False
    if account.is_superuser and not user.is_superuser:
        return False
    if scope is _SCOPE_UNKNOWN:
        scope = organisation_ids_for_role(user, Role.ADMIN)
    if scope is None:
        return True
    if account.unit_id is not None:
        return account.unit.organisation_id in scope
    held = set(
        RoleAssignment.objects.filter(user=account).values_list("organisation_id", flat=True)
    )
    return bool(held) and held <= scope


# --- view guards -------------------------------------------------------------------------------


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous → login page (then back); logged-in public account → Chinese 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_staff_user(user):
            return forbidden(request, str(STAFF_ONLY_MESSAGE))
        return view(request, *args, **kwargs)

    return wrapper


class StaffRequiredMixin:
    """Class-based twin of `staff_required`; put it first in the bases."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_staff_user(user):
            return forbidden(request, str(STAFF_ONLY_MESSAGE))
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]  # mixin: the view class supplies dispatch


def ensure(allowed: bool, message: str | None = None) -> None:
    """``ensure(can_edit_item(request.user, item))`` in a view: raise a Chinese 403 otherwise."""
    if not allowed:
        raise PermissionDenied(message or _("您没有权限执行此操作。"))
