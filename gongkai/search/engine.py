"""The embedded tantivy engine: schema, document building, the replica of the change log, queries.

One ``Engine`` per index base directory and process. Text arrives pre-tokenised (text.py) and
the index uses tantivy's whitespace tokenizer, so the Python side alone decides what a token is.

Layout of ``settings.GONGKAI_SEARCH_DIR``::

    CURRENT                 name of the live generation (swapped atomically by reindex)
    <gen>/                  tantivy index files
    <gen>.state.json        {"applied": last SearchChange id applied, "holes": {id: first_seen},
                             "schema": SCHEMA_VERSION, "database": stamp of the database it
                             was built from (identity.py)}
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
from django.utils.translation import gettext as _

from . import text
from .identity import database_stamp, stamp_matches
from .registry import SearchDoc, adapter_for_prefix, adapters, chunked_ids, split_key

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
# Every document falls in one of SAMPLE_SLICES slices (crc32 of its key). A broad query counts
# its matches and facets on as many slices as hold about SAMPLE_CANDIDATES documents.
SAMPLE_SLICES = 64
SAMPLE_CANDIDATES = 16_000
# Above this many candidate documents (see ``Engine._candidates``) a query goes the broad way;
# GONGKAI_SEARCH_BROAD_CANDIDATES overrides it. On this 2-core machine, verifying a common
# bigram phrase costs about 0.8 µs per candidate, so 25,000 candidates stay near 20 ms.
BROAD_CANDIDATES = 25_000
NEWEST_MIN_WINDOW = 2_000  # documents in the smallest "newest first" window
DAY_BUCKET = 30  # days per bucket when sizing that window
# Bumped whenever the fields change: an index of another version is rebuilt on open.
SCHEMA_VERSION = 4
# A backlog of more change-log ids than this is rebuilt from the database (in parallel) rather
# than replayed row by row: a bulk load of a million documents must not be applied one change
# at a time by every server. GONGKAI_SEARCH_REBUILD_BACKLOG overrides it.
REBUILD_BACKLOG = 50_000
CHARS_TOKENIZER = "cjk_char"
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
    # Title, 文号 and body in one field: whether a document matches is decided here, by one
    # phrase per query run. Matching against three fields meant a union per run, and tantivy
    # advances a union by filling 4,096-document windows from every field: a rare run
    # intersected with a common one then verified the common phrase on most of the index.
    sb.add_text_field("full", tokenizer_name="whitespace")
    sb.add_text_field("body_words", tokenizer_name="whitespace", index_option="freq")
    # Every CJK character of title, 文号 and body (cut by tantivy itself, see CHARS_TOKENIZER),
    # without positions: a one-character query is one posting list instead of a walk over
    # every bigram that starts or ends with the character.
    sb.add_text_field("chars", tokenizer_name=CHARS_TOKENIZER, index_option="basic")
    sb.add_text_field("policy_kind", fast=True, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("validity", fast=True, tokenizer_name="raw", index_option="basic")
    for name in ("org", "year", "topic", "audience", "special", "public", "day", "sample"):
        sb.add_integer_field(name, indexed=True, fast=True)
    sb.add_float_field("recency", fast=True)
    sb.add_bytes_field("show", stored=True)
    return sb.build()


def _open_index(schema: tantivy.Schema, path: Path, *, reuse: bool) -> tantivy.Index:
    index = tantivy.Index(schema, path=str(path), reuse=reuse)
    index.register_tokenizer(
        CHARS_TOKENIZER,
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.regex(f"[{text.CJK_RANGES}]")).build(),
    )
    return index


def _day(value: date | None) -> int:
    return (value - EPOCH).days if value else 0


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
        _fields(doc, titles[i], docnums[i], bodies[i], grams[i], grams[n + i], grams[2 * n + i])
        for i, doc in enumerate(docs)
    ]


def _fields(
    doc: SearchDoc,
    title: str,
    docnum: str,
    body: str,
    title_grams: str,
    docnum_grams: str,
    body_grams: str,
) -> dict[str, Any]:
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
        "title": [title_grams],
        "title_words": [text.word_tokens(title)],
        "doc_number": [docnum_grams],
        # "|" occupies a position between the parts, so no phrase runs from title into body.
        "full": [f"{title_grams} | {docnum_grams} | {body_grams}"],
        "body_words": [text.word_tokens(body)],
        "chars": [f"{title} {docnum} {body}"],
        "public": [1 if doc.public else 0],
        "day": [day],
        # weight_by_field multiplies the score by log2(2 + recency): at most ~1.01, so it breaks
        # ties among equal scores in favour of newer documents without reordering real matches.
        "recency": [max(day, 0) / 2_000_000.0],
        # A stable pseudo-random slice 0..SAMPLE_SLICES-1 (crc32 of the key) for estimates.
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
    total_approximate: bool = False  # a broad query's total is an estimate


@dataclass
class _Found:
    hits: list[tuple[float, Any]]  # (score, DocAddress) of the page
    total: int
    facets: dict[str, dict[Any, int]]
    approximate: bool = False


def broad_candidates() -> int:
    return int(getattr(settings, "GONGKAI_SEARCH_BROAD_CANDIDATES", BROAD_CANDIDATES))


def rebuild_backlog() -> int:
    return int(getattr(settings, "GONGKAI_SEARCH_REBUILD_BACKLOG", REBUILD_BACKLOG))


class SearchIndexUnusable(RuntimeError):
    """The index cannot answer for this database and cannot be rebuilt here."""


def _relaxed_words(run: str) -> list[str]:
    """The words (2+ characters) a CJK run of 3+ characters must contain when the query is
    relaxed; [] when the run is not relaxable (fewer than two such words)."""
    if not (text.is_cjk(run) and len(run) >= 3):
        return []
    words = [w for w in text.split_words(run) if len(w) >= 2]
    return words if len(words) >= 2 else []


def _filter_values(params: SearchParams) -> dict[str, list[Any]]:
    """The facet filters with their values typed as indexed (empty values dropped)."""
    out: dict[str, list[Any]] = {}
    for name, values in params.filters.items():
        kept = [v for v in values if v not in (None, "")]
        if kept:
            out[name] = [int(v) for v in kept] if name in INT_FACETS else [str(v) for v in kept]
    return out


class Engine:
    def __init__(self, base: Path):
        self.base = Path(base)
        self.schema = build_schema()
        self.index: tantivy.Index | None = None
        self.gen = ""
        self.loaded_applied = -1
        self._lock = threading.RLock()
        self._facet_cache: dict[tuple[Any, ...], tuple[dict[str, dict[Any, int]], int]] = {}
        self._buckets: tuple[Any, list[tuple[int, int]]] = (None, [])

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
                    "database": state.get("database"),
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
        # Loading the jieba dictionaries takes ~0.25 s: pay it when the index opens, not in
        # the middle of the first query that needs them.
        text.warm_up()
        self.index = _open_index(self.schema, self.base / gen, reuse=True)
        self.gen = gen
        self.loaded_applied = self.read_state(gen)["applied"]

    def _unusable(self, gen: str) -> str:
        """Why generation ``gen`` cannot answer for this database ("" when it can)."""
        if gen and gen == self.gen and self.index is not None:
            return ""  # checked when it was opened; a process does not change databases
        if not gen or not (self.base / gen).exists():
            return "missing"
        state = self.read_state(gen)
        if state.get("schema") != SCHEMA_VERSION:
            return "of another schema version"
        current = database_stamp()
        if not stamp_matches(state.get("database"), current):
            built = state.get("database") or {}
            return "built from another database ({} {} {}, this is {} {} {})".format(
                built.get("vendor", "?"),
                built.get("name", "?"),
                built.get("uuid", "unknown"),
                current["vendor"],
                current["name"],
                current["uuid"],
            )
        return ""

    def ensure_open(self) -> tantivy.Index:
        gen = self.read_current()
        if self._unusable(gen):
            with self._file_lock():
                gen = self.read_current()
                reason = self._unusable(gen)
                if reason:
                    self._rebuild_for(reason)
                    gen = self.read_current()
        if gen != self.gen or self.index is None:
            self._open(gen)
        assert self.index is not None
        return self.index

    def _rebuild_for(self, reason: str) -> None:
        """Rebuild (under the lock) an index that cannot answer for this database."""
        log.warning("search index in %s %s: rebuilding from the database", self.base, reason)
        try:
            self.rebuild(locked=True)
        except OSError as exc:
            raise SearchIndexUnusable(
                _(
                    "搜索索引目录 %(dir)s 中的索引不能用于当前数据库，且无法重建（%(error)s）。"
                    "请检查该目录的写权限，然后运行 gongkai reindex。"
                )
                % {"dir": self.base, "error": exc}
            ) from exc

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
        stamp = database_stamp()
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
        index = _open_index(self.schema, self._mkdir(gen), reuse=False)
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
        self._write_state(gen, {"applied": top, "holes": holes, "database": stamp})
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
        if top < state["applied"] or top - state["applied"] > rebuild_backlog():
            with self._file_lock():
                return self._reset_locked()
        if top <= state["applied"] and not state["holes"]:
            return 0
        if top <= state["applied"]:
            expired = any(time.time() - t > HOLE_TTL_SECONDS for t in state["holes"].values())
            if not expired and not SearchChange.objects.filter(id__in=state["holes"]).exists():
                return 0
        with self._file_lock():
            return self._apply_locked()

    def _reset_locked(self) -> int:
        """Rebuild when the log does not continue the index: its position is beyond the
        database's newest change (another or a restored database, whose ids mean other
        changes), or the backlog is cheaper to rebuild than to replay (a bulk load)."""
        from .models import SearchChange

        state = self.read_state(self.read_current())
        top = SearchChange.objects.order_by("-id").values_list("id", flat=True).first() or 0
        if top < state["applied"]:
            self._rebuild_for(
                f"has applied change {state['applied']}, beyond this database's newest {top}"
            )
        elif top - state["applied"] > rebuild_backlog():
            self._rebuild_for(f"is {top - state['applied']} changes behind")
        gen = self.read_current()
        if gen != self.gen or self.index is None:
            self._open(gen)
        else:
            assert self.index is not None
            self.index.reload()
            self.loaded_applied = self.read_state(gen)["applied"]
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
            present: list[SearchDoc] = []
            for key, doc in load_docs(list(keys)):
                writer.delete_documents_by_term("key", key)
                if doc is not None:
                    present.append(doc)
            for fields in docs_fields(present):
                writer.add_document(tantivy.Document(**fields))
            writer.commit()
            writer.wait_merging_threads()
        self._write_state(
            self.gen, {"applied": new_applied, "holes": holes, "database": state.get("database")}
        )
        self.index.reload()
        self.loaded_applied = new_applied
        return len(keys)

    # ------------------------------------------------------------------ queries
    def build_query(
        self, params: SearchParams, visibility: Visibility, *, relaxed: bool = False
    ) -> tuple[Any, list[str]]:
        """The exact query: every run must match (in ``full``); title and 文号 hits, jieba
        words and an exact 文号 add to the score."""
        Q, Occur = tantivy.Query, tantivy.Occur
        runs = self._runs(params)
        clauses: list[tuple[Any, Any]] = []
        if runs:
            must: list[tuple[Any, Any]] = [
                (
                    Occur.Must,
                    self._run_clause(run) if relaxed else self._run_query(run),
                )
                for run in runs
            ]
            must.extend(self._word_clauses(params, body=True))
            text_query = Q.boolean_query(must)
            exact = self._exact_doc_number_clause(params)
            if exact is not None:
                text_query = Q.boolean_query([(Occur.Should, exact), (Occur.Should, text_query)])
            clauses.append((Occur.Must, text_query))
        else:
            clauses.append((Occur.Must, Q.all_query()))
        for filt in self._filters(params, visibility):
            clauses.append((Occur.Must, Q.const_score_query(filt, 0.0)))
        return Q.boolean_query(clauses), runs

    def _runs(self, params: SearchParams) -> list[str]:
        return text.query_runs(text.normalise(params.q.strip()))

    def _word_clauses(self, params: SearchParams, *, body: bool) -> list[tuple[Any, Any]]:
        Q, Occur = tantivy.Query, tantivy.Occur
        out: list[tuple[Any, Any]] = []
        for word in text.query_words(text.normalise(params.q.strip())):
            for name, boost in (
                ("title_words", BOOST_TITLE_WORDS),
                ("body_words", BOOST_BODY_WORDS),
            ):
                if name == "body_words" and not body:
                    continue
                term = Q.term_query(self.schema, name, word, index_option="freq")
                out.append((Occur.Should, Q.boost_query(term, boost)))
        return out

    def _exact_doc_number_clause(self, params: SearchParams) -> Any:
        docnum = text.normalise_doc_number(params.q)
        if not docnum:
            return None
        return tantivy.Query.boost_query(
            tantivy.Query.term_query(self.schema, "docnum_key", docnum, index_option="basic"),
            BOOST_EXACT_DOC_NUMBER,
        )

    def _run_clause(self, run: str) -> Any:
        """A CJK run of 3+ characters that jieba splits into 2+ words must contain every word
        (each as an exact bigram phrase); containing the whole run only ranks higher. So
        `随迁子女入学` finds `随迁子女如何申请义务教育入学` and `双随机一公开` finds
        `双随机、一公开`, while exact phrases still come first."""
        Q, Occur = tantivy.Query, tantivy.Occur
        words = _relaxed_words(run)
        if not words:
            return self._run_query(run)
        parts: list[tuple[Any, Any]] = [(Occur.Must, self._run_query(w)) for w in words]
        parts.append((Occur.Should, Q.boost_query(self._run_query(run), 2.0)))
        return Q.boolean_query(parts)

    def _field_run(self, name: str, run: str) -> Any:
        """Documents whose field ``name`` contains ``run``, scored by BM25."""
        schema = self.schema
        Q, Occur = tantivy.Query, tantivy.Occur
        if text.is_cjk(run) and len(run) == 1:
            if name == "full":
                return Q.term_query(schema, "chars", run)
            # In title and 文号 (which only add weight) a lone character counts where it is
            # indexed alone or starts a bigram: "X." walks a prefix of the term dictionary.
            pattern = f"{run}."
            return Q.boolean_query(
                [
                    (Occur.Should, Q.term_query(schema, name, run)),
                    (Occur.Should, Q.const_score_query(Q.regex_query(schema, name, pattern), 0.5)),
                ]
            )
        grams: list[Any] = text.run_bigrams(run) if text.is_cjk(run) else [run]
        if len(grams) == 1:
            return Q.term_query(schema, name, grams[0])
        return Q.phrase_query(schema, name, grams)

    def _title_match(self, run: str) -> Any:
        """The run in the title or the 文号, with their weights."""
        Q, Occur = tantivy.Query, tantivy.Occur
        return Q.boolean_query(
            [
                (Occur.Should, Q.boost_query(self._field_run("title", run), BOOST_TITLE)),
                (
                    Occur.Should,
                    Q.boost_query(self._field_run("doc_number", run), BOOST_DOC_NUMBER),
                ),
            ]
        )

    def _run_query(self, run: str) -> Any:
        """The run must be in ``full``; being in the title or 文号 as well adds their weight."""
        Q, Occur = tantivy.Query, tantivy.Occur
        return Q.boolean_query(
            [
                (Occur.Must, Q.boost_query(self._field_run("full", run), BOOST_BODY)),
                (Occur.Should, self._title_match(run)),
            ]
        )

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
        for name, values in _filter_values(params).items():
            out.append(Q.term_set_query(schema, name, values))
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

    def _candidates(self, searcher: Any, params: SearchParams, runs: list[str]) -> int:
        """An upper bound of the documents a query has to look at, from the term statistics:
        the rarest bigram of any run (or the character of a one-character run), or the smallest
        facet filter."""
        bound = int(searcher.num_docs)
        for run in runs:
            if text.is_cjk(run) and len(run) == 1:
                bound = min(bound, int(searcher.doc_freq("chars", run)))
                continue
            grams = text.run_bigrams(run) if text.is_cjk(run) else [run]
            bound = min(bound, min(int(searcher.doc_freq("full", g)) for g in grams))
        for name, values in _filter_values(params).items():
            bound = min(bound, sum(int(searcher.doc_freq(name, v)) for v in values))
        return bound

    def search(self, params: SearchParams, visibility: Visibility) -> SearchResult:
        """Exact phrases first; only when they find fewer than RELAX_BELOW documents is the
        query relaxed to "every word of each long run" (see ``_run_clause``). Common queries
        thus pay for one strict pass, and natural-language queries still find their match.
        A query whose terms are too common to evaluate in full goes the broad way
        (``_broad``)."""
        self.catch_up()
        assert self.index is not None
        searcher = self.index.searcher()
        runs = self._runs(params)
        relaxable = any(_relaxed_words(run) for run in runs)
        found: _Found | None
        if self._candidates(searcher, params, runs) > broad_candidates():
            found = self._broad(searcher, params, visibility, runs)  # None: none in the slice
        else:
            found = self._exact(searcher, params, visibility)
        if relaxable and (found is None or found.total < RELAX_BELOW):
            found = self._relaxed(searcher, params, visibility, runs)
        elif found is None:
            found = self._exact(searcher, params, visibility)
        hits = []
        for score, address in found.hits:
            stored = searcher.doc(address)
            show = json.loads(bytes(stored["show"][0]))
            hits.append(
                Hit(
                    key=stored["key"][0],
                    type=stored["type"][0],
                    score=float(score),
                    title=show["t"],
                    doc_number=show["d"],
                    body=show["b"],
                    external_id=show["e"],
                    validity=show["v"],
                    published=show["p"],
                    status=show.get("s", ""),
                )
            )
        return SearchResult(
            total=found.total,
            hits=hits,
            facets=found.facets,
            runs=runs,
            exact_doc_number=self._exact_doc_number(searcher, params, visibility, runs),
            total_approximate=found.approximate,
        )

    def _exact(
        self, searcher: Any, params: SearchParams, visibility: Visibility, *, relaxed: bool = False
    ) -> _Found:
        """Every match evaluated and scored."""
        query, runs = self.build_query(params, visibility, relaxed=relaxed)
        result = self._top(searcher, query, params, runs)
        by_score = params.sort != "date" and bool(runs)
        hits = [(float(key) if by_score else 0.0, address) for key, address in result.hits]
        total = _count(result)
        facets: dict[str, dict[Any, int]] = {}
        if params.facets and total:
            path = "relaxed" if relaxed else "exact"
            facets = self._cached_facets(
                searcher, query, params, visibility, SAMPLE_SLICES, path=path
            )[0]
        return _Found(hits=hits, total=total, facets=facets)

    def _relaxed(
        self, searcher: Any, params: SearchParams, visibility: Visibility, runs: list[str]
    ) -> _Found:
        """The query with each long run replaced by its words (see ``_run_clause``)."""
        words = [word for run in runs for word in (_relaxed_words(run) or [run])]
        if self._candidates(searcher, params, words) > broad_candidates():
            found = self._broad(searcher, params, visibility, words, path="broad-relaxed")
            if found is not None:
                return found
        return self._exact(searcher, params, visibility, relaxed=True)

    def _broad(
        self,
        searcher: Any,
        params: SearchParams,
        visibility: Visibility,
        runs: list[str],
        *,
        path: str = "broad",
    ) -> _Found | None:
        """Terms so common that scoring every match would take too long (a million documents,
        `政务公开` in half of them). The page is built without evaluating every match:

        - the total and the facet counts are counted on a fixed slice of the index and scaled
          (the result says they are estimates);
        - by relevance, documents with every run in the title or 文号 come first, ranked as
          usual (title weights, words, newer first among equals); the other matches follow,
          newest first;
        - by date, the newest matches.

        "Newest first" looks only at the most recent documents, in a window grown until it
        holds enough matches, so it is exact: nothing older can come before. Returns None when
        the slice holds no match at all (the caller then evaluates in full, relaxing the query
        if needed)."""
        Q, Occur = tantivy.Query, tantivy.Occur
        filters = [
            (Occur.Must, Q.const_score_query(f, 0.0)) for f in self._filters(params, visibility)
        ]
        if runs:
            match = Q.boolean_query([(Occur.Must, self._field_run("full", run)) for run in runs])
        else:
            match = Q.all_query()
        matching = Q.boolean_query([(Occur.Must, match), *filters])
        docs = max(1, int(searcher.num_docs))
        slices = max(1, min(SAMPLE_SLICES, SAMPLE_SLICES * SAMPLE_CANDIDATES // docs))
        facets, estimate = self._cached_facets(
            searcher, matching, params, visibility, slices, path=path
        )
        if estimate == 0:
            return None
        hits: list[tuple[float, Any]] = []
        in_tier = 0
        rest = matching
        if runs and params.sort != "date":
            in_title = Q.boolean_query([(Occur.Must, self._title_match(run)) for run in runs])
            tier = Q.boolean_query(
                [(Occur.Must, in_title), *self._word_clauses(params, body=False), *filters]
            )
            exact = self._exact_doc_number_clause(params)
            if exact is not None:
                tier = Q.boolean_query([(Occur.Must, tier), (Occur.Should, exact)])
            first = searcher.search(
                tier, limit=params.limit, offset=params.offset, weight_by_field="recency"
            )
            in_tier = _count(first)
            hits = [(float(score), address) for score, address in first.hits]
            rest = Q.boolean_query([(Occur.Must, matching), (Occur.MustNot, in_title)])
        lower = in_tier  # matches known to exist
        known = False  # the total is exact
        want = params.offset + params.limit
        if want > in_tier:
            skip = max(0, params.offset - in_tier)
            newest, complete = self._newest(
                searcher, rest, limit=want - in_tier - skip, offset=skip, density=estimate / docs
            )
            hits.extend((0.0, address) for _key, address in newest.hits)
            lower += _count(newest)
            known = complete
        approximate = slices < SAMPLE_SLICES and not known
        return _Found(
            hits=hits,
            total=lower if known else max(lower, estimate),
            facets=facets if params.facets else {},
            approximate=approximate,
        )

    def _newest(
        self, searcher: Any, query: Any, *, limit: int, offset: int, density: float
    ) -> tuple[Any, bool]:
        """The newest matches of ``query`` (by 发布日期), looking only at the most recent
        documents: a window of whole 30-day buckets sized from the estimated density, grown
        8× while it holds fewer than ``offset + limit`` matches. Returns the result and
        whether the window was the whole index (then its count is exact)."""
        want = offset + limit
        buckets = self._day_buckets(searcher)
        target = max(NEWEST_MIN_WINDOW, want * 4 / max(density, 1e-9))
        while True:
            covered, start, complete = 0, None, True
            for first_day, count in buckets:
                covered += count
                start = first_day
                if covered >= target:
                    complete = False
                    break
            windowed = query
            if not complete and start is not None:
                # The window's days as a term set (see ``_count_facets``): its postings lead.
                days = list(range(start, buckets[0][0] + DAY_BUCKET))
                windowed = tantivy.Query.boolean_query(
                    [
                        (tantivy.Occur.Must, query),
                        (
                            tantivy.Occur.Must,
                            tantivy.Query.term_set_query(self.schema, "day", days),
                        ),
                    ]
                )
            result = searcher.search(
                windowed,
                limit=limit,
                offset=offset,
                order_by_field="day",
                order=tantivy.Order.Desc,
            )
            if complete or _count(result) >= want:
                return result, complete
            target *= 8

    def _day_buckets(self, searcher: Any) -> list[tuple[int, int]]:
        """(first day, documents) of each 30-day bucket, newest first; once per index state."""
        state = (self.gen, self.loaded_applied, int(searcher.num_docs))
        if self._buckets[0] != state:
            raw = searcher.aggregate(
                tantivy.Query.all_query(),
                {"days": {"histogram": {"field": "day", "interval": DAY_BUCKET}}},
            )
            buckets = [
                (int(b["key"]), int(b["doc_count"]))
                for b in raw.get("days", {}).get("buckets", [])
                if int(b["doc_count"])
            ]
            self._buckets = (state, buckets[::-1])
        return self._buckets[1]

    def _cached_facets(
        self,
        searcher: Any,
        query: Any,
        params: SearchParams,
        visibility: Visibility,
        slices: int,
        *,
        path: str = "exact",
    ) -> tuple[dict[str, dict[Any, int]], int]:
        """Facet counts and the number of matches, counted on ``slices`` of the
        SAMPLE_SLICES slices of the index and scaled (all of them: exact). They do not change
        from page to page: the last few are kept per index state."""
        cache_key = (
            path,
            self.gen,
            self.loaded_applied,
            params.q,
            repr(sorted(params.filters.items())),
            params.date_from,
            params.date_to,
            params.facet_size,
            params.facets,
            slices,
            visibility.staff,
            None if visibility.org_ids is None else tuple(sorted(visibility.org_ids)),
        )
        cached = self._facet_cache.get(cache_key)
        if cached is None:
            cached = self._count_facets(searcher, query, params, slices)
            if len(self._facet_cache) >= FACET_CACHE_SIZE:
                self._facet_cache.pop(next(iter(self._facet_cache)))
            self._facet_cache[cache_key] = cached
        return cached

    def _count_facets(
        self, searcher: Any, query: Any, params: SearchParams, slices: int
    ) -> tuple[dict[str, dict[Any, int]], int]:
        if slices < SAMPLE_SLICES:
            # A term set, not a range: tantivy lets a term set's posting lists lead the
            # intersection, while a fast-field range nested in a boolean query does not.
            sample = tantivy.Query.term_set_query(self.schema, "sample", list(range(slices)))
            query = tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, query), (tantivy.Occur.Must, sample)]
            )
        scale = SAMPLE_SLICES / slices
        out: dict[str, dict[Any, int]] = {}
        if not params.facets:
            return out, round(_count(searcher.search(query, limit=1)) * scale)
        agg = {name: {"terms": {"field": name, "size": params.facet_size}} for name in FACET_FIELDS}
        raw = searcher.aggregate(query, agg)
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
        # Every document has exactly one type, so the type counts add up to the matches.
        return out, sum(out["type"].values())

    def _exact_doc_number(
        self, searcher: Any, params: SearchParams, visibility: Visibility, runs: list[str]
    ) -> str:
        """The key of the one visible document whose 文号 the query is, else ""."""
        docnum = text.normalise_doc_number(params.q)
        if not (docnum and runs and _DIGIT_RE.search(docnum)):  # a 文号 has a year and serial
            return ""
        Q, Occur = tantivy.Query, tantivy.Occur
        exact_query = Q.boolean_query(
            [
                (Occur.Must, Q.term_query(self.schema, "docnum_key", docnum, index_option="basic")),
                *[(Occur.Must, f) for f in self._filters(SearchParams(), visibility)],
            ]
        )
        found = searcher.search(exact_query, limit=2)
        if len(found.hits) == 1:
            return str(searcher.doc(found.hits[0][1])["key"][0])
        return ""

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

    def doc_count(self, *, public_only: bool = False) -> int:
        self.catch_up()
        assert self.index is not None
        searcher = self.index.searcher()
        if public_only:
            return _count(searcher.search(tantivy.Query.term_query(self.schema, "public", 1)))
        return int(searcher.num_docs)


def _rebuild_tasks(chunk: int) -> Iterator[tuple[str, int, int]]:
    for adapter in adapters():
        for first, last in chunked_ids(adapter.model, chunk):
            yield adapter.prefix, first, last


def _load_and_tokenise(task: tuple[str, int, int]) -> list[dict[str, Any]]:
    prefix, first, last = task
    adapter = adapter_for_prefix(prefix)
    assert adapter is not None
    return docs_fields(list(adapter.load_range(first, last).values()))


def _tokenised_batches(*, parallel: int | None) -> Iterator[list[dict[str, Any]]]:
    """Reading rows and tokenising them is the cost of a rebuild: worker processes each read
    and tokenise a range of primary keys, so this process only hands out ranges and feeds the
    index writer (passing whole rows to the workers made this process the bottleneck)."""
    workers = parallel if parallel is not None else (os.cpu_count() or 1)
    total = sum(adapter.count() for adapter in adapters())
    if workers <= 1 or total < 20_000:
        for task in _rebuild_tasks(2000):
            yield _load_and_tokenise(task)
        return
    import multiprocessing

    from django.db import connections

    connections.close_all()  # never share a database connection with forked workers
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        yield from pool.imap(_load_and_tokenise, _rebuild_tasks(500), chunksize=1)


def _count(result: Any) -> int:
    return int(getattr(result, "count", 0) or 0)


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
