"""The index directory of one server: generations, their state files, ``CURRENT`` and the lock.

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
import os
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .schema import SCHEMA_VERSION


class IndexFiles:
    def __init__(self, base: Path):
        self.base = base
        self._lock = threading.RLock()

    def _current_file(self) -> Path:
        return self.base / "CURRENT"

    def _state_file(self, gen: str) -> Path:
        return self.base / f"{gen}.state.json"

    def read_current(self) -> str:
        try:
            return self._current_file().read_text().strip()
        except FileNotFoundError:
            return ""

    def exists(self, gen: str) -> bool:
        return bool(gen) and (self.base / gen).exists()

    def read_state(self, gen: str) -> dict[str, Any]:
        try:
            state = json.loads(self._state_file(gen).read_text())
        except (FileNotFoundError, ValueError):
            state = {"applied": 0, "holes": {}, "schema": 0}
        state["holes"] = {int(k): v for k, v in state.get("holes", {}).items()}
        return state

    def write_state(self, gen: str, state: dict[str, Any]) -> None:
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
    def lock(self) -> Iterator[None]:
        """Exclusive across the threads of this process and the processes of this server."""
        self.base.mkdir(parents=True, exist_ok=True)
        with self._lock, open(self.base / "apply.lock", "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def new_generation(self) -> tuple[str, Path]:
        """The name and (new, empty) directory of a generation to build."""
        self.base.mkdir(parents=True, exist_ok=True)
        gen = f"gen-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:8]}"
        path = self.base / gen
        path.mkdir(parents=True)
        return gen, path

    def swap_current(self, gen: str) -> None:
        """Make ``gen`` the live generation (atomically); the previous one stays one round so
        processes still reading it can finish, older ones are deleted. Call under ``lock``."""
        old = self.read_current()
        tmp = self._current_file().with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(gen)
        tmp.replace(self._current_file())
        self._cleanup(keep={gen, old})

    def _cleanup(self, keep: set[str]) -> None:
        for child in self.base.iterdir():
            name = child.name.split(".", 1)[0]
            if name.startswith("gen-") and name not in keep:
                if child.is_dir():
                    shutil.rmtree(child, ignore_errors=True)
                else:
                    child.unlink(missing_ok=True)
