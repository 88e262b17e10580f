"""The staff workbench's navigation entries for content kinds, asked of the content registry
(issue 11, ADR 0006): each content app registers its ``NavEntry`` with its ``ContentKind``, so
a new kind appears in the navigation without a template edit."""

from dataclasses import dataclass
from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _lazy

from gongkai.accounts.models import Role, RoleAssignment
from gongkai.accounts.permissions import can_administer_platform
from gongkai.core import content
from gongkai.reports.selectors import REPORT_DRAFT_ROLES

register = template.Library()


@dataclass(frozen=True)
class NavLink:
    url: str
    label: Any


def _held_roles(user: Any) -> set[str] | None:
    """The roles ``user`` holds anywhere (``None``: a superuser, every role), read once per
    request: the navigation asks for every entry."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if user.is_superuser:
        return None
    cached = getattr(user, "_staff_nav_roles", None)
    if cached is None:
        cached = set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
        user._staff_nav_roles = cached
    return cached


def _may_see(user: Any, roles: tuple[str, ...]) -> bool:
    """A 政务公开管理员 may use what every other role may (accounts.selectors)."""
    if not roles:
        return True
    held = _held_roles(user)
    return held is None or bool(held & (set(roles) | {Role.ADMIN}))


def content_nav_links(user: Any) -> list[NavLink]:
    """The registered kinds' entries in registration order (the apps' order), those whose
    roles ``user`` holds somewhere. An entry naming a URL that does not exist fails loudly."""
    return [
        NavLink(url=reverse(entry.nav.url_name), label=entry.nav.label)
        for entry in content.kinds()
        if entry.nav is not None and _may_see(user, entry.nav.roles)
    ]


@register.simple_tag(takes_context=True)
def content_nav(context: template.Context) -> list[NavLink]:
    return content_nav_links(context.get("user"))


# The workbench's fixed entries (not content kinds) and the roles that may use each page, as
# the pages themselves check them (issue 15, item 3): a link a role cannot use is not offered.
FIXED_NAV: tuple[tuple[str, Any, tuple[str, ...]], ...] = (
    ("staff:workflow_queue", _lazy("先审后发"), ()),
    ("staff:review_home", _lazy("审核与检查"), ()),
    ("staff:review_disclosure", _lazy("不公开信息评估"), (Role.EDITOR, Role.ADMIN)),
    ("staff:reports_annual", _lazy("年度报告"), REPORT_DRAFT_ROLES),
    ("staff:reports_statistics", _lazy("统计分析"), (Role.ADMIN, Role.EDITOR, Role.FOI_HANDLER)),
    ("staff:search", _lazy("搜索"), ()),
    ("staff:manage_home", _lazy("公开管理"), (Role.ADMIN,)),
)


def fixed_nav_links(user: Any) -> list[NavLink]:
    return [
        NavLink(url=reverse(url_name), label=label)
        for url_name, label, roles in FIXED_NAV
        if _may_see(user, roles)
    ]


@register.simple_tag(takes_context=True)
def fixed_nav(context: template.Context) -> list[NavLink]:
    return fixed_nav_links(context.get("user"))


@register.simple_tag
def administers_platform(user: Any) -> bool:
    """Whether the 公开管理 menu offers the platform-wide settings (工作日历 …): asked by the
    menu itself, so no page forgets to say (accounts.permissions)."""
    return can_administer_platform(user)
