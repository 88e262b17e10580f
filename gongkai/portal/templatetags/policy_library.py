"""Template tags of the policy library page."""

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()

_ACTIVE_ATTRS = mark_safe(' class="active" aria-current="true"')
_ACTIVE_MARK = mark_safe('<span aria-hidden="true">✓ </span>')


@register.simple_tag
def facet_value_link(facet: Any, value: Any) -> SafeString:
    """One value of a facet as its toggle link. The library shows some fifty of them; as a
    template loop each cost a dozen nodes (a third of the page's template time, issue 17).
    Every part is escaped as ``{{ }}`` would escape it."""
    if value.active:
        return format_html(
            '<a href="{}" data-facet="{}" data-value="{}"{}>{}{} <span class="count">({})</span>'
            '<span class="sr-only">{}</span></a>',
            value.url,
            facet.key,
            value.value,
            _ACTIVE_ATTRS,
            _ACTIVE_MARK,
            value.label,
            value.count,
            _("（已选中，再次点击取消）"),
        )
    return format_html(
        '<a href="{}" data-facet="{}" data-value="{}">{} <span class="count">({})</span></a>',
        value.url,
        facet.key,
        value.value,
        value.label,
        value.count,
    )
