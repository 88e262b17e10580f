"""gongkai check_text [FILE|-] — run the 错敏词 and privacy checks; print only JSON on stdout.

Output (issue 5): ``{"findings": [{"kind", "start", "end", "match", "category",
"suggestion"}]}``. Offsets count characters of the input decoded as UTF-8 exactly as given
(line endings are not translated, and a leading BOM counts as one character). For privacy
kinds ``category`` is the Chinese name of the kind and ``suggestion`` the masked form.

The work is done by :func:`gongkai.checks.cli.run` (streamed, issue 18); the console script
``gongkai check_text FILE`` reaches it by a fast path that skips loading the other apps.
"""

import io
import sys
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gongkai.checks.cli import CheckTextError, run


class Command(BaseCommand):
    help = "检查文本中的错敏词和个人信息，在标准输出打印 JSON"
    requires_system_checks: list = []  # stdout must carry nothing but the JSON
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument(
            "file", nargs="?", default="-", help=_("文本文件；省略或 - 表示标准输入")
        )

    def handle(self, *args, **options):
        stream: Any = self.stdout._out
        buffer = getattr(stream, "buffer", None)
        write: Callable[[bytes], Any]
        if isinstance(buffer, io.BufferedIOBase | io.RawIOBase):
            stream.flush()
            write = buffer.write
        else:  # a text stream such as call_command(stdout=StringIO())

            def write(data: bytes) -> None:
                stream.write(data.decode("utf-8"))

        try:
            run(
                options["file"],
                write=write,
                warn=self.stderr.write,
                stdin=options.get("stdin") or sys.stdin,
            )
        except CheckTextError as exc:
            raise CommandError(str(exc)) from None
        if buffer is not None:
            buffer.flush()
