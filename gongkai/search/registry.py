"""What the search indexes: content apps describe their documents through adapters.

An adapter turns one model instance into a ``SearchDoc`` (plain data, no ORM) and says which
model it watches; the engine, the signals and ``gongkai reindex`` only talk to adapters.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import models


@dataclass
class SearchDoc:
    key: str  # "item:123"
    type: str  # item / policy / interpretation / qa
    title: str
    body: str = ""
    doc_number: str = ""
    external_id: str = ""
    organisation_id: int | None = None
    published: date | None = None
    public: bool = False
    policy_kind: str = ""
    # 体裁分类 of an information item (catalogue.Genre): news (其他) ranks below 公文 for
    # policy-like queries (engine/ranking.py).
    genre: str = ""
    validity: str = ""
    topic_id: int | None = None
    audience_ids: list[int] = field(default_factory=list)
    special_ids: list[int] = field(default_factory=list)
    extra_text: str = ""  # keywords, summary, attachment text: searched as body
    status: str = ""  # workflow status, shown to staff


@dataclass
class Adapter:
    """How one model is indexed.

    ``prefix`` is the key prefix ("item"); ``load`` builds the documents of the given primary
    keys (missing ones are left out: they are deleted from the index); ``load_range`` builds
    those with a primary key between two bounds (a rebuild reads the table in such ranges);
    ``url``/``staff_url`` give the page of a hit.
    """

    prefix: str
    model: type[models.Model]
    load: Callable[[list[int]], dict[int, SearchDoc]]
    load_range: Callable[[int, int], dict[int, SearchDoc]]  # first..last primary key
    url: Callable[[str, int], str]
    count: Callable[[], int]
    type_labels: dict[str, Any] = field(default_factory=dict)
    staff_url: Callable[[str, int], str] | None = None


_ADAPTERS: dict[str, Adapter] = {}
# Models whose changes affect documents of other adapters: model → function(instance) → keys.
_RELATED: dict[type[models.Model], Callable[[models.Model], Iterable[str]]] = {}


# Content kinds of the content registry (core.content) already pulled in, and what to run when
# a kind registers after the signal receivers were connected (a test's throw-away kind).
_SYNCED: set[str] = set()
_on_new_adapters: list[Callable[[], None]] = []
# Facet value → label sources that content apps provide for the facets of their documents.
_FACET_CHOICES: dict[str, Callable[[], dict[Any, Any]]] = {}
_FACET_MODELS: dict[str, type[models.Model]] = {}


def register(adapter: Adapter) -> None:
    _ADAPTERS[adapter.prefix] = adapter


def _sync() -> None:
    """Pull the search adapters of content kinds registered since the last call: search imports
    no content app, it asks the content registry."""
    from gongkai.core import content

    new = False
    for entry in content.kinds():
        if entry.kind in _SYNCED:
            continue
        _SYNCED.add(entry.kind)
        for adapter in entry.search_adapters:
            _ADAPTERS[adapter.prefix] = adapter
            new = True
        if entry.register_search is not None:
            entry.register_search()
            new = True
    if new:
        for hook in _on_new_adapters:
            hook()


def forget_kind(kind: str, prefixes: Iterable[str] = ()) -> None:
    """Drop a throw-away kind registered by a test (with ``core.content.unregister``)."""
    _SYNCED.discard(kind)
    for prefix in prefixes:
        _ADAPTERS.pop(prefix, None)


def register_facet_labels(
    facet: str,
    *,
    choices: Callable[[], dict[Any, Any]] | None = None,
    model: type[models.Model] | None = None,
) -> None:
    """Where the labels of a facet's values come from: a choices mapping or a table's names."""
    if choices is not None:
        _FACET_CHOICES[facet] = choices
    if model is not None:
        _FACET_MODELS[facet] = model


def facet_choice_labels(facet: str) -> dict[Any, Any]:
    _sync()
    source = _FACET_CHOICES.get(facet)
    return source() if source is not None else {}


def facet_choices() -> dict[str, dict[Any, Any]]:
    _sync()
    return {facet: source() for facet, source in _FACET_CHOICES.items()}


def facet_models() -> dict[str, type[models.Model]]:
    _sync()
    return dict(_FACET_MODELS)


def register_related(
    model: type[models.Model], keys: Callable[[models.Model], Iterable[str]]
) -> None:
    _RELATED[model] = keys


def adapters() -> list[Adapter]:
    _sync()
    return list(_ADAPTERS.values())


def adapter_for_prefix(prefix: str) -> Adapter | None:
    _sync()
    return _ADAPTERS.get(prefix)


def adapter_for_model(model: type[models.Model]) -> Adapter | None:
    _sync()
    for adapter in _ADAPTERS.values():
        if adapter.model is model:
            return adapter
    return None


def related_models() -> dict[type[models.Model], Callable[[models.Model], Iterable[str]]]:
    _sync()
    return dict(_RELATED)


def chunked_ids(model: type[models.Model], size: int) -> Iterator[tuple[int, int]]:
    """(first, last) primary-key ranges of about ``size`` rows each."""
    last = 0
    manager = model._default_manager
    while True:
        ids = list(manager.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:size])
        if not ids:
            return
        yield ids[0], ids[-1]
        last = ids[-1]


def make_key(prefix: str, pk: int) -> str:
    return f"{prefix}:{pk}"


def split_key(key: str) -> tuple[str, int]:
    prefix, _, pk = key.partition(":")
    return prefix, int(pk)


def type_labels() -> dict[str, Any]:
    _sync()
    labels: dict[str, Any] = {}
    for adapter in _ADAPTERS.values():
        labels.update(adapter.type_labels)
    return labels
