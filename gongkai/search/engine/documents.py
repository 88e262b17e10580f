"""Document building: a ``SearchDoc`` (registry.py) becomes tantivy field values; the rebuild
reads and tokenises the database in worker processes."""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Iterable, Iterator
from typing import Any

from .. import text
from ..registry import SearchDoc, adapter_for_prefix, adapters, chunked_ids, split_key
from .ranking import prior_values, uid_of
from .schema import SAMPLE_SLICES, day_number

BODY_STORED_CHARS = 4000
# Below this many documents a rebuild tokenises in its own process: forking workers costs more.
PARALLEL_REBUILD_MIN_DOCS = 20_000


def docs_fields(docs: list[SearchDoc]) -> list[dict[str, Any]]:
    """The tantivy field values of many documents; bigrams are cut for the whole batch at once."""
    titles = [text.normalise(doc.title) for doc in docs]
    bodies = [
        text.normalise(f"{doc.body}\n{doc.extra_text}" if doc.extra_text else doc.body)
        for doc in docs
    ]
    docnums = [text.normalise(doc.doc_number) for doc in docs]
    n = len(docs)
    grams = text.bigram_tokens_many(titles + docnums + bodies)
    return [
        {
            **_text_fields(
                doc, titles[i], docnums[i], bodies[i], (grams[i], grams[n + i], grams[2 * n + i])
            ),
            **_filter_fields(doc),
        }
        for i, doc in enumerate(docs)
    ]


def _text_fields(
    doc: SearchDoc, title: str, docnum: str, body: str, grams: tuple[str, str, str]
) -> dict[str, Any]:
    """The fields a query matches and ranks on, the stored display copy and the key."""
    title_grams, docnum_grams, body_grams = grams
    return {
        "key": [doc.key],
        "type": [doc.type],
        "title": [title_grams],
        "title_words": [text.word_tokens(title)],
        "doc_number": [docnum_grams],
        # "|" occupies a position between the parts, so no phrase runs from title into body.
        "full": [f"{title_grams} | {docnum_grams} | {body_grams}"],
        "body_words": [text.word_tokens(body)],
        "chars": [f"{title} {docnum} {body}"],
        # A stable pseudo-random slice 0..SAMPLE_SLICES-1 (crc32 of the key) for estimates.
        "sample": [zlib.crc32(doc.key.encode()) % SAMPLE_SLICES],
        "show": [_stored_display(doc)],
    }


def _stored_display(doc: SearchDoc) -> bytes:
    """What a hit shows, stored in the index so a replica answers without reading rows."""
    show = {
        "t": doc.title,
        "d": doc.doc_number,
        "b": text.plain_text(doc.body or doc.extra_text)[:BODY_STORED_CHARS],
        "e": doc.external_id,
        "v": doc.validity,
        "p": doc.published.isoformat() if doc.published else "",
        "s": doc.status,
    }
    return json.dumps(show, ensure_ascii=False).encode()


def _filter_fields(doc: SearchDoc) -> dict[str, Any]:
    """Visibility, date, the exact 文号 key and the facets (a field is left out when empty)."""
    day = day_number(doc.published)
    fields: dict[str, Any] = {
        "public": [1 if doc.public else 0],
        "day": [day],
        "uid": [uid_of(doc.key)],
    }
    priors = prior_values(doc_type=doc.type, genre=doc.genre, validity=doc.validity, day=day)
    fields.update((name, [value]) for name, value in priors.items())
    optional: dict[str, list[Any]] = {
        "docnum_key": [text.normalise_doc_number(doc.doc_number)] if doc.doc_number else [],
        "policy_kind": [doc.policy_kind] if doc.policy_kind else [],
        "validity": [doc.validity] if doc.validity else [],
        "org": [doc.organisation_id] if doc.organisation_id is not None else [],
        "year": [doc.published.year] if doc.published else [],
        "topic": [doc.topic_id] if doc.topic_id is not None else [],
        "audience": list(doc.audience_ids),
        "special": list(doc.special_ids),
    }
    fields.update((name, values) for name, values in optional.items() if values)
    return fields


def load_docs(keys: Iterable[str]) -> Iterator[tuple[str, SearchDoc | None]]:
    """The current document of each key; None when it no longer exists (delete it)."""
    by_prefix: dict[str, list[int]] = {}
    for key in keys:
        prefix, pk = split_key(key)
        by_prefix.setdefault(prefix, []).append(pk)
    for prefix, pks in by_prefix.items():
        adapter = adapter_for_prefix(prefix)
        found = adapter.load(pks) if adapter else {}
        for pk in pks:
            yield f"{prefix}:{pk}", found.get(pk)


def _rebuild_tasks(chunk: int) -> Iterator[tuple[str, int, int]]:
    for adapter in adapters():
        for first, last in chunked_ids(adapter.model, chunk):
            yield adapter.prefix, first, last


def _load_and_tokenise(task: tuple[str, int, int]) -> list[dict[str, Any]]:
    prefix, first, last = task
    adapter = adapter_for_prefix(prefix)
    assert adapter is not None
    return docs_fields(list(adapter.load_range(first, last).values()))


def tokenised_batches(*, parallel: int | None) -> Iterator[list[dict[str, Any]]]:
    """Reading rows and tokenising them is the cost of a rebuild: worker processes each read
    and tokenise a range of primary keys, so this process only hands out ranges and feeds the
    index writer (passing whole rows to the workers made this process the bottleneck)."""
    workers = parallel if parallel is not None else (os.cpu_count() or 1)
    total = sum(adapter.count() for adapter in adapters())
    if workers <= 1 or total < PARALLEL_REBUILD_MIN_DOCS:
        for task in _rebuild_tasks(2000):
            yield _load_and_tokenise(task)
        return
    import multiprocessing

    from django.db import connections

    connections.close_all()  # never share a database connection with forked workers
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        yield from pool.imap(_load_and_tokenise, _rebuild_tasks(500), chunksize=1)
