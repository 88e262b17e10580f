"""The checks over a byte stream, JSON out: the whole-file path of ``gongkai check_text``.

The output is, byte for byte, ``json.dumps({"findings": [f.as_dict() for f in
TextChecker.check(text)]}, ensure_ascii=False) + "\\n"`` for the input decoded as UTF-8 (tests
pin this), but it is produced in bounded memory and at ``grep -F -o`` speed (issue 18: a
20,000-word dictionary over 50 MB of text gives about two million findings and 230 MB of JSON):

* The input is validated as UTF-8 first (:mod:`gongkai.checks.utf8`; nothing is printed for a
  file that is not), then read in blocks cut just after a *separator*: a newline, or failing
  that another character that no dictionary word or suggestion contains. No word, number or
  e-mail address can contain a separator, so scanning the segments one by one finds exactly
  what one scan of the whole text finds, and character offsets carry over from segment to
  segment.
* Word hits stay numpy arrays (entry index, character start); no per-hit Python object is
  made except the two ``bytes`` every hit's JSON is joined from: a fixed-width head
  (``, {"kind": "word", "start": N, "end": M``) written column by column by numpy, and the
  entry's tail (``, "match": …, "category": …, "suggestion": …}``), encoded once per entry.
* Privacy findings (few) are found by the one-pass byte scanner of :mod:`gongkai.checks.text`
  and merged by position (at the same start a privacy kind sorts before ``word``).
* A second thread reads and scans the next segment (the Rust scan and numpy release the GIL)
  while this one formats and writes the previous one.
"""

from __future__ import annotations

import datetime
import io
import itertools
import json
import os
import tempfile
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from json.encoder import encode_basestring
from typing import Any, BinaryIO

import numpy as np

from .text import (
    PRIVACY_BLOCKING,
    PRIVACY_LABELS,
    Finding,
    TextChecker,
    char_index,
    mask_value,
    privacy_byte_hits,
)

# Read size; a segment ends at the last separator inside the bytes read so far. Measured on the
# benchmark: 1 MiB blocks keep every per-segment array in the CPU caches (4 MiB: 10% slower).
BLOCK_SIZE = 1 << 20

# Tried in this order; the first ones no dictionary word or suggestion contains are used.
SEPARATOR_CANDIDATES = ("\n", "。", "；", "，", "\u3000", " ")

