"""The content registry: every publishable kind registers itself here, filled from below.

A content app (catalogue, policies, foi, …) describes each of its kinds with one
``ContentKind`` and calls ``register`` from its ``AppConfig.ready()``. The cross-cutting apps —
review, search, portal, staff — never import a content app: they ask this registry for the
review adapter, the search adapters, the URLs and the navigation entry of a kind. ``core``
itself holds only the data; the adapters' types belong to the apps that use them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class NavEntry:
    """One link of the staff workbench's navigation: URL name, label, roles that see it."""

    url_name: str
    label: Any
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class ContentKind:
    """Everything the platform needs to know about one kind of content.

    ``review_adapter`` is a ``review.chain_services.ContentAdapter`` (or None: not reviewed),
    ``search_adapters`` are ``search.registry.Adapter`` values (none: not searched),
    ``register_search`` runs once the search registry exists (related models, facet labels),
    ``checks`` names the automatic checks that apply (``checks`` app).
    """

    kind: str
    model_label: str
    label: Any
    review_adapter: Any = None
    search_adapters: tuple[Any, ...] = ()
    register_search: Callable[[], None] | None = None
    public_url_name: str = ""
    staff_url_name: str = ""
    nav: NavEntry | None = None
    checks: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)


_KINDS: dict[str, ContentKind] = {}


def register(kind: ContentKind) -> ContentKind:
    """Register (or, for the same model, re-register) one content kind."""
    existing = _KINDS.get(kind.kind)
    if existing is not None and existing.model_label != kind.model_label:
        raise ImproperlyConfigured(
            f"content kind {kind.kind!r} is registered twice: "
            f"{existing.model_label} and {kind.model_label}"
        )
    _KINDS[kind.kind] = kind
    return kind


def unregister(kind: str) -> None:
    """Tests that register a throw-away kind remove it again."""
    _KINDS.pop(kind, None)


def kinds() -> list[ContentKind]:
    return list(_KINDS.values())


def get(kind: str) -> ContentKind | None:
    return _KINDS.get(kind)


def for_model_label(label: str) -> ContentKind | None:
    for entry in _KINDS.values():
        if entry.model_label == label:
            return entry
    return None


def reviewed() -> Iterable[ContentKind]:
    return [entry for entry in _KINDS.values() if entry.review_adapter is not None]


def searched() -> Iterable[ContentKind]:
    return [entry for entry in _KINDS.values() if entry.search_adapters]


@dataclass(frozen=True)
class PersonalSection:
    """What one app holds for a logged-in member of the public (个人中心): ``selector(user)``
    returns the entries, ``template`` (optional) renders them."""

    key: str
    selector: Callable[[Any], Iterable[Any]]
    template: str = ""


_PERSONAL: dict[str, PersonalSection] = {}


def register_personal_section(section: PersonalSection) -> None:
    _PERSONAL[section.key] = section


def personal_section(key: str) -> PersonalSection | None:
    return _PERSONAL.get(key)


def unregister_personal_section(key: str) -> None:
    _PERSONAL.pop(key, None)
