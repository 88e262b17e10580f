"""``gongkai check_text [FILE|-]``: the 错敏词 and privacy checks of a text file, JSON on stdout.

One function, :func:`run`, serves both roads to the command: the management command
(``manage.py check_text``, ``call_command``) and the console script's fast path
(:func:`main`, taken by ``gongkai check_text FILE``), which is what scripts and pipelines call
once per file.

Why a fast path: a full ``django.setup()`` imports every installed app (django-ninja and
pydantic, huey with redis and psycopg, the admin, every app's models and registries). Measured
on this 2-core machine that start-up alone cost 1.3 s of CPU — half of what ``grep -F -o -f``
needs to check 50 MB with 20,000 words (issue 18). This command reads one table, so the fast
path loads the settings and only the two apps that table needs (``core`` for the base model,
``checks``): about a third of that (``make bench-check`` reports it as ``startup``).
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable
from typing import Any, BinaryIO

# The apps the dictionary table needs: ``checks`` and ``core`` (its abstract base model lives
# in ``core.models`` beside core's concrete models).
FAST_PATH_APPS = ("gongkai.core", "gongkai.checks")


class CheckTextError(Exception):
    """A user error of the command (unreadable file, not UTF-8): a Chinese message."""


def _open_input(name: str, stdin: Any) -> BinaryIO:
    """A seekable binary stream over the input, validated as UTF-8 from its current position."""
    from django.utils.translation import gettext as _

    from .stream import InvalidUtf8, validate_utf8

    if name == "-":
        stdin = stdin if stdin is not None else sys.stdin
        data = stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read()
        source: BinaryIO = io.BytesIO(data.encode("utf-8") if isinstance(data, str) else data)
    else:
        try:
            source = open(name, "rb")  # noqa: SIM115  (closed by the caller)
        except OSError as exc:
            raise CheckTextError(
                _("无法读取文件 %(path)s：%(error)s") % {"path": name, "error": exc}
            ) from None
    try:
        start = source.tell()
        validate_utf8(source)
        source.seek(start)
    except InvalidUtf8 as exc:
        source.close()
        raise CheckTextError(
            _("输入不是 UTF-8 文本（第%(pos)d字节）。") % {"pos": exc.position + 1}
        ) from None
    except OSError as exc:
        source.close()
        raise CheckTextError(
            _("无法读取文件 %(path)s：%(error)s") % {"path": name, "error": exc}
        ) from None
    return source


def _checker(warn: Callable[[str], Any]) -> Any:
    from django.db import DatabaseError
    from django.utils.translation import gettext as _

    from .selectors import build_checker
    from .text import TextChecker

    try:
        return build_checker()
    except DatabaseError:
        warn(_("警告：无法读取错敏词库（数据库未迁移？），只检查个人信息。"))
        return TextChecker()


def run(
    name: str,
    *,
    write: Callable[[bytes], Any],
    warn: Callable[[str], Any],
    stdin: Any = None,
    copy_file: Callable[[BinaryIO, int], Any] | None = None,
) -> int:
    """Check the file ``name`` (``-``: standard input) and ``write`` the JSON document, in
    pieces of UTF-8. Nothing is written when the input cannot be read or is not UTF-8
    (:class:`CheckTextError`). Returns the number of findings."""
    from django.utils import timezone

    from .stream import check_stream

    source = _open_input(name, stdin)
    with source:
        checker = _checker(warn)
        return check_stream(source, write, checker, today=timezone.localdate(), copy_file=copy_file)


def _setup_django() -> None:
    """``django.setup()`` with only :data:`FAST_PATH_APPS` installed (see the module note).

    Django's logging configuration is left out: importing it pulls in the mail and view
    machinery (a quarter of the remaining start-up), and this command logs nothing — its
    messages go to stderr directly."""
    from django.apps import apps

    apps.populate(list(FAST_PATH_APPS))


def _keep_freed_memory() -> None:
    """Ask glibc to keep freed memory for reuse instead of returning it to the kernel.

    Every segment allocates a few MiB of arrays and frees them again; by default glibc serves
    such blocks with ``mmap`` and unmaps them on free, so each segment faults its pages in
    anew: 120,000 page faults and 0.2 s of system time on the 50 MB benchmark. The peak memory
    is the same either way. (Tunables of glibc's ``mallopt``; elsewhere this does nothing.)
    """
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    if not name:
        return
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return
    m_trim_threshold, m_mmap_threshold = -1, -3
    mallopt(m_mmap_threshold, 64 << 20)
    mallopt(m_trim_threshold, 128 << 20)


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
    _keep_freed_memory()
    _setup_django()
    name = argv[2] if len(argv) > 2 else "-"
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
        run(name, write=out.write, warn=warn, stdin=sys.stdin, copy_file=copy_file)
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
