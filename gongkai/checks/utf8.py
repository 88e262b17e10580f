"""UTF-8 validation of ``check_text``'s input, in this process or beside it in a forked one.

``gongkai check_text`` prints nothing for an input that is not UTF-8, so the whole file is
validated before the first byte of JSON is written: 0.05 s for 50 MB, a pass the check cannot
skip. On the console script's fast path that pass runs in a forked process
(:func:`start_background`) while this one does its start-up (settings, the dictionary, the
automaton); the answer is awaited before anything is written. This module imports nothing
heavy, so the fork happens at once and the child starts validating at once.
"""

from __future__ import annotations

import codecs
import os
import stat
from typing import BinaryIO

BLOCK_SIZE = 1 << 20

# Smaller files are validated in this process: their pass costs less than a fork.
BACKGROUND_MIN_BYTES = 4 << 20


class InvalidUtf8(ValueError):
    """The input is not UTF-8; ``position`` is the 0-based offset of the first bad byte."""

    def __init__(self, position: int):
        super().__init__(position)
        self.position = position


def validate_utf8(source: BinaryIO, *, block_size: int = BLOCK_SIZE) -> None:
    """Read ``source`` to its end; raise :class:`InvalidUtf8` at the first bad byte."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    fed = 0
    while True:
        block = source.read(block_size)
        pending = len(decoder.getstate()[0])
        try:
            decoder.decode(block, final=not block)
        except UnicodeDecodeError as exc:
            raise InvalidUtf8(fed - pending + exc.start) from None
        if not block:
            return
        fed += len(block)


class _PositionalReader:
    """``read`` by ``os.pread`` from ``offset`` on: the forked child shares the parent's file
    offset, which must not move."""

    def __init__(self, fd: int, offset: int):
        self.fd, self.offset = fd, offset

    def read(self, size: int) -> bytes:
        data = os.pread(self.fd, size, self.offset)
        self.offset += len(data)
        return data


class BackgroundValidation:
    """The validation of ``source`` from its current position, running in a forked process.

    :meth:`result` waits for it: ``None`` when the input is UTF-8, else the exception the
    in-process :func:`validate_utf8` would have raised (:class:`InvalidUtf8` with the same
    position, or an ``OSError`` from reading)."""

    def __init__(self, source: BinaryIO, pid: int, pipe: int):
        self.source = source
        self._pid, self._pipe = pid, pipe

    def result(self) -> Exception | None:
        with os.fdopen(self._pipe, "rb") as pipe:
            answer = pipe.read()
        _pid, status = os.waitpid(self._pid, 0)
        kind, _sep, detail = answer.decode("utf-8", "replace").partition(" ")
        if os.waitstatus_to_exitcode(status) == 0 and kind == "ok":
            return None
        if kind == "bad":
            return InvalidUtf8(int(detail))
        if kind == "oserror":
            return OSError(detail)
        # The child died without an answer (killed, out of memory): validate here instead.
        start = self.source.tell()
        try:
            validate_utf8(self.source)
        except (InvalidUtf8, OSError) as exc:
            return exc
        finally:
            self.source.seek(start)
        return None


def start_background(source: BinaryIO) -> BackgroundValidation | None:
    """Fork a process that validates ``source`` (an open regular file, from its current
    position) as UTF-8; ``None`` (validate in this process) for a small or non-regular file or
    when the fork fails. Call it before this process starts any thread."""
    try:
        fd = source.fileno()
        info = os.fstat(fd)
        start = source.tell()
    except (OSError, ValueError, AttributeError):
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_size - start < BACKGROUND_MIN_BYTES:
        return None
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # the child: validate, answer, exit without running any of the parent's code
        code = 1
        try:
            os.close(read_end)
            try:
                validate_utf8(_PositionalReader(fd, start))  # type: ignore[arg-type]
                answer = "ok"
                code = 0
            except InvalidUtf8 as exc:
                answer = f"bad {exc.position}"
            except OSError as exc:
                answer = f"oserror {exc}"
            os.write(write_end, answer.encode("utf-8"))
        finally:
            os._exit(code)
    os.close(write_end)
    return BackgroundValidation(source, pid, read_end)
