"""Template tags of the policy library page."""

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .portal_rows import escape

register = template.Library()

_ACTIVE_ATTRS = mark_safe(' class="active" aria-current="true"')
_ACTIVE_MARK = mark_safe('<span aria-hidden="true">✓ </span>')


@register.simple_tag
def facet_value_link(facet: Any, value: Any) -> SafeString:
    """One value of a facet as its toggle link. The library shows some fifty of them; as a
    template loop each cost a dozen nodes (a third of the page's template time, issue 17).
    Every part is escaped as ``{{ }}`` would escape it (and without ``format_html``, whose
    per-argument checks for lazy strings cost more than the escaping)."""
    head = (
        f'<a href="{escape(value.url)}" data-facet="{escape(facet.key)}"'
        f' data-value="{escape(value.value)}"'
    )
    if value.active:
        return mark_safe(
            f"{head}{_ACTIVE_ATTRS}>{_ACTIVE_MARK}{escape(value.label)}"
            f' <span class="count">({escape(value.count)})</span>'
            f'<span class="sr-only">{escape(_("（已选中，再次点击取消）"))}</span></a>'
        )
    return mark_safe(
        f'{head}>{escape(value.label)} <span class="count">({escape(value.count)})</span></a>'
    )


@register.simple_tag
def facet_value_items(facet: Any) -> SafeString:
    """Every value of a facet as its ``<li>`` (what a loop over ``facet_value_link`` printed,
    whitespace included), without a loop frame per value."""
    return mark_safe(
        "".join(f"\n        <li>{facet_value_link(facet, v)}</li>\n        " for v in facet.values)
    )
