"""gongkai import_documents FILE.jsonl — bring in documents from an agency's old site."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gongkai.catalogue.services import DocumentImportError, documents_import
from gongkai.core.dbstats import db_optimize


class Command(BaseCommand):
    help = "导入政府信息（JSON Lines，每行一条）；任何一行有错误则全部不导入。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="JSONL 文件路径")

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError as exc:
            raise CommandError(_("文件“%(path)s”不存在") % {"path": path}) from exc
        except UnicodeDecodeError as exc:
            raise CommandError(_("文件“%(path)s”不是UTF-8编码") % {"path": path}) from exc
        try:
            result = documents_import(lines=text.split("\n"), source=path.name)
        except DocumentImportError as exc:
            for message in exc.errors:
                self.stderr.write(message)
            raise CommandError(
                _("导入失败：%(n)d行有错误，未导入任何数据") % {"n": len(exc.errors)}
            ) from exc
        self.stdout.write(_("已导入%(n)d条政府信息") % {"n": result.created})
        # A large import changes the tables' shape: fresh statistics before readers arrive.
        db_optimize()
