"""gongkai import_messages FILE.csv — past 政民互动 messages, all or nothing."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from gongkai.core.imports import (
    CsvImportCommand,
    ImportRejected,
    LineError,
    by_line,
    read_csv_records,
)
from gongkai.interaction.importing import COLUMNS, messages_import


class Command(CsvImportCommand):
    help = _(
        "从CSV文件导入历史留言（列：reference,org_code,channel,category,received,title,content,"
        "replied,reply；时间格式 YYYY-MM-DD HH:MM，北京时间；UTF-8编码）。"
        "任一行有错则不导入任何数据，并列出全部错误行。"
    )

    def handle(self, *args, **options) -> None:
        path, acting_user = self.import_source(options)
        errors: list[LineError] = []
        count = 0
        try:
            records, errors = read_csv_records(path, columns=COLUMNS)
            count = messages_import(
                records=records,
                acting_user=acting_user,
                dry_run=bool(options["dry_run"] or errors),
                source=path.name,
            )
        except ImportRejected as rejected:
            errors = sorted([*errors, *rejected.errors], key=by_line)
        if errors:
            for error in errors:
                self.stderr.write(str(error))
            raise CommandError(_("导入失败：共%(n)d处错误，未导入任何留言。") % {"n": len(errors)})
        if options["dry_run"]:
            self.stdout.write(_("校验通过（未写入）：共%(n)d条。") % {"n": count})
        else:
            self.stdout.write(self.style.SUCCESS(_("导入完成：共%(n)d条。") % {"n": count}))
