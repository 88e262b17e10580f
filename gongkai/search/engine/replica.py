"""This server's replica of the change log: opening the live generation, rebuilding it from the
database when it cannot answer for it (missing, another schema, another database, a log that
does not continue it, a backlog cheaper to rebuild than to replay), and catching up.

See docs/adr/0002-search-engine.md ("Keeping the index in step" and addendum 3).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

import tantivy
from django.conf import settings
from django.utils.translation import gettext as _

from gongkai.core.compiled import CompiledQuery

from .. import text
from ..identity import database_stamp, stamp_matches
from ..registry import SearchDoc
from .documents import docs_fields, load_docs, tokenised_batches
from .files import IndexFiles
from .schema import SCHEMA_VERSION, build_schema, open_index

# The logger name of the engine before it became a package: operators filter on it.
log = logging.getLogger("gongkai.search.engine")

# A hole in the log (an id allocated by a transaction that has not committed yet, or rolled
# back) is re-checked for this long before it is forgotten. PostgreSQL sequences hand out ids
# out of commit order; a transaction open longer than this is not expected in a web request.
HOLE_TTL_SECONDS = 600
# A rebuild records the ids missing among the last HOLES_AT_REBUILD below its start position
# as holes: they may belong to transactions still open while the snapshot is read.
HOLES_AT_REBUILD = 1000
# A backlog of more change-log ids than this is rebuilt from the database (in parallel) rather
# than replayed row by row: a bulk load of a million documents must not be applied one change
# at a time by every server. GONGKAI_SEARCH_REBUILD_BACKLOG overrides it.
REBUILD_BACKLOG = 50_000


def rebuild_backlog() -> int:
    return int(getattr(settings, "GONGKAI_SEARCH_REBUILD_BACKLOG", REBUILD_BACKLOG))


class SearchIndexUnusable(RuntimeError):
    """The index cannot answer for this database and cannot be rebuilt here."""


_NEWEST_CHANGE: Any = None


def newest_change_id() -> int:
    """The newest id of the change log: read before every search (is the replica behind?), so
    its SQL is compiled once per process (``core.compiled``)."""
    global _NEWEST_CHANGE
    from ..models import SearchChange

    if _NEWEST_CHANGE is None:
        _NEWEST_CHANGE = CompiledQuery(
            SearchChange,
            lambda: SearchChange.objects.order_by("-id").values_list("id", flat=True)[:1],
        )
    found = _NEWEST_CHANGE.rows()
    return found[0] if found else 0


def holes_below(top: int, now: float) -> dict[int, float]:
    """The ids missing among the last HOLES_AT_REBUILD up to ``top``, first seen ``now``."""
    from ..models import SearchChange

    low = max(0, top - HOLES_AT_REBUILD)
    present = set(SearchChange.objects.filter(id__gt=low, id__lte=top).values_list("id", flat=True))
    return {i: now for i in range(low + 1, top + 1) if i not in present}


def advance(
    applied: int, holes: dict[int, float], seen: set[int], now: float
) -> tuple[int, dict[int, float]]:
    """The log position and holes after applying the ids ``seen``: an id below the new position
    that was not seen becomes a hole; a hole is dropped once seen or older than HOLE_TTL_SECONDS
    (a rolled-back transaction)."""
    new_applied = max([applied, *seen])
    kept = {
        hole: first_seen
        for hole, first_seen in holes.items()
        if hole not in seen and now - first_seen <= HOLE_TTL_SECONDS
    }
    for missing in range(applied + 1, new_applied):
        if missing not in seen:
            kept[missing] = now
    return new_applied, kept


def database_mismatch(state: dict[str, Any]) -> str:
    """Why an index with this state was not built from the current database ("" if it was)."""
    current = database_stamp()
    if stamp_matches(state.get("database"), current):
        return ""
    built = state.get("database") or {}
    return "built from another database ({} {} {}, this is {} {} {})".format(
        built.get("vendor", "?"),
        built.get("name", "?"),
        built.get("uuid", "unknown"),
        current["vendor"],
        current["name"],
        current["uuid"],
    )


class Replica:
    """The live generation of one index directory, kept in step with the change log."""

    def __init__(self, base: Path):
        self.base = Path(base)
        self.files = IndexFiles(self.base)
        self.schema = build_schema()
        self.index: tantivy.Index | None = None
        self.gen = ""
        self.loaded_applied = -1

    def read_current(self) -> str:
        return self.files.read_current()

    def read_state(self, gen: str | None = None) -> dict[str, Any]:
        return self.files.read_state(gen or self.gen)

    # ------------------------------------------------------------------ open / rebuild
    def _open(self, gen: str) -> None:
        # Loading the jieba dictionaries takes ~0.25 s: pay it when the index opens, not in
        # the middle of the first query that needs them.
        text.warm_up()
        self.index = open_index(self.schema, self.base / gen, reuse=True)
        self.gen = gen
        self.loaded_applied = self.read_state(gen)["applied"]

    def _unusable(self, gen: str) -> str:
        """Why generation ``gen`` cannot answer for this database ("" when it can)."""
        if gen and gen == self.gen and self.index is not None:
            return ""  # checked when it was opened; a process does not change databases
        if not self.files.exists(gen):
            return "missing"
        state = self.read_state(gen)
        if state.get("schema") != SCHEMA_VERSION:
            return "of another schema version"
        return database_mismatch(state)

    def ensure_open(self) -> tantivy.Index:
        gen = self.read_current()
        if self._unusable(gen):
            with self.files.lock():
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
        self.base.mkdir(parents=True, exist_ok=True)
        stamp = database_stamp()
        # Start position: every change up to here is in the snapshot we read below; later ones
        # (and the holes below it, still uncommitted) are replayed after the swap.
        top = newest_change_id()
        holes = holes_below(top, time.time())
        gen, path = self.files.new_generation()
        count = self._fill(path, threads=threads, progress=progress, parallel=parallel)
        self.files.write_state(gen, {"applied": top, "holes": holes, "database": stamp})
        if locked:
            self.files.swap_current(gen)
        else:
            with self.files.lock():
                self.files.swap_current(gen)
        return count

    def _fill(self, path: Path, *, threads: int, progress: Any, parallel: int | None) -> int:
        """Index every document of the database into the new generation at ``path``."""
        index = open_index(self.schema, path, reuse=False)
        writer = index.writer(heap_size=256_000_000, num_threads=threads)
        count = 0
        for fields_batch in tokenised_batches(parallel=parallel):
            for fields in fields_batch:
                writer.add_document(tantivy.Document(**fields))
            count += len(fields_batch)
            if progress:
                progress(count)
        writer.commit()
        writer.wait_merging_threads()
        return count

    # ------------------------------------------------------------------ replica of the log
    def catch_up(self) -> int:
        """Apply the change log past our last applied id. Cheap when nothing is new."""
        index = self.ensure_open()
        state = self.read_state()
        if state["applied"] != self.loaded_applied:
            index.reload()  # another process of this server applied changes
            self.loaded_applied = state["applied"]
        top = newest_change_id()
        if top < state["applied"] or top - state["applied"] > rebuild_backlog():
            with self.files.lock():
                return self._reset_locked()
        if not self._has_news(state, top):
            return 0
        with self.files.lock():
            return self._apply_locked()

    def _has_news(self, state: dict[str, Any], top: int) -> bool:
        """Whether the log has ids past the applied position, or a hole that was filled or
        expired (one query per hole check; nothing when there are no holes)."""
        from ..models import SearchChange

        if top > state["applied"]:
            return True
        if not state["holes"]:
            return False
        expired = any(time.time() - t > HOLE_TTL_SECONDS for t in state["holes"].values())
        return expired or SearchChange.objects.filter(id__in=state["holes"]).exists()

    def _reset_locked(self) -> int:
        """Rebuild when the log does not continue the index: its position is beyond the
        database's newest change (another or a restored database, whose ids mean other
        changes), or the backlog is cheaper to rebuild than to replay (a bulk load)."""
        state = self.read_state(self.read_current())
        top = newest_change_id()
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
        """Re-index every key the log names past the applied position or in a hole."""
        from django.db.models import Q

        from ..models import SearchChange

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
        if keys:
            self._replace_documents(keys)
        self.files.write_state(
            self.gen, {"applied": applied, "holes": holes, "database": state.get("database")}
        )
        assert self.index is not None
        self.index.reload()
        self.loaded_applied = applied
        return len(keys)

    def _replace_documents(self, keys: list[str]) -> None:
        """Delete each key's document and add its current version (if it still exists)."""
        assert self.index is not None
        writer = self.index.writer(heap_size=50_000_000, num_threads=1)
        present: list[SearchDoc] = []
        for key, doc in load_docs(keys):
            writer.delete_documents_by_term("key", key)
            if doc is not None:
                present.append(doc)
        for fields in docs_fields(present):
            writer.add_document(tantivy.Document(**fields))
        writer.commit()
        writer.wait_merging_threads()
