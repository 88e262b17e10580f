"""gongkai import_wordlist FILE.csv — load the 错敏词 dictionary atomically."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gongkai.checks.services import wordlist_import
from gongkai.checks.wordlist import WordlistFileError, decode_csv_bytes, parse_wordlist


class Command(BaseCommand):
    help = "导入错敏词库（CSV：word,category,suggestion；UTF-8；一行有误则全部不导入）"

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("CSV 文件路径"))

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("无法读取文件 %(path)s：%(error)s") % {"path": path, "error": exc}
            ) from None
        try:
            rows = parse_wordlist(decode_csv_bytes(data))
        except WordlistFileError as exc:
            for message in exc.errors:
                self.stderr.write(message)
            raise CommandError(
                _("导入失败：%(count)d 处错误，未导入任何词语。") % {"count": len(exc.errors)}
            ) from None
        result = wordlist_import(rows=rows, source=path.name)
        self.stdout.write(
            _("导入完成：新增 %(created)d 条，更新 %(updated)d 条，未变 %(unchanged)d 条。")
            % {
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
            }
        )
