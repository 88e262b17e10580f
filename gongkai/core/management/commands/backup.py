"""`gongkai backup DIR`: database, media files and a manifest with checksums."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gongkai.core.backup import BackupError, backup


class Command(BaseCommand):
    help = _("备份整个平台：数据库、媒体文件和带校验和的清单（manifest.json）写入一个新目录。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", help=_("备份目录（不存在或为空）"))

    def handle(self, *args, directory: str, **options) -> None:
        try:
            manifest = backup(Path(directory))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _(
                "已备份到 %(dir)s：%(tables)d 张表共 %(rows)d 行，%(files)d 个媒体文件"
                "（%(mb).1f MB）。请另行妥善保管 GONGKAI_PII_KEY：恢复时必须使用同一密钥。"
            )
            % {
                "dir": directory,
                "tables": len(manifest["tables"]),
                "rows": manifest["rows"],
                "files": manifest["media_files"],
                "mb": manifest["media_bytes"] / 1024 / 1024,
            }
        )
