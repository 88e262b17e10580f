"""gongkai import_organisations FILE.csv — create or update the agency tree, all or nothing."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from gongkai.accounts.org_import import COLUMNS, OrganisationRow
from gongkai.accounts.services import organisations_import
from gongkai.core.imports import (
    CsvImportCommand,
    ImportRejected,
    LineError,
    by_line,
    read_csv_records,
)


class Command(CsvImportCommand):
    help = _(
        "从CSV文件导入机构（列：code,name,parent_code,kind；UTF-8编码，可带BOM）。"
        "任一行有错则不导入任何数据，并列出全部错误行。已存在的机构代码将被更新。"
    )

    def handle(self, *args, **options) -> None:
        path, acting_user = self.import_source(options)
        errors: list[LineError] = []
        try:
            records, errors = read_csv_records(path, columns=COLUMNS)
            rows = [OrganisationRow.from_record(line, record) for line, record in records]
            # With unreadable rows already found, the service still validates the rest (so
            # every bad line is reported at once) but in dry-run mode: nothing may be written.
            result = organisations_import(
                rows=rows,
                acting_user=acting_user,
                dry_run=bool(options["dry_run"] or errors),
                source=path.name,
            )
        except ImportRejected as rejected:
            errors = sorted([*errors, *rejected.errors], key=by_line)
        if errors:
            for error in errors:
                self.stderr.write(str(error))
            raise CommandError(_("导入失败：共%(n)d处错误，未导入任何机构。") % {"n": len(errors)})
        for code in result.updated:
            self.stdout.write(_("更新：%(code)s") % {"code": code})
        summary = _("新增%(c)d个，更新%(u)d个，未变化%(s)d个。") % {
            "c": len(result.created),
            "u": len(result.updated),
            "s": len(result.unchanged),
        }
        if options["dry_run"]:
            self.stdout.write(_("校验通过（未写入）：") + summary)
        else:
            self.stdout.write(self.style.SUCCESS(_("导入完成：") + summary))
