"""gongkai check_text [FILE|-] — run the 错敏词 and privacy checks; print only JSON on stdout.

Output (issue 5): ``{"findings": [{"kind", "start", "end", "match", "category",
"suggestion"}]}``. Offsets count characters of the input decoded as UTF-8 exactly as given
(line endings are not translated, and a leading BOM counts as one character). For privacy
kinds ``category`` is the Chinese name of the kind and ``suggestion`` the masked form.
"""

import io
import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils.translation import gettext as _

from gongkai.checks.selectors import current_checker
from gongkai.checks.text import TextChecker


class Command(BaseCommand):
    help = "检查文本中的错敏词和个人信息，在标准输出打印 JSON"
    requires_system_checks: list = []  # stdout must carry nothing but the JSON
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument(
            "file", nargs="?", default="-", help=_("文本文件；省略或 - 表示标准输入")
        )

    def handle(self, *args, **options):
        name = options["file"]
        if name == "-":
            stdin = options.get("stdin") or sys.stdin
            data = stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read()
        else:
            try:
                with open(name, "rb") as fh:
                    data = fh.read()
            except OSError as exc:
                raise CommandError(
                    _("无法读取文件 %(path)s：%(error)s") % {"path": name, "error": exc}
                ) from None
        if isinstance(data, bytes):
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise CommandError(
                    _("输入不是 UTF-8 文本（第 %(pos)d 字节）。") % {"pos": exc.start + 1}
                ) from None
        else:
            text = data
        try:
            checker = current_checker()
        except DatabaseError:
            self.stderr.write(_("警告：无法读取错敏词库（数据库未迁移？），只检查个人信息。"))
            checker = TextChecker()
        payload = {"findings": [f.as_dict() for f in checker.check(text)]}
        out = json.dumps(payload, ensure_ascii=False)
        stream = self.stdout._out
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(encoding="utf-8")
        self.stdout.write(out)
