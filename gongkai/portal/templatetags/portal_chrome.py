"""The portal's header and footer, rendered once and reused for anonymous readers (issue 17).

Every public page carries the same header and footer: some forty nodes, thirty of them
``{% translate %}`` and eight ``{% url %}``, about a tenth of a page's template time. For an
anonymous reader they depend on nothing but the active language, the site's names (settings and
the issuing government, itself a shared read kept exact by table generations), the 长者模式
switch and three values of the request: the search box's query and the current address (twice).

So the fragment is rendered through the template engine once per language and input values,
with a marker in place of each request value, and kept in this process split at the markers; a
page then costs a dictionary look-up and a join of the escaped request values — exactly what
``{{ }}`` would have printed (``tests/test_site_chrome.py`` compares byte for byte). The key is
the input values themselves, not a generation: a renamed government or site is a different key
on the very next render, and nothing can be stale. The kept parts belong to the compiled
template object, so a reloaded template (development) starts afresh.

A signed-in reader's header differs (工作台 or 个人中心, the logout form's CSRF token): it is
rendered through the template engine every time, never from the kept parts.
"""

from __future__ import annotations

import html
import secrets
from typing import Any
from urllib.parse import quote

from django import template
from django.contrib.auth.models import AnonymousUser
from django.template import Context
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

FRAGMENTS = {"header": "portal/_site_header.html", "footer": "portal/_site_footer.html"}
# Everything the fragments may read of the page's context; the memo key. A fragment that read
# anything else would get nothing in its kept form (the test renders both ways to catch that).
INPUTS = (
    "site_name",
    "site_government",
    "large_text",
    "site_organizer",
    "site_code",
    "site_icp",
    "site_psb",
)
SLOTS = ("search_q", "here", "here_quoted")
# Markers survive HTML escaping unchanged (letters and digits only) and cannot be guessed.
_MARKERS = {slot: f"gkchrome{secrets.token_hex(12)}{i}x" for i, slot in enumerate(SLOTS)}
_SLOT_OF = {marker: i for i, marker in enumerate(_MARKERS.values())}
MEMO_LIMIT = 64

type Parts = tuple[str | int, ...]


def _request_values(request: Any) -> tuple[str, str, str]:
    """The three request values, as the original template filters produced them (unescaped):
    ``request.GET.q|default:''``, ``request.get_full_path``, ``…|urlencode``."""
    if request is None:
        return "", "", ""
    here = request.get_full_path()
    return request.GET.get("q") or "", here, quote(here, safe="/")


def _split(rendered: str) -> Parts:
    parts: list[str | int] = []
    rest = rendered
    while True:
        found = [(rest.find(m), m) for m in _MARKERS.values() if m in rest]
        if not found:
            break
        at, marker = min(found)
        if at:
            parts.append(rest[:at])
        parts.append(_SLOT_OF[marker])
        rest = rest[at + len(marker) :]
    if rest:
        parts.append(rest)
    return tuple(parts)


def _kept_parts(tpl: Any, inputs: dict[str, Any], autoescape: bool) -> Parts:
    memo: dict[tuple, Parts] | None = getattr(tpl, "_gk_chrome_memo", None)
    if memo is None:
        memo = tpl._gk_chrome_memo = {}
    key = (get_language(), autoescape, *inputs.values())
    parts = memo.get(key)
    if parts is None:
        values = {**inputs, "user": AnonymousUser(), **_MARKERS}
        parts = _split(tpl.render(Context(values, autoescape=autoescape)))
        if len(memo) >= MEMO_LIMIT:  # a bound, not a policy: inputs change rarely
            memo.clear()
        memo[key] = parts
    return parts


@register.simple_tag(takes_context=True)
def site_chrome(context: template.Context, name: str) -> SafeString:
    """The portal's header or footer (``name``) for this page."""
    assert context.template is not None  # a tag renders inside a template
    tpl = context.template.engine.get_template(FRAGMENTS[name])
    request = context.get("request")
    q, here, quoted = _request_values(request)
    user = context.get("user")
    if request is None or user is None or user.is_authenticated:
        with context.push(search_q=q, here=here, here_quoted=quoted):
            return mark_safe(tpl.render(context))
    inputs = {}
    for key in INPUTS:
        value = context.get(key, "")
        # The lazy 主办单位 as its text (the key must compare by value); the rest as they are,
        # so an unset identifier (None, "") stays falsy in the fragment's {% if %}.
        inputs[key] = str(value) if isinstance(value, Promise) else value
    try:
        hash(tuple(inputs.values()))
    except TypeError:  # an unhashable setting makes no key: render it as for a signed-in reader
        with context.push(search_q=q, here=here, here_quoted=quoted):
            return mark_safe(tpl.render(context))
    parts = _kept_parts(tpl, inputs, context.autoescape)
    escape = html.escape if context.autoescape else str
    filled = (escape(q), escape(here), escape(quoted))
    return mark_safe("".join(p if isinstance(p, str) else filled[p] for p in parts))
