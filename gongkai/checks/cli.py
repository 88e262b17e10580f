"""``gongkai check_text [FILE|-]``: the 错敏词 and privacy checks of a text file, JSON on stdout.

One function, :func:`run`, serves both roads to the command: the management command
(``manage.py check_text``, ``call_command``) and the console script's fast path
(:func:`main`, taken by ``gongkai check_text FILE``), which is what scripts and pipelines call
once per file.

Why a fast path: a full ``django.setup()`` imports every installed app (django-ninja and
pydantic, huey with redis and psycopg, the admin, every app's models and registries). Measured
on this 2-core machine that start-up alone cost 1.3 s of CPU — half of what ``grep -F -o -f``
needs to check 50 MB with 20,000 words (issue 18). This command reads one table, so the fast
path loads the settings and no app at all: the dictionary is read with one ``SELECT``
(:mod:`gongkai.checks.dictionary`, the same read the ORM road uses) — on SQLite through a
connection straight from the driver, because Django's database backends import the whole model
layer — so neither ``django.db.models`` nor any model module is imported. While that start-up
runs, a forked process validates a large input as UTF-8 (:mod:`gongkai.checks.utf8`; nothing is
printed before its answer). ``make bench-check`` reports the start-up alone as ``startup``:
0.39 s wall with the ``core`` and ``checks`` apps loaded, 0.23 s now (README, "Automatic
checks").
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, BinaryIO

if TYPE_CHECKING:
    from .utf8 import BackgroundValidation


class CheckTextError(Exception):
    """A user error of the command (unreadable file, not UTF-8): a Chinese message."""


def _open_input(name: str, stdin: Any) -> BinaryIO:
    """A seekable binary stream over the input (not validated yet: :func:`_check_utf8`)."""
    if name == "-":
        stdin = stdin if stdin is not None else sys.stdin
        data = stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read()
        return io.BytesIO(data.encode("utf-8") if isinstance(data, str) else data)
    try:
        return open(name, "rb")
    except OSError as exc:
        raise _read_error(name, exc) from None


def _read_error(name: str, exc: OSError) -> CheckTextError:
    from django.utils.translation import gettext as _

    return CheckTextError(_("无法读取文件 %(path)s：%(error)s") % {"path": name, "error": exc})


def _check_utf8(name: str, source: BinaryIO, background: BackgroundValidation | None) -> None:
    """Raise :class:`CheckTextError` unless the input is UTF-8 from its current position: the
    answer of the ``background`` validation when there is one, else a pass here."""
    from django.utils.translation import gettext as _

    from .utf8 import InvalidUtf8, validate_utf8

    error: Exception | None = None
    if background is not None:
        error = background.result()
    else:
        start = source.tell()
        try:
            validate_utf8(source)
            source.seek(start)
        except (InvalidUtf8, OSError) as exc:
            error = exc
    if isinstance(error, InvalidUtf8):
        raise CheckTextError(
            _("输入不是 UTF-8 文本（第%(pos)d字节）。") % {"pos": error.position + 1}
        )
    if isinstance(error, OSError):
        raise _read_error(name, error)


def _checker(warn: Callable[[str], Any], *, own_connection: bool = False) -> Any:
    """The checker over the current dictionary; without one (no table yet, unreadable
    database), a warning and the privacy checks alone.

    ``own_connection`` (the fast path): on SQLite, read through a connection of its own
    straight from the driver, so that Django's database backend — which imports the whole
    model layer — is never loaded. Other databases go through Django's connection."""
    from django.conf import settings
    from django.utils.translation import gettext as _

    from .dictionary import build_checker
    from .text import TextChecker

    database = settings.DATABASES["default"]
    try:
        if own_connection and database["ENGINE"] == "django.db.backends.sqlite3":
            import sqlite3

            try:
                db = _sqlite_connect(database)
                try:
                    return build_checker(db.cursor(), _sqlite_quote_name)
                finally:
                    db.close()
            except sqlite3.DatabaseError:
                raise _Unreadable from None
        from django.db import DatabaseError, connection

        try:
            with connection.cursor() as cursor:
                return build_checker(cursor, connection.ops.quote_name)
        except DatabaseError:
            raise _Unreadable from None
    except _Unreadable:
        warn(_("警告：无法读取错敏词库（数据库未迁移？），只检查个人信息。"))
        return TextChecker()


class _Unreadable(Exception):
    pass


def _sqlite_connect(database: dict[str, Any]) -> Any:
    """A SQLite connection set up as Django's backend sets up its own (the settings' file and
    ``OPTIONS``, ``uri=True``, the ``init_command`` pragmas), minus the SQL functions it
    registers: the dictionary's ``SELECT`` calls none."""
    import sqlite3

    options = dict(database.get("OPTIONS") or {})
    init_command = options.pop("init_command", "")
    options.pop("transaction_mode", None)
    options.update(check_same_thread=False, uri=True)
    db = sqlite3.connect(database["NAME"], **options)
    for command in init_command.split(";"):
        if command := command.strip():
            db.execute(command)
    return db


def _sqlite_quote_name(name: str) -> str:
    # As django.db.backends.sqlite3.operations.DatabaseOperations.quote_name.
    return name if name.startswith('"') and name.endswith('"') else f'"{name}"'


