"""Reads that encode who may act where: role scope over the agency tree."""

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from .models import Organisation, Role, RoleAssignment, User


def organisation_descendant_ids(root_ids: Iterable[int]) -> set[int]:
    """The given organisations and everything below them (the tree is small: one query)."""
    roots = set(root_ids)
    if not roots:
        return set()
    children: dict[int | None, list[int]] = {}
    for org_id, parent_id in Organisation.objects.values_list("id", "parent_id"):
        children.setdefault(parent_id, []).append(org_id)
    result: set[int] = set()
    stack = list(roots)
    while stack:
        current = stack.pop()
        if current in result:
            continue
        result.add(current)
        stack.extend(children.get(current, []))
    return result


def organisation_ids_for_role(user: Any, *roles: str) -> set[int] | None:
    """Organisation ids where ``user`` holds any of ``roles``; ``None`` means every organisation.

    政务公开管理员 implies every other role within its own scope, so an administrator can do
    what an editor or handler of the same organisation can.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if user.is_superuser:
        return None
    wanted = set(roles) | {Role.ADMIN}
    direct: set[int] = set()
    with_children: set[int] = set()
    for org_id, include in RoleAssignment.objects.filter(user=user, role__in=wanted).values_list(
        "organisation_id", "include_descendants"
    ):
        (with_children if include else direct).add(org_id)
    return direct | organisation_descendant_ids(with_children)


def user_has_role(user: Any, organisation: Organisation | int | None, *roles: str) -> bool:
    if organisation is None:
        return False
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    scope = organisation_ids_for_role(user, *roles)
    return scope is None or org_id in scope


def is_staff_user(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and (user.is_superuser or user.kind == User.Kind.STAFF)
    )


def organisations_for_role(user: Any, *roles: str) -> QuerySet[Organisation]:
    scope = organisation_ids_for_role(user, *roles)
    qs = Organisation.objects.filter(is_active=True)
    return qs if scope is None else qs.filter(id__in=scope)


def staff_users_for_admin(user: Any) -> QuerySet[User]:
    """The staff accounts a 政务公开管理员 sees in 工作人员账号: those whose 科室 is in an
    organisation they administer, and those holding a role there (a reviewer from another
    body, say). Which of them they may also change is ``permissions.can_administer_staff_user``."""
    scope = organisation_ids_for_role(user, Role.ADMIN)
    qs = User.objects.filter(kind=User.Kind.STAFF)
    if scope is None:
        return qs
    ids = qs.filter(
        Q(unit__organisation_id__in=scope) | Q(roles__organisation_id__in=scope)
    ).values("pk")
    return qs.filter(pk__in=ids)


def staff_users_matching(qs: QuerySet[User], q: str) -> QuerySet[User]:
    """``qs`` narrowed to the accounts whose 姓名, 用户名 or 手机号码 contains ``q``, or whose
    科室 (or that 科室's organisation, by name or short name) does. A subquery, not a join, so
    an account with several roles is listed once and ``qs``'s scope is kept as it is."""
    q = (q or "").strip()
    if not q:
        return qs
    hits = User.objects.filter(
        Q(display_name__icontains=q)
        | Q(username__icontains=q)
        | Q(phone__icontains=q)
        | Q(unit__name__icontains=q)
        | Q(unit__organisation__name__icontains=q)
        | Q(unit__organisation__short_name__icontains=q)
    ).values("pk")
    return qs.filter(pk__in=hits)


def organisations_matching(qs: QuerySet[Organisation], q: str) -> QuerySet[Organisation]:
    """``qs`` narrowed to the organisations whose name, short name or code contains ``q``."""
    q = (q or "").strip()
    if not q:
        return qs
    return qs.filter(Q(name__icontains=q) | Q(short_name__icontains=q) | Q(code__icontains=q))


def organisation_tree() -> list[tuple[Organisation, int]]:
    """All active organisations in tree order with their depth, for menus and 机构职能目录."""
    orgs = list(Organisation.objects.filter(is_active=True).order_by("sort_order", "code"))
    by_parent: dict[int | None, list[Organisation]] = {}
    ids = {o.pk for o in orgs}
    for org in orgs:
        parent = org.parent_id if org.parent_id in ids else None
        by_parent.setdefault(parent, []).append(org)
    out: list[tuple[Organisation, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for org in by_parent.get(parent, []):
            out.append((org, depth))
            walk(org.pk, depth + 1)

    walk(None, 0)
    return out


def login_history(user: Any, limit: int = 20) -> list[Any]:
    """The account's latest logins and failed logins, from the audit trail (time and address)."""
    from gongkai.core.models import AuditEntry

    return list(
        AuditEntry.objects.filter(
            target_type=User._meta.label_lower,
            target_id=str(user.pk),
            action__in=[AuditEntry.Action.LOGIN, AuditEntry.Action.LOGIN_FAILED],
        ).order_by("-created_at", "-id")[:limit]
    )
