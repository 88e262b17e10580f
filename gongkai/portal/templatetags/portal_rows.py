"""List rows of the busy public pages, printed by one tag per list (issue 17 item 4).

As template loops, the policy library's twenty result rows and the home page's lists cost some
twenty nodes a row — ``{% url %}``, ``{% translate %}``, ``|date``, escaping, a loop frame —
which was most of those pages' CPU. These tags print exactly what the loops printed (byte for
byte, whitespace included: ``tests/test_list_rows.py`` renders the former loops beside them),
translating each label once per list and building each address from one ``reverse()`` per
list. A change of markup is made here, and in that test's copy of the loop.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from django import template
from django.urls import reverse
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()

_PROBE = 918_273_645_546


def escape(value: Any) -> str:
    """``{{ value }}`` with autoescape: safe strings as they are, the rest escaped."""
    if isinstance(value, SafeData):
        return str(value)
    return html.escape(str(value))


def ymd(value: date | None) -> str:
    """``{{ value|date:"Y-m-d" }}`` of a date (empty for none)."""
    return value.isoformat() if value else ""


def pk_url(name: str) -> Callable[[int], str]:
    """``{% url name pk %}`` for many pks at the cost of one ``reverse()``: the route's ``<int:pk>``
    prints the number as it is, so the address is a fixed prefix and suffix around it."""
    before, after = escape(reverse(name, args=[_PROBE])).split(str(_PROBE))
    return lambda pk: f"{before}{int(pk)}{after}"


def _t(message: str) -> str:
    """``{% translate message %}`` (escaped, as the tag prints it)."""
    return escape(gettext(message))


def _validity_badge(item: Any, seen: dict[str, str] | None = None) -> str:
    """The badge of a 失效/废止/已修改 item; ``seen`` keeps each badge for the rows of one list
    (a label is a lazy translation: a dozen microseconds each time it is made a string)."""
    if item.validity == "valid":
        return ""
    if seen is not None and item.validity in seen:
        return seen[item.validity]
    label = escape(item.get_validity_display())
    badge = f' <span class="badge {escape(item.validity)}">{label}</span>'
    if seen is not None:
        seen[item.validity] = badge
    return badge


# ------------------------------------------------------------------------- policy library


@register.simple_tag
def policy_rows(items: Iterable[Any]) -> SafeString:
    """The ``<li class="policy">`` rows of the policy library's results."""
    item_url = pk_url("portal:item_detail")
    interp_url = pk_url("portal:interpretation_detail")
    doc_label, org_label, date_label, kind_label, interp_label = (
        _t("文号："),
        _t("发布机构："),
        _t("发布日期："),
        _t("文件类型："),
        _t("解读："),
    )
    out: list[str] = []
    badges: dict[str, str] = {}
    kinds: dict[str, str] = {}
    for item in items:
        badge = _validity_badge(item, badges)
        kind = kinds.get(item.policy_kind)
        if kind is None:
            kind = kinds[item.policy_kind] = escape(item.get_policy_kind_display())
        doc = f"<span>{doc_label}{escape(item.doc_number)}</span>" if item.doc_number else ""
        interps = getattr(item, "public_interpretations", None)
        interp_block = (
            f'\n        <p class="interps">{interp_label}'
            + "；".join(f'<a href="{interp_url(i.pk)}">{escape(i.title)}</a>' for i in interps)
            + "</p>\n        "
            if interps
            else ""
        )
        out.append(
            f'\n      <li class="policy">\n'
            f'        <h3><a href="{item_url(item.pk)}">{escape(item.title)}</a>{badge}</h3>\n'
            f'        <p class="meta">\n'
            f"          {doc}\n"
            f"          <span>{org_label}{escape(item.organisation.name)}</span>\n"
            f"          <span>{date_label}{ymd(item.published_date)}</span>\n"
            f"          <span>{kind_label}{kind}</span>\n"
            f"        </p>\n"
            f"        {interp_block}\n"
            f"      </li>\n      "
        )
    return mark_safe("".join(out))


# -------------------------------------------------------------- item lists and the home page


