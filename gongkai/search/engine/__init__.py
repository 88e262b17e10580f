"""The embedded tantivy search engine (docs/adr/0002-search-engine.md).

One ``Engine`` per index base directory and process, from ``get_engine()``. The package by
responsibility:

- ``schema``: the fields, the tantivy-side tokenizer, the ``day`` number;
- ``documents``: a ``SearchDoc`` as field values; the rebuild's tokenising workers;
- ``files``: the index directory (generations, state files, ``CURRENT``, the apply lock);
- ``replica``: opening, the database identity check, rebuild and catch-up from the change log;
- ``query``: runs as phrases, weights, the relaxed form, visibility and facet filters;
- ``broad``: the candidate bound and the broad way (title tier, newest-first window, slices);
- ``facets``: facet counts and totals, exact or estimated, cached per index state;
- ``params``: ``SearchParams``, ``Visibility``, ``Hit``, ``SearchResult``;
- ``facade``: the ``Engine``, which picks the strategy per query.

Snippets and highlighting are cut in ``gongkai/search/text.py`` from the stored display copy.
"""

from __future__ import annotations

import threading
from pathlib import Path

from django.conf import settings

from .broad import (
    BROAD_CANDIDATES,
    DAY_BUCKET,
    NEWEST_MIN_WINDOW,
    SAMPLE_CANDIDATES,
    broad_candidates,
)
from .documents import BODY_STORED_CHARS, docs_fields, load_docs
from .facade import RELAX_BELOW, Engine
from .facets import FACET_CACHE_SIZE
from .params import Hit, SearchParams, SearchResult, Visibility
from .query import (
    BOOST_BODY,
    BOOST_BODY_WORDS,
    BOOST_DOC_NUMBER,
    BOOST_EXACT_DOC_NUMBER,
    BOOST_TITLE,
    BOOST_TITLE_WORDS,
)
from .replica import HOLE_TTL_SECONDS, REBUILD_BACKLOG, SearchIndexUnusable, rebuild_backlog
from .schema import (
    CHARS_TOKENIZER,
    EPOCH,
    FACET_FIELDS,
    INT_FACETS,
    SAMPLE_SLICES,
    SCHEMA_VERSION,
    build_schema,
)

__all__ = [
    "BODY_STORED_CHARS",
    "BOOST_BODY",
    "BOOST_BODY_WORDS",
    "BOOST_DOC_NUMBER",
    "BOOST_EXACT_DOC_NUMBER",
    "BOOST_TITLE",
    "BOOST_TITLE_WORDS",
    "BROAD_CANDIDATES",
    "CHARS_TOKENIZER",
    "DAY_BUCKET",
    "EPOCH",
    "FACET_CACHE_SIZE",
    "FACET_FIELDS",
    "HOLE_TTL_SECONDS",
    "INT_FACETS",
    "NEWEST_MIN_WINDOW",
    "REBUILD_BACKLOG",
    "RELAX_BELOW",
    "SAMPLE_CANDIDATES",
    "SAMPLE_SLICES",
    "SCHEMA_VERSION",
    "Engine",
    "Hit",
    "SearchIndexUnusable",
    "SearchParams",
    "SearchResult",
    "Visibility",
    "broad_candidates",
    "build_schema",
    "docs_fields",
    "get_engine",
    "load_docs",
    "rebuild_backlog",
]

_ENGINES: dict[str, Engine] = {}
_ENGINES_LOCK = threading.Lock()


def get_engine() -> Engine:
    """The engine of the configured index directory (tests point it at a temporary one)."""
    base = str(Path(settings.GONGKAI_SEARCH_DIR).resolve())
    with _ENGINES_LOCK:
        engine = _ENGINES.get(base)
        if engine is None:
            engine = _ENGINES[base] = Engine(Path(base))
        return engine
