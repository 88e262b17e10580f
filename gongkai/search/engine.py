"""The embedded tantivy engine: schema, document building, the replica of the change log, queries.

One ``Engine`` per index base directory and process. Text arrives pre-tokenised (text.py) and
the index uses tantivy's whitespace tokenizer, so the Python side alone decides what a token is.

Layout of ``settings.GONGKAI_SEARCH_DIR``::

    CURRENT                 name of the live generation (swapped atomically by reindex)
    <gen>/                  tantivy index files
    <gen>.state.json        {"applied": last SearchChange id applied, "holes": {id: first_seen}}
    apply.lock              flock serialising the processes of one server that apply the log
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import re
import shutil
import threading
import time
import uuid
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import tantivy
from django.conf import settings

from . import text
from .registry import SearchDoc, adapter_for_prefix, adapters, split_key

log = logging.getLogger(__name__)

# Field weights: a hit in the title or 文号 counts more than one in the body (issue 3 §2).
BOOST_TITLE = 4.0
BOOST_DOC_NUMBER = 5.0
BOOST_BODY = 1.0
BOOST_TITLE_WORDS = 1.5
BOOST_BODY_WORDS = 0.3
BOOST_EXACT_DOC_NUMBER = 200.0
BODY_STORED_CHARS = 4000
# A hole in the log (an id allocated by a transaction that has not committed yet, or rolled
# back) is re-checked for this long before it is forgotten. PostgreSQL sequences hand out ids
# out of commit order; a transaction open longer than this is not expected in a web request.
HOLE_TTL_SECONDS = 600
FACET_CACHE_SIZE = 256
# Facet counts are exact up to this many matches; above it they are counted on a fixed slice
# of the index (see ``_facets``) and scaled, and the result says so (`facets_approximate`).
FACET_EXACT_LIMIT = 50_000
SAMPLE_SLICES = 64
# Bumped whenever the fields change: an index of another version is rebuilt on open.
SCHEMA_VERSION = 2
RELAX_BELOW = 10  # strict phrase results below this → retry with the words of long runs
_DIGIT_RE = re.compile(r"\d")
EPOCH = date(1970, 1, 1)

FACET_FIELDS = ("type", "policy_kind", "org", "year", "topic", "audience", "special", "validity")
INT_FACETS = {"org", "year", "topic", "audience", "special"}


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("key", stored=True, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("type", stored=True, fast=True, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("title", tokenizer_name="whitespace")
    sb.add_text_field("title_words", tokenizer_name="whitespace", index_option="freq")
    sb.add_text_field("doc_number", tokenizer_name="whitespace")
    sb.add_text_field("docnum_key", tokenizer_name="raw", index_option="basic")
    sb.add_text_field("body", tokenizer_name="whitespace")
    sb.add_text_field("body_words", tokenizer_name="whitespace", index_option="freq")
    sb.add_text_field("policy_kind", fast=True, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("validity", fast=True, tokenizer_name="raw", index_option="basic")
    for name in ("org", "year", "topic", "audience", "special", "public", "day", "sample"):
        sb.add_integer_field(name, indexed=True, fast=True)
    sb.add_float_field("recency", fast=True)
    sb.add_bytes_field("show", stored=True)
    return sb.build()


def _day(value: date | None) -> int:
    return (value - EPOCH).days if value else 0


def doc_fields(doc: SearchDoc) -> dict[str, Any]:
    """The tantivy field values of one document (all tokenisation happens here)."""
    title = text.normalise(doc.title)
    body = text.normalise(f"{doc.body}\n{doc.extra_text}" if doc.extra_text else doc.body)
    docnum = text.normalise(doc.doc_number)
    day = _day(doc.published)
    show = {
        "t": doc.title,
        "d": doc.doc_number,
        "b": text.plain_text(doc.body or doc.extra_text)[:BODY_STORED_CHARS],
        "e": doc.external_id,
        "v": doc.validity,
        "p": doc.published.isoformat() if doc.published else "",
        "s": doc.status,
    }
    fields: dict[str, Any] = {
        "key": [doc.key],
        "type": [doc.type],
        "title": [text.bigram_tokens(title)],
        "title_words": [text.word_tokens(title)],
        "doc_number": [text.bigram_tokens(docnum)],
        "body": [text.bigram_tokens(body)],
        "body_words": [text.word_tokens(body)],
        "public": [1 if doc.public else 0],
        "day": [day],
        # weight_by_field multiplies the score by log2(2 + recency): at most ~1.01, so it breaks
        # ties among equal scores in favour of newer documents without reordering real matches.
        "recency": [max(day, 0) / 2_000_000.0],
        # A stable pseudo-random slice 0..SAMPLE_SLICES-1 (crc32 of the key) for facet sampling.
        "sample": [zlib.crc32(doc.key.encode()) % SAMPLE_SLICES],
        "show": [json.dumps(show, ensure_ascii=False).encode()],
    }
    if doc.doc_number:
        fields["docnum_key"] = [text.normalise_doc_number(doc.doc_number)]
    if doc.policy_kind:
        fields["policy_kind"] = [doc.policy_kind]
    if doc.validity:
        fields["validity"] = [doc.validity]
    if doc.organisation_id is not None:
        fields["org"] = [doc.organisation_id]
    if doc.published:
        fields["year"] = [doc.published.year]
    if doc.topic_id is not None:
        fields["topic"] = [doc.topic_id]
    if doc.audience_ids:
        fields["audience"] = list(doc.audience_ids)
    if doc.special_ids:
        fields["special"] = list(doc.special_ids)
    return fields


@dataclass
class Visibility:
    """Who asks: the public sees public docs; staff also see non-public docs of ``org_ids``."""

    org_ids: set[int] | None = field(default_factory=set)  # None = every organisation
    staff: bool = False

    @classmethod
    def public(cls) -> Visibility:
        return cls(org_ids=set(), staff=False)


@dataclass
class SearchParams:
    q: str = ""
    filters: dict[str, list[Any]] = field(default_factory=dict)  # facet field → accepted values
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "relevance"  # or "date"
    offset: int = 0
    limit: int = 10
    facets: bool = True
    facet_size: int = 50


@dataclass
class Hit:
    key: str
    type: str
    score: float
    title: str
    doc_number: str
    body: str
    external_id: str
    validity: str
    published: str
    status: str = ""

    @property
    def pk(self) -> int:
        return split_key(self.key)[1]


@dataclass
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, dict[Any, int]]
    runs: list[str]
    exact_doc_number: str = ""  # the key when the query is one document's exact 文号


class Engine:
    def __init__(self, base: Path):
        self.base = Path(base)
        self.schema = build_schema()
        self.index: tantivy.Index | None = None
        self.gen = ""
        self.loaded_applied = -1
        self._lock = threading.RLock()
        self._facet_cache: dict[tuple[Any, ...], dict[str, dict[Any, int]]] = {}

    # ------------------------------------------------------------------ files and state
    def _current_file(self) -> Path:
        return self.base / "CURRENT"

    def _state_file(self, gen: str) -> Path:
        return self.base / f"{gen}.state.json"

    def read_current(self) -> str:
        try:
            return self._current_file().read_text().strip()
        except FileNotFoundError:
            return ""

    def read_state(self, gen: str | None = None) -> dict[str, Any]:
        gen = gen or self.gen
        try:
            state = json.loads(self._state_file(gen).read_text())
        except (FileNotFoundError, ValueError):
            state = {"applied": 0, "holes": {}, "schema": 0}
        state["holes"] = {int(k): v for k, v in state.get("holes", {}).items()}
        return state

    def _write_state(self, gen: str, state: dict[str, Any]) -> None:
        path = self._state_file(gen)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(
            json.dumps(
                {
                    "applied": state["applied"],
                    "holes": state["holes"],
                    "schema": state.get("schema", SCHEMA_VERSION),
                }
            )
        )
        tmp.replace(path)

    @contextlib.contextmanager
    def _file_lock(self) -> Iterator[None]:
        self.base.mkdir(parents=True, exist_ok=True)
        with self._lock, open(self.base / "apply.lock", "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    # ------------------------------------------------------------------ open / rebuild
    def _open(self, gen: str) -> None:
        self.index = tantivy.Index(self.schema, path=str(self.base / gen), reuse=True)
        self.gen = gen
        self.loaded_applied = self.read_state(gen)["applied"]

    def _usable(self, gen: str) -> bool:
        if gen and gen == self.gen and self.index is not None:
            return True
        return (
            bool(gen)
            and (self.base / gen).exists()
            and (self.read_state(gen).get("schema") == SCHEMA_VERSION)
        )

    def ensure_open(self) -> tantivy.Index:
        gen = self.read_current()
        if not self._usable(gen):
            with self._file_lock():
                gen = self.read_current()
                if not self._usable(gen):
                    log.warning(
                        "search index missing in %s: rebuilding from the database", self.base
                    )
                    self.rebuild(locked=True)
                    gen = self.read_current()
        if gen != self.gen or self.index is None:
            self._open(gen)
        assert self.index is not None
        return self.index

    def rebuild(
        self,
        *,
        locked: bool = False,
        threads: int = 0,
        progress: Any = None,
        parallel: int | None = None,
    ) -> int:
        """Build a fresh generation from the database, then swap it in. Returns the doc count."""
        from .models import SearchChange

        self.base.mkdir(parents=True, exist_ok=True)
        # Start position: every change up to here is in the snapshot we read below; later ones
        # (and the holes below it, still uncommitted) are replayed after the swap.
        top = SearchChange.objects.order_by("-id").values_list("id", flat=True).first() or 0
        present = set(
            SearchChange.objects.filter(id__gt=max(0, top - 1000), id__lte=top).values_list(
                "id", flat=True
            )
        )
        now = time.time()
        holes = {i: now for i in range(max(1, top - 999), top + 1) if i not in present}
        gen = f"gen-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:8]}"
        index = tantivy.Index(self.schema, path=str(self._mkdir(gen)), reuse=False)
        writer = index.writer(heap_size=256_000_000, num_threads=threads)
        count = 0
        for fields_batch in _tokenised_batches(parallel=parallel):
            for fields in fields_batch:
                writer.add_document(tantivy.Document(**fields))
            count += len(fields_batch)
            if progress:
                progress(count)
        writer.commit()
        writer.wait_merging_threads()
        self._write_state(gen, {"applied": top, "holes": holes})
        ctx = contextlib.nullcontext() if locked else self._file_lock()
        with ctx:
            old = self.read_current()
            tmp = self._current_file().with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(gen)
            tmp.replace(self._current_file())
            self._cleanup(keep={gen, old})
        return count

    def _mkdir(self, gen: str) -> Path:
        path = self.base / gen
        path.mkdir(parents=True)
        return path

    def _cleanup(self, keep: set[str]) -> None:
        # The previous generation stays one round so processes still reading it can finish.
        for child in self.base.iterdir():
            name = child.name.split(".", 1)[0]
            if name.startswith("gen-") and name not in keep:
                if child.is_dir():
                    shutil.rmtree(child, ignore_errors=True)
                else:
                    child.unlink(missing_ok=True)

    # ------------------------------------------------------------------ replica of the log
    def catch_up(self) -> int:
        """Apply the change log past our last applied id. Cheap when nothing is new."""
        from .models import SearchChange

        index = self.ensure_open()
        state = self.read_state()
        if state["applied"] != self.loaded_applied:
            index.reload()  # another process of this server applied changes
            self.loaded_applied = state["applied"]
        top = SearchChange.objects.order_by("-id").values_list("id", flat=True).first() or 0
        if top <= state["applied"] and not state["holes"]:
            return 0
        if top <= state["applied"]:
            expired = any(time.time() - t > HOLE_TTL_SECONDS for t in state["holes"].values())
            if not expired and not SearchChange.objects.filter(id__in=state["holes"]).exists():
                return 0
        with self._file_lock():
            return self._apply_locked()

    def _apply_locked(self) -> int:
        from django.db.models import Q

        from .models import SearchChange

        state = self.read_state()
        applied, holes = state["applied"], state["holes"]
        rows = list(
            SearchChange.objects.filter(Q(id__gt=applied) | Q(id__in=list(holes)))
            .order_by("id")
            .values_list("id", "key")
        )
        now = time.time()
        keys: dict[str, None] = {}
        seen: set[int] = set()
        for row_id, key in rows:
            keys[key] = None
            seen.add(row_id)
        new_applied = max([applied, *seen])
        for hole in list(holes):
            if hole in seen or now - holes[hole] > HOLE_TTL_SECONDS:
                del holes[hole]
        for missing in range(applied + 1, new_applied):
            if missing not in seen:
                holes[missing] = now
        assert self.index is not None
        if keys:
            writer = self.index.writer(heap_size=50_000_000, num_threads=1)
            for key, doc in load_docs(list(keys)):
                writer.delete_documents_by_term("key", key)
                if doc is not None:
                    writer.add_document(tantivy.Document(**doc_fields(doc)))
            writer.commit()
            writer.wait_merging_threads()
        self._write_state(self.gen, {"applied": new_applied, "holes": holes})
        self.index.reload()
        self.loaded_applied = new_applied
        return len(keys)

    # ------------------------------------------------------------------ queries
    def build_query(
        self, params: SearchParams, visibility: Visibility, *, relaxed: bool = False
    ) -> tuple[Any, list[str]]:
        schema = self.schema
        Q, Occur = tantivy.Query, tantivy.Occur
        norm = text.normalise(params.q.strip())
        runs = text.query_runs(norm)
        clauses: list[tuple[Any, Any]] = []
        if runs:
            must: list[tuple[Any, Any]] = []
            for run in runs:
                must.append(
                    (
                        Occur.Must,
                        self._run_clause(run)
                        if relaxed
                        else self._run_query(run, alone=len(runs) == 1),
                    )
                )
            for word in text.query_words(norm):
                must.append(
                    (
                        Occur.Should,
                        Q.boost_query(
                            Q.term_query(schema, "title_words", word, index_option="freq"),
                            BOOST_TITLE_WORDS,
                        ),
                    )
                )
                must.append(
                    (
                        Occur.Should,
                        Q.boost_query(
                            Q.term_query(schema, "body_words", word, index_option="freq"),
                            BOOST_BODY_WORDS,
                        ),
                    )
                )
            text_query = Q.boolean_query(must)
            docnum = text.normalise_doc_number(params.q)
            if docnum:
                exact = Q.boost_query(
                    Q.term_query(schema, "docnum_key", docnum, index_option="basic"),
                    BOOST_EXACT_DOC_NUMBER,
                )
                text_query = Q.boolean_query([(Occur.Should, exact), (Occur.Should, text_query)])
            clauses.append((Occur.Must, text_query))
        else:
            clauses.append((Occur.Must, Q.all_query()))
        for filt in self._filters(params, visibility):
            clauses.append((Occur.Must, Q.const_score_query(filt, 0.0)))
        return Q.boolean_query(clauses), runs

    def _run_clause(self, run: str) -> Any:
        """A CJK run of 3+ characters that jieba splits into 2+ words must contain every word
        (each as an exact bigram phrase); containing the whole run only ranks higher. So
        `随迁子女入学` finds `随迁子女如何申请义务教育入学` and `双随机一公开` finds
        `双随机、一公开`, while exact phrases still come first."""
        Q, Occur = tantivy.Query, tantivy.Occur
        if not (text.is_cjk(run) and len(run) >= 3):
            return self._run_query(run)
        words = [w for w in text.split_words(run) if len(w) >= 2]
        if len(words) < 2:
            return self._run_query(run)
        parts: list[tuple[Any, Any]] = [(Occur.Must, self._run_query(w)) for w in words]
        parts.append((Occur.Should, Q.boost_query(self._run_query(run), 2.0)))
        return Q.boolean_query(parts)

    def _run_query(self, run: str, alone: bool = False) -> Any:
        schema = self.schema
        Q, Occur = tantivy.Query, tantivy.Occur
        fields = (("title", BOOST_TITLE), ("doc_number", BOOST_DOC_NUMBER), ("body", BOOST_BODY))
        parts: list[tuple[Any, Any]] = []
        if text.is_cjk(run) and len(run) == 1:
            # A lone character is indexed as a unigram only where it stands alone; elsewhere it
            # is the first or second half of a bigram. "X." walks a prefix of the term
            # dictionary (cheap); ".X" scans all of it, so it is only used when the character is
            # the whole query, not for the 号 of 6号 or the 年 of 2020年.
            pattern = f"{run}." if alone is False else f"{run}.|.{run}"
            for name, boost in fields:
                parts.append((Occur.Should, Q.boost_query(Q.term_query(schema, name, run), boost)))
                parts.append(
                    (
                        Occur.Should,
                        Q.const_score_query(Q.regex_query(schema, name, pattern), boost * 0.5),
                    )
                )
            return Q.boolean_query(parts)
        grams: list[Any] = text.run_bigrams(run) if text.is_cjk(run) else [run]
        for name, boost in fields:
            if len(grams) == 1:
                sub = Q.term_query(schema, name, grams[0])
            else:
                sub = Q.phrase_query(schema, name, grams)
            parts.append((Occur.Should, Q.boost_query(sub, boost)))
        return Q.boolean_query(parts)

    def _filters(self, params: SearchParams, visibility: Visibility) -> list[Any]:
        schema = self.schema
        Q, Occur = tantivy.Query, tantivy.Occur
        out: list[Any] = []
        public = Q.term_query(schema, "public", 1)
        if not visibility.staff:
            out.append(public)
        elif visibility.org_ids is not None:
            own = (
                Q.term_set_query(schema, "org", sorted(visibility.org_ids))
                if visibility.org_ids
                else Q.empty_query()
            )
            out.append(Q.boolean_query([(Occur.Should, public), (Occur.Should, own)]))
        for name, values in params.filters.items():
            values = [v for v in values if v not in (None, "")]
            if not values:
                continue
            if name in INT_FACETS:
                out.append(Q.term_set_query(schema, name, [int(v) for v in values]))
            else:
                out.append(Q.term_set_query(schema, name, [str(v) for v in values]))
        if params.date_from or params.date_to:
            out.append(
                Q.range_query(
                    schema,
                    "day",
                    tantivy.FieldType.Integer,
                    _day(params.date_from) if params.date_from else None,
                    _day(params.date_to) if params.date_to else None,
                )
            )
        return out

    def search(self, params: SearchParams, visibility: Visibility) -> SearchResult:
        """Exact phrases first; only when they find fewer than RELAX_BELOW documents is the
        query relaxed to "every word of each long run" (see ``_run_clause``). Common queries
        thus pay for one strict pass, and natural-language queries still find their match."""
        self.catch_up()
        assert self.index is not None
        searcher = self.index.searcher()
        query, runs = self.build_query(params, visibility)
        result = self._top(searcher, query, params, runs)
        if _count(result) < RELAX_BELOW and any(self._relaxable(run) for run in runs):
            query, runs = self.build_query(params, visibility, relaxed=True)
            result = self._top(searcher, query, params, runs)
        hits = []
        for score, address in result.hits:
            stored = searcher.doc(address)
            show = json.loads(bytes(stored["show"][0]))
            hits.append(
                Hit(
                    key=stored["key"][0],
                    type=stored["type"][0],
                    score=float(score) if params.sort != "date" and runs else 0.0,
                    title=show["t"],
                    doc_number=show["d"],
                    body=show["b"],
                    external_id=show["e"],
                    validity=show["v"],
                    published=show["p"],
                    status=show.get("s", ""),
                )
            )
        facets: dict[str, dict[Any, int]] = {}
        if params.facets and _count(result):
            # Facet counts do not change from page to page: keep the last few per index state.
            cache_key = (
                self.gen,
                self.loaded_applied,
                params.q,
                repr(sorted(params.filters.items())),
                params.date_from,
                params.date_to,
                params.facet_size,
                visibility.staff,
                None if visibility.org_ids is None else tuple(sorted(visibility.org_ids)),
            )
            cached = self._facet_cache.get(cache_key)
            if cached is None:
                cached = self._facets(searcher, query, params.facet_size, _count(result))
                if len(self._facet_cache) >= FACET_CACHE_SIZE:
                    self._facet_cache.pop(next(iter(self._facet_cache)))
                self._facet_cache[cache_key] = cached
            facets = cached
        exact = ""
        docnum = text.normalise_doc_number(params.q)
        if docnum and runs and _DIGIT_RE.search(docnum):  # every 文号 has a year and a serial
            exact_query = tantivy.Query.boolean_query(
                [
                    (
                        tantivy.Occur.Must,
                        tantivy.Query.term_query(
                            self.schema, "docnum_key", docnum, index_option="basic"
                        ),
                    ),
                    *[(tantivy.Occur.Must, f) for f in self._filters(SearchParams(), visibility)],
                ]
            )
            found = searcher.search(exact_query, limit=2)
            if len(found.hits) == 1:
                exact = searcher.doc(found.hits[0][1])["key"][0]
        return SearchResult(
            total=int(_count(result) or 0),
            hits=hits,
            facets=facets,
            runs=runs,
            exact_doc_number=exact,
        )

    def _top(self, searcher: Any, query: Any, params: SearchParams, runs: list[str]) -> Any:
        if params.sort == "date" or not runs:
            return searcher.search(
                query,
                limit=params.limit,
                offset=params.offset,
                order_by_field="day",
                order=tantivy.Order.Desc,
            )
        return searcher.search(
            query, limit=params.limit, offset=params.offset, weight_by_field="recency"
        )

    def _relaxable(self, run: str) -> bool:
        return (
            text.is_cjk(run)
            and len(run) >= 3
            and len([w for w in text.split_words(run) if len(w) >= 2]) >= 2
        )

    def _facets(
        self, searcher: Any, query: Any, size: int, matches: int = 0
    ) -> dict[str, dict[Any, int]]:
        """Terms aggregations on the fast fields. Counting a million matches eight times is
        the slowest part of a common query, so above FACET_EXACT_LIMIT matches only a fixed
        slice of the index is counted and scaled (exact values are meaningless at that size,
        the order of the values is what the page shows)."""
        slices = SAMPLE_SLICES
        if matches > FACET_EXACT_LIMIT:
            slices = max(1, -(-SAMPLE_SLICES * FACET_EXACT_LIMIT // matches))
            query = tantivy.Query.boolean_query(
                [
                    (tantivy.Occur.Must, query),
                    (
                        tantivy.Occur.Must,
                        tantivy.Query.range_query(
                            self.schema, "sample", tantivy.FieldType.Integer, 0, slices - 1
                        ),
                    ),
                ]
            )
        scale = SAMPLE_SLICES / slices
        agg = {name: {"terms": {"field": name, "size": size}} for name in FACET_FIELDS}
        raw = searcher.aggregate(query, agg)
        out: dict[str, dict[Any, int]] = {}
        for name in FACET_FIELDS:
            buckets = raw.get(name, {}).get("buckets", [])
            out[name] = {
                (int(b["key"]) if name in INT_FACETS else b["key"]): round(
                    int(b["doc_count"]) * scale
                )
                for b in buckets
            }
        if slices < SAMPLE_SLICES:
            out["_approximate"] = {1: 1}
        return out

    def doc_count(self, *, public_only: bool = False) -> int:
        self.catch_up()
        assert self.index is not None
        searcher = self.index.searcher()
        if public_only:
            return _count(searcher.search(tantivy.Query.term_query(self.schema, "public", 1)))
        return int(searcher.num_docs)


def _fields_of(batch: list[SearchDoc]) -> list[dict[str, Any]]:
    return [doc_fields(doc) for doc in batch]


def _tokenised_batches(*, parallel: int | None) -> Iterator[list[dict[str, Any]]]:
    """Tokenising is the cost of a rebuild: spread it over worker processes when the corpus
    is large (the workers only tokenise; reading the database stays in this process)."""
    workers = parallel if parallel is not None else (os.cpu_count() or 1)
    total = sum(adapter.count() for adapter in adapters())
    if workers <= 1 or total < 20_000:
        for batch in iterate_docs():
            yield _fields_of(batch)
        return
    import multiprocessing

    from django.db import connections

    connections.close_all()  # never share a database connection with forked workers
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        yield from pool.imap(_fields_of, iterate_docs(chunk=500), chunksize=1)


def _count(result: Any) -> int:
    return int(getattr(result, "count", 0) or 0)


def iterate_docs(chunk: int = 2000) -> Iterator[list[SearchDoc]]:
    for adapter in adapters():
        yield from adapter.iterate(chunk)


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
