"""The staff workbench's navigation entries for content kinds, asked of the content registry
(issue 11, ADR 0006): each content app registers its ``NavEntry`` with its ``ContentKind``, so
a new kind appears in the navigation without a template edit."""

from dataclasses import dataclass
from typing import Any

from django import template
from django.urls import reverse

from gongkai.accounts.selectors import organisation_ids_for_role
from gongkai.core import content

register = template.Library()


@dataclass(frozen=True)
class NavLink:
    url: str
    label: Any


def _may_see(user: Any, roles: tuple[str, ...]) -> bool:
    if not roles:
        return True
    ids = organisation_ids_for_role(user, *roles)
    return ids is None or bool(ids)


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
