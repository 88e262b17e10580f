"""`gongkai restore DIR`: a backup onto an empty database, then the search index rebuilt."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gongkai.core.backup import BackupError, restore


class Command(BaseCommand):
    help = _(
        "把 gongkai backup 生成的备份恢复到空数据库（先校验清单、校验和与密钥，"
        "再迁移、写入数据和媒体文件，最后重建检索索引）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", help=_("备份目录（含 manifest.json）"))

    def handle(self, *args, directory: str, **options) -> None:
        try:
            result = restore(Path(directory))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _(
                "已从 %(dir)s 恢复：%(rows)d 行数据，%(files)d 个媒体文件（备份时间 %(at)s，"
                "平台版本 %(version)s）；本服务器的检索索引已重建，其他应用服务器请运行 "
                "gongkai reindex。"
            )
            % {
                "dir": directory,
                "rows": result.rows,
                "files": result.media_files,
                "at": result.manifest.get("created_at", "?"),
                "version": result.manifest.get("platform_version", "?"),
            }
        )
