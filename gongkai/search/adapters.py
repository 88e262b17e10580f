"""Helpers for the search adapters that content apps register (``<app>/content.py``).

The adapters themselves live with their content (``catalogue.content``, ``policies.content``)
and reach the search registry through the content registry (``core.content``).
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.html import strip_tags

_URL_NAMES: dict[tuple[str, ...], str | None] = {}


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
    return reverse(found, args=[pk]) if found else fallback.format(pk=pk)


def doc_text(html_body: str, plain: str) -> str:
    return plain or strip_tags(html_body or "")
