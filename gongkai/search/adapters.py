"""Helpers for the search adapters that content apps register (``<app>/content.py``).

The adapters themselves live with their content (``catalogue.content``, ``policies.content``)
and reach the search registry through the content registry (``core.content``).
"""

from __future__ import annotations

from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import strip_tags

_URL_NAMES: dict[tuple[str, ...], str | None] = {}
# A detail page's address is a fixed text around its ``<int:pk>``: reversed once per name,
# script prefix and URLconf with this probe, then filled in for each hit (a results page links
# ten: a ``reverse()`` each was ~20 µs, issue 17).
_PROBE = 918_273_645_546
_AROUND_PK: dict[tuple[str, str, object], tuple[str, str]] = {}


def first_url(names: tuple[str, ...], pk: int, fallback: str) -> str:
    # The detail pages belong to the catalogue/policies areas; use the first of their URL names
    # that exists (looked up once per process: failed reverses are slow).
    if names not in _URL_NAMES:
        _URL_NAMES[names] = None
        for candidate in names:
            try:
                reverse(candidate, args=[1])
            except NoReverseMatch:
                continue
            _URL_NAMES[names] = candidate
            break
    found = _URL_NAMES[names]
    if not found:
        return fallback.format(pk=pk)
    key = (found, get_script_prefix(), get_urlconf())
    around = _AROUND_PK.get(key)
    if around is None:
        before, probe, after = reverse(found, args=[_PROBE]).partition(str(_PROBE))
        if not probe:  # not a plain number in the address: reversed each time
            return reverse(found, args=[pk])
        around = _AROUND_PK[key] = (before, after)
    return f"{around[0]}{int(pk)}{around[1]}"


def doc_text(html_body: str, plain: str) -> str:
    return plain or strip_tags(html_body or "")