def run(
    name: str,
    *,
    write: Callable[[bytes], Any],
    warn: Callable[[str], Any],
    stdin: Any = None,
    copy_file: Callable[[BinaryIO, int], Any] | None = None,
    own_connection: bool = False,
    background: BackgroundValidation | None = None,
) -> int:
    """Check the file ``name`` (``-``: standard input) and ``write`` the JSON document, in
    pieces of UTF-8. Nothing is written — not even a warning — when the input cannot be read or
    is not UTF-8 (:class:`CheckTextError`). Returns the number of findings.

    The fast path passes ``own_connection`` (see :func:`_checker`) and ``background``: the
    file already opened and being validated in a forked process, whose answer is awaited
    after the dictionary is loaded."""
    from django.utils import timezone

    from .stream import check_stream

    source = background.source if background is not None else _open_input(name, stdin)
    with source:
        if background is None:
            _check_utf8(name, source, None)
        warnings: list[str] = []
        checker = _checker(warnings.append, own_connection=own_connection)
        if background is not None:
            _check_utf8(name, source, background)
        for message in warnings:
            warn(message)
        return check_stream(source, write, checker, today=timezone.localdate(), copy_file=copy_file)


def _setup_django() -> None:
    """``django.setup()`` with no app installed (see the module note).

    The registry is still marked ready: the translation machinery and database cursors need
    that (no app here has a catalogue of its own: the project's is ``LOCALE_PATHS``). Django's
    logging configuration is left out: importing it pulls in the mail and view machinery, and
    this command logs nothing — its messages go to stderr directly."""
    from django.apps import apps

    apps.populate([])


def _keep_freed_memory() -> None:
    """Ask glibc to keep freed memory for reuse instead of returning it to the kernel.

    Every segment allocates a few MiB of arrays and frees them again; by default glibc serves
    such blocks with ``mmap`` and unmaps them on free, so each segment faults its pages in
    anew: 120,000 page faults and 0.2 s of system time on the 50 MB benchmark. The peak memory
    is the same either way. (Tunables of glibc's ``mallopt``; elsewhere this does nothing.)
    """
    import ctypes

    try:
        # The process's own symbols, libc's among them: ``ctypes.util.find_library`` would run
        # ``ldconfig`` in a subprocess, a tenth of this command's start-up.
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return
    m_trim_threshold, m_mmap_threshold = -1, -3
    mallopt(m_mmap_threshold, 64 << 20)
    mallopt(m_trim_threshold, 128 << 20)


def _start_validation(name: str) -> BackgroundValidation | None:
    """The UTF-8 pass of a large regular file, started in a forked process; ``None`` for
    standard input, a small file, or a file that cannot be opened (:func:`run` then opens it
    again and says why)."""
    from .utf8 import start_background

    if name == "-":
        return None
    try:
        source = open(name, "rb")  # noqa: SIM115  (closed by run, or here)
    except OSError:
        return None
    background = start_background(source)
    if background is None:
        source.close()
    return background


def fast_path_applies(argv: list[str]) -> bool:
    """``gongkai check_text [FILE|-]`` without options (``--help``, ``--settings`` and the
    other management options take the ordinary road)."""
    args = argv[2:]
    return (
        argv[1:2] == ["check_text"]
        and len(args) <= 1
        and all(a == "-" or not a.startswith("-") for a in args)
    )


def main(argv: list[str]) -> int:
    """The fast path: ``argv`` as ``sys.argv``. Exit status and messages as the management
    command's (``CommandError: …`` on stderr, status 1)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings.dev")
    name = argv[2] if len(argv) > 2 else "-"
    # First, before any thread exists: the UTF-8 pass over a large file starts in a forked
    # process and runs while this one loads the settings, the dictionary and the automaton.
    background = _start_validation(name)
    # numpy's OpenBLAS starts a thread per core at import that spins for a while: 0.04 s of
    # CPU taken from the validating process (and later the second checking process) on a
    # 2-core machine. This command does no linear algebra.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    _keep_freed_memory()
    _setup_django()
    sys.stdout.flush()
    out = sys.stdout.buffer

    def warn(message: str) -> None:
        sys.stderr.write(message + "\n")

    def copy_file(file: BinaryIO, offset: int) -> None:
        # The second process's part of the JSON (about half of 230 MB on the benchmark):
        # straight from the file to stdout in the kernel.
        out.flush()
        fd, size = file.fileno(), os.fstat(file.fileno()).st_size
        try:
            while offset < size:
                offset += os.sendfile(out.fileno(), fd, offset, size - offset)
        except OSError:  # e.g. stdout opened for appending: copy what is left ourselves
            file.seek(offset)
            while block := file.read(1 << 20):
                out.write(block)

    try:
        run(
            name,
            write=out.write,
            warn=warn,
            stdin=sys.stdin,
            copy_file=copy_file,
            own_connection=True,
            background=background,
        )
        out.flush()
    except CheckTextError as exc:
        sys.stderr.write(f"CommandError: {exc}\n")
        return 1
    except BrokenPipeError:
        # The reader went away (``| head``): like grep, stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    return 0