@register.simple_tag
def item_rows(items: Iterable[Any], show_org: Any = False) -> SafeString:
    """The ``<li>`` rows of ``portal/_item_list.html`` (home, columns, organisations)."""
    item_url = pk_url("portal:item_detail")
    out: list[str] = []
    badges: dict[str, str] = {}
    for item in items:
        badge = _validity_badge(item, badges)
        org = f' <span class="org">{escape(item.organisation.name)}</span>' if show_org else ""
        out.append(
            f'\n  <li>\n    <span><a href="{item_url(item.pk)}">{escape(item.title)}</a>'
            f'{badge}{org}</span>\n    <span class="date">{ymd(item.published_date)}</span>'
            "\n  </li>\n  "
        )
    return mark_safe("".join(out))


@register.simple_tag
def home_policy_rows(items: Iterable[Any]) -> SafeString:
    """The home page's latest policies, each with its interpretations."""
    item_url = pk_url("portal:item_detail")
    interp_url = pk_url("portal:interpretation_detail")
    interp_label = _t("解读：")
    out: list[str] = []
    for item in items:
        interps = "".join(
            f'<br><span class="interp-link">{interp_label}'
            f'<a href="{interp_url(i.pk)}">{escape(i.title)}</a></span>'
            for i in getattr(item, "public_interpretations", None) or ()
        )
        out.append(
            f'\n      <li>\n        <span><a href="{item_url(item.pk)}">{escape(item.title)}</a>'
            f"\n        {interps}</span>\n"
            f'        <span class="date">{ymd(item.published_date)}</span>\n      </li>\n      '
        )
    return mark_safe("".join(out))


@register.simple_tag
def interpretation_rows(interpretations: Iterable[Any]) -> SafeString:
    """The home page's latest interpretations."""
    interp_url = pk_url("portal:interpretation_detail")
    return mark_safe(
        "".join(
            f'\n      <li><span><a href="{interp_url(i.pk)}">{escape(i.title)}</a>'
            f' <span class="badge">{escape(i.get_form_display())}</span></span>'
            f'<span class="date">{ymd(i.published_date)}</span></li>\n      '
            for i in interpretations
        )
    )


# ------------------------------------------------------------------------------- search


@register.simple_tag
def search_hit_rows(hits: Iterable[dict[str, Any]]) -> SafeString:
    """The ``<li class="search-hit">`` rows of the search page (portal and staff): the hits'
    dictionaries of ``search.selectors.hit_dict``; ``title_html`` and ``snippet`` are already
    escaped and highlighted there (``|safe`` in the loop)."""
    doc_label, date_label = _t("文号："), _t("发布日期：")
    out: list[str] = []
    for hit in hits:
        inactive = " inactive" if hit.get("inactive") else ""
        doc = (
            f"<span>{doc_label}{escape(hit['doc_number'])}</span>" if hit.get("doc_number") else ""
        )
        published = (
            f"<span>{date_label}{escape(hit['published'])}</span>" if hit.get("published") else ""
        )
        validity = hit.get("validity")
        badge = (
            f'<span class="badge validity-{escape(validity)}">'
            f"{escape(hit.get('validity_label', ''))}</span>"
            if validity and validity != "valid"
            else ""
        )
        snippet = f'<p class="snippet">{hit["snippet"]}</p>' if hit.get("snippet") else ""
        out.append(
            f'\n        <li class="search-hit{inactive}">\n'
            f'          <h3><a href="{escape(hit.get("url", ""))}">'
            f"{hit.get('title_html', '')}</a></h3>\n"
            f'          <p class="meta">\n'
            f'            <span class="badge">{escape(hit.get("type_label", ""))}</span>\n'
            f"            {doc}\n"
            f"            {published}\n"
            f"            {badge}\n"
            f"          </p>\n"
            f"          {snippet}\n"
            f"        </li>\n        "
        )
    return mark_safe("".join(out))


@register.simple_tag
def search_facet_items(facet: dict[str, Any]) -> SafeString:
    """The ``<li>`` values of one facet of the search page (``search.presentation``'s dicts)."""
    out: list[str] = []
    for v in facet["values"]:
        if v.get("selected"):
            head, mark = '<li class="selected"><a href="{}" aria-current="true">', "✓ "
        else:
            head, mark = '<li><a href="{}">', ""
        out.append(
            "\n          "
            + head.format(escape(v.get("url", "")))
            + f"{mark}{escape(v.get('label', ''))}</a>"
            f' <span class="count">({escape(v.get("count", ""))})</span></li>\n          '
        )
    return mark_safe("".join(out))