_HEAD_OPEN = b', {"kind": "word", "start": '
_HEAD_MID = b', "end": '
_OPEN = np.frombuffer(_HEAD_OPEN, dtype=np.uint8)
_MID = np.frombuffer(_HEAD_MID, dtype=np.uint8)
# The four-digit groups 0000..9999 as bytes, to write a number's digits four at a time.
# (Built by numpy: a Python loop over the 10,000 groups was a twentieth of the start-up.)
_DIGITS4 = (48 + np.arange(10_000)[:, None] // np.array([1000, 100, 10, 1]) % 10).astype(np.uint8)
# 10, 100, …: the number of digits of n is 1 + how many of these are <= n.
_TENS = 10 ** np.arange(1, 19, dtype=np.int64)


def separators_for(checker: TextChecker) -> list[bytes]:
    """The separator characters (UTF-8) that no dictionary word or suggestion contains."""
    every = "\x00".join(text for e in checker.words.entries for text in (e.word, e.suggestion))
    return [sep.encode() for sep in SEPARATOR_CANDIDATES if sep not in every]


def segments(
    source: BinaryIO, separators: list[bytes], *, block_size: int = BLOCK_SIZE
) -> Iterator[bytes]:
    """The input in pieces that each end just after a separator (the last one may not).

    Without any usable separator, or in a stretch of input without one, a piece grows until
    one turns up: correct always, bounded in memory for text with line breaks or punctuation.
    """
    carry = b""
    while True:
        block = source.read(block_size)
        if not block:
            if carry:
                yield carry
            return
        # A separator (at most 3 bytes) wholly inside ``carry`` would have cut it already.
        searched_from = max(0, len(carry) - 2)
        data = carry + block if carry else block
        cut = 0
        for sep in separators:  # in order of preference: usually the first one is found
            found = data.rfind(sep, searched_from)
            if found >= 0:
                cut = found + len(sep)
                break
        if not cut:
            carry = data
            continue
        yield data[:cut]
        carry = data[cut:]


@dataclass(slots=True)
class _Scanned:
    """One segment, scanned: word hits as arrays of segment-relative character offsets."""

    chars: int
    idx: np.ndarray
    start: np.ndarray
    privacy: list[tuple[int, str, str]]  # (character start in the segment, kind, value)


def _scan(checker: TextChecker, seg: bytes, today: datetime.date) -> _Scanned:
    words = checker.words
    index: np.ndarray | None = None
    text: str | None = None
    if words.scans_bytes:
        index = char_index(seg)
        idx, bstart = words.byte_hits(seg)
        start = index[bstart].astype(np.int64)
    else:
        text = seg.decode("utf-8")
        idx, start = words.char_hits(text)
    if len(idx) and words.contains_mask.any():
        candidates = np.flatnonzero(words.contains_mask[idx])
        if len(candidates):
            text = text if text is not None else seg.decode("utf-8")
            drop = [
                k
                for k in candidates.tolist()
                if words.inside_suggestion(text, int(start[k]), int(idx[k]))
            ]
            if drop:
                keep = np.ones(len(idx), dtype=bool)
                keep[drop] = False
                idx, start = idx[keep], start[keep]
    privacy = privacy_byte_hits(seg, today=today)
    if privacy:
        index = index if index is not None else char_index(seg)
        privacy = [(int(index[b]), kind, value) for b, kind, value in privacy]
    chars = int(index[-1]) if index is not None else len(text or "")
    return _Scanned(chars, idx, start, privacy)


def _digits(values: np.ndarray, width: int) -> np.ndarray:
    """The decimal digits of non-negative ``values`` that all have ``width`` digits, as a
    ``(len(values), width)`` array of ASCII bytes."""
    groups = (width + 3) // 4
    padded = np.empty((len(values), 4 * groups), dtype=np.uint8)
    rest = values
    for g in range(groups - 1, -1, -1):
        padded[:, 4 * g : 4 * g + 4] = _DIGITS4[rest % 10_000]
        rest = rest // 10_000
    return padded[:, 4 * groups - width :]


def _widths(values: np.ndarray) -> np.ndarray:
    return np.searchsorted(_TENS, values, side="right") + 1


def word_heads(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """``, {"kind": "word", "start": N, "end": M`` for every hit, as a numpy object array of
    ``bytes``. Starts and ends increase along the array (hits do not overlap), so hits with
    the same digit counts form runs; each run is one fixed-width block of bytes."""
    n = len(start)
    heads = np.empty(n, dtype=object)
    ws, we = _widths(start), _widths(end)
    changes = np.flatnonzero((ws[1:] != ws[:-1]) | (we[1:] != we[:-1])) + 1
    bounds = [0, *changes.tolist(), n]
    o, m = len(_OPEN), len(_MID)
    for a, b in itertools.pairwise(bounds):
        ds, de = int(ws[a]), int(we[a])
        width = o + ds + m + de
        block = np.empty((b - a, width), dtype=np.uint8)
        block[:, :o] = _OPEN
        block[:, o : o + ds] = _digits(start[a:b], ds)
        block[:, o + ds : o + ds + m] = _MID
        block[:, o + ds + m :] = _digits(end[a:b], de)
        heads[a:b] = block.view(f"S{width}").ravel()
    return heads


# ``json.dumps(value, ensure_ascii=False)`` for a str, without the encoder set-up per call.
_json = encode_basestring


def word_tails(checker: TextChecker) -> np.ndarray:
    """Per dictionary entry, the rest of its findings' JSON object, encoded once."""
    tails = np.empty(checker.words.size, dtype=object)
    for i, entry in enumerate(checker.words.entries):
        tails[i] = (
            f', "match": {_json(entry.word)}, "category": {_json(entry.category)}, '
            f'"suggestion": {_json(entry.suggestion)}}}'
        ).encode()
    return tails


def _privacy_json(start: int, kind: str, value: str) -> bytes:
    finding = Finding(
        kind,
        start,
        start + len(value),
        value,
        PRIVACY_LABELS[kind],
        mask_value(kind, value),
        PRIVACY_BLOCKING[kind],
    )
    return b", " + json.dumps(finding.as_dict(), ensure_ascii=False).encode()


class _Writer:
    """Formats scanned segments and writes them, in order, after ``{"findings": [``."""

    def __init__(
        self,
        checker: TextChecker,
        write: Callable[[bytes], Any],
        *,
        base: int = 0,
        continued: bool = False,
    ):
        self.tails = word_tails(checker)
        self.lengths = checker.words.word_chars
        self.write = write
        self.base = base  # characters before the current segment
        self.count = 0
        # ``continued``: the list may already hold findings, so even the first one gets ", ".
        self.continued = continued

    def emit(self, scanned: _Scanned) -> None:
        n = len(scanned.idx)
        pieces: list[bytes] = []
        if n:
            start = scanned.start + self.base
            end = start + self.lengths[scanned.idx]
            parts = np.empty(2 * n, dtype=object)
            parts[0::2] = word_heads(start, end)
            parts[1::2] = self.tails[scanned.idx]
            objects = parts.tolist()
            pieces = self._merge(objects, start, scanned.privacy) if scanned.privacy else objects
        elif scanned.privacy:
            pieces = [_privacy_json(self.base + s, k, v) for s, k, v in scanned.privacy]
        if pieces:
            data = b"".join(pieces)
            # No ", " before the very first finding.
            self.write(data if self.count or self.continued else data[2:])
            self.count += n + len(scanned.privacy)
        self.base += scanned.chars

    def _merge(
        self, objects: list[bytes], start: np.ndarray, privacy: list[tuple[int, str, str]]
    ) -> list[bytes]:
        """Word pieces (two per hit) with the privacy findings put in their sorted places: at
        the same start, every privacy kind sorts before ``word``."""
        starts = [self.base + s for s, _k, _v in privacy]
        places = np.searchsorted(start, starts, side="left").tolist()
        merged: list[bytes] = []
        done = 0
        for place, (s, kind, value) in zip(places, privacy, strict=True):
            merged.extend(objects[2 * done : 2 * place])
            merged.append(_privacy_json(self.base + s, kind, value))
            done = place
        merged.extend(objects[2 * done :])
        return merged


# Inputs at least this large are checked by two processes (see :func:`check_stream`). Below
# it the fork and the copy cost more than they save; where ``os.fork`` is missing, never.
PARALLEL_MIN_BYTES = 8 << 20
# The share of the input the forked child checks: the parent also copies the child's JSON.
CHILD_SHARE = 0.5
# How far past the planned split point to look for a separator before giving up on forking.
_SPLIT_WINDOW = 1 << 20


class _Slice:
    """``read(n)`` over bytes ``start..end`` of ``source`` by position (``os.pread`` for a
    real file), so two processes sharing one file offset after a fork do not disturb each
    other."""

    def __init__(self, source: BinaryIO, start: int, end: int):
        self.source = source
        self.pos = start
        self.end = end
        try:
            self.fd: int | None = source.fileno()
        except (OSError, AttributeError, io.UnsupportedOperation):
            self.fd = None

    def pread(self, size: int, offset: int) -> bytes:
        if self.fd is not None:
            return os.pread(self.fd, size, offset)
        self.source.seek(offset)
        return self.source.read(size)

    def read(self, size: int = -1) -> bytes:
        size = self.end - self.pos if size < 0 else min(size, self.end - self.pos)
        data = self.pread(size, self.pos) if size > 0 else b""
        self.pos += len(data)
        return data


def _size(source: BinaryIO) -> int | None:
    """Bytes from the current position to the end, or None when the source cannot say."""
    try:
        here = source.tell()
        end = source.seek(0, os.SEEK_END)
        source.seek(here)
    except (OSError, AttributeError, io.UnsupportedOperation):
        return None
    return end - here


def _split_point(source: BinaryIO, start: int, want: int, separators: list[bytes]) -> int:
    """The byte offset just after the first separator at or after ``want`` (the one that
    :func:`segments` would prefer is looked for first), or 0 when there is none nearby."""
    window = _Slice(source, start, start + 1).pread(_SPLIT_WINDOW, want)
    for sep in separators:
        found = window.find(sep)
        if found >= 0:
            return want + found + len(sep)
    return 0


def _count_chars(source: BinaryIO, start: int, end: int, block_size: int) -> int:
    """UTF-8 characters in bytes ``start..end``: the bytes not of the form 10xxxxxx."""
    part = _Slice(source, start, end)
    total = 0
    while block := part.read(max(block_size, 1 << 20)):
        total += int(np.count_nonzero(np.frombuffer(block, dtype=np.int8) > -65))
    return total


def _check_pieces(
    pieces: Iterator[bytes],
    writer: _Writer,
    checker: TextChecker,
    today: datetime.date,
    threads: bool,
) -> None:
    if not threads:
        for seg in pieces:
            writer.emit(_scan(checker, seg, today))
        return
    # One scan ahead: the worker scans segment k+1 while this thread writes segment k.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="check-scan") as pool:
        pending: deque[Future[_Scanned]] = deque()
        for seg in pieces:
            pending.append(pool.submit(_scan, checker, seg, today))
            if len(pending) > 1:
                writer.emit(pending.popleft().result())
        while pending:
            writer.emit(pending.popleft().result())


def _child_part(
    source: BinaryIO,
    start: int,
    cut: int,
    end: int,
    out: BinaryIO,
    count_fd: int,
    checker: TextChecker,
    separators: list[bytes],
    today: datetime.date,
    block_size: int,
    threads: bool,
) -> None:
    """In the forked child: the findings of bytes ``cut..end``, each preceded by ", ", into
    ``out``; then their number, in decimal, into ``count_fd``."""
    base = _count_chars(source, start, cut, block_size)
    writer = _Writer(checker, out.write, base=base, continued=True)
    pieces = segments(_Slice(source, cut, end), separators, block_size=block_size)  # type: ignore[arg-type]
    _check_pieces(pieces, writer, checker, today, threads)
    out.flush()
    os.write(count_fd, str(writer.count).encode())


def _check_in_two(
    source: BinaryIO,
    start: int,
    cut: int,
    end: int,
    writer: _Writer,
    checker: TextChecker,
    separators: list[bytes],
    today: datetime.date,
    block_size: int,
    threads: bool,
    copy_file: Callable[[BinaryIO, int], Any] | None,
) -> None:
    """Bytes ``start..cut`` here while a forked child checks ``cut..end`` into a temporary
    file; then the child's JSON is copied after ours. Both parts start after a separator, so
    they find exactly what one pass finds; the child starts counting characters where the
    first part ends. Should the child fail, this process checks its part itself."""
    read_fd, write_fd = os.pipe()
    with tempfile.TemporaryFile() as spool:
        pid = os.fork()
        if pid == 0:  # pragma: no cover  (the child; coverage does not follow it)
            status = 1
            try:
                os.close(read_fd)
                _child_part(
                    source,
                    start,
                    cut,
                    end,
                    spool,
                    write_fd,
                    checker,
                    separators,
                    today,
                    block_size,
                    threads,
                )
                status = 0
            finally:
                # Never return into the caller's code, never flush the parent's buffers.
                os._exit(status)
        os.close(write_fd)

        def check_range(first: int, last: int) -> None:
            part = _Slice(source, first, last)
            pieces = segments(part, separators, block_size=block_size)  # type: ignore[arg-type]
            _check_pieces(pieces, writer, checker, today, threads)

        check_range(start, cut)
        with os.fdopen(read_fd, "rb") as counted:
            reported = counted.read()
        _pid, status = os.waitpid(pid, 0)
        if status != 0 or not reported:
            check_range(cut, end)
            return
        child_count = int(reported)
        # Skip the child's first ", " when it would open the list.
        offset = 2 if child_count and not writer.count else 0
        if copy_file is not None:
            copy_file(spool, offset)
        else:
            spool.seek(offset)
            while block := spool.read(1 << 20):
                writer.write(block)
        writer.count += child_count


def check_stream(
    source: BinaryIO,
    write: Callable[[bytes], Any],
    checker: TextChecker,
    *,
    today: datetime.date,
    block_size: int = BLOCK_SIZE,
    threads: bool = True,
    parallel_min_bytes: int | None = PARALLEL_MIN_BYTES,
    copy_file: Callable[[BinaryIO, int], Any] | None = None,
) -> int:
    """Check valid UTF-8 read from ``source``; ``write`` receives the JSON document in pieces.
    Returns the number of findings. ``threads=False`` scans in this thread (same output).

    A seekable input of at least ``parallel_min_bytes`` (None: never) is cut in two at a
    separator and the second part checked by a forked process: the matching and the JSON
    formatting hold the GIL for most of their time, so a second thread cannot use the second
    core but a second process can (issue 18). ``copy_file(file, offset)``, if given, appends
    the bytes of ``file`` from ``offset`` on to the output (the console script hands them to
    the kernel); otherwise they go through ``write``."""
    writer = _Writer(checker, write)
    separators = separators_for(checker)
    write(b'{"findings": [')
    size = _size(source) if parallel_min_bytes is not None and hasattr(os, "fork") else None
    start = cut = end = 0
    if size is not None and size >= max(parallel_min_bytes or 0, 1) and separators:
        start = source.tell()
        end = start + size
        cut = _split_point(source, start, start + int(size * (1 - CHILD_SHARE)), separators)
        if cut >= end:
            cut = 0
    if cut:
        _check_in_two(
            source,
            start,
            cut,
            end,
            writer,
            checker,
            separators,
            today,
            block_size,
            threads,
            copy_file,
        )
    else:
        _check_pieces(
            segments(source, separators, block_size=block_size), writer, checker, today, threads
        )
    write(b"]}\n")
    return writer.count


def check_bytes_to_json(
    data: bytes, checker: TextChecker, *, today: datetime.date, **kw: Any
) -> bytes:
    """The whole JSON document for ``data`` (tests and small inputs)."""
    out: list[bytes] = []
    check_stream(io.BytesIO(data), out.append, checker, today=today, **kw)
    return b"".join(out)
