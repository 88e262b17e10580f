"""Shared plumbing of the atomic import commands (DESIGN.md "Contracts").

Every import validates the whole file before writing anything and reports every bad line with
its number (the header is line 1) and a Chinese reason. Commands read the file with these
helpers, hand the records to a service, and print the errors collected in `ImportRejected`.
"""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class LineError:
    line: int
    message: str

    def __str__(self) -> str:
        if self.line <= 0:
            return self.message
        return _("第%(line)d行：%(message)s") % {"line": self.line, "message": self.message}


def by_line(error: LineError) -> int:
    """Sort key: by line only, so the errors of one line keep the order they were found in."""
    return error.line


class ImportRejected(Exception):
    """The file (or its records) failed validation; nothing was written."""

    def __init__(self, errors: Iterable[LineError]):
        self.errors = sorted(errors, key=by_line)
        super().__init__("\n".join(str(e) for e in self.errors))


def decode_utf8(data: bytes) -> str:
    """UTF-8 with or without BOM; a bad byte is reported with the line it sits on."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportRejected(
            [LineError(line, _("文件不是UTF-8编码（第%(pos)d字节无法解码）") % {"pos": exc.start})]
        ) from exc


def read_csv_records(
    source: str | Path | bytes, *, columns: tuple[str, ...]
) -> tuple[list[tuple[int, dict[str, str]]], list[LineError]]:
    """Parse a CSV with a required header naming exactly ``columns`` (any order).

    Returns ``(records, errors)``: ``(line_number, {column: stripped value})`` per good data row
    and the rows that could not be read (wrong number of fields), so the caller can go on
    validating the good rows and report every bad line at once. Completely empty rows are
    skipped. A missing/bad header or a bad encoding raises `ImportRejected` straight away.
    """
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    text = decode_utf8(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    errors: list[LineError] = []
    try:
        header = next(reader)
    except StopIteration:
        raise ImportRejected([LineError(1, _("文件为空，缺少表头"))]) from None
    except csv.Error as exc:
        raise ImportRejected([LineError(1, _("表头格式错误：%(e)s") % {"e": exc})]) from exc
    names = [h.strip() for h in header]
    missing = [c for c in columns if c not in names]
    unknown = [n for n in names if n not in columns]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if missing or unknown or duplicated:
        parts = []
        if missing:
            parts.append(_("缺少列 %(c)s") % {"c": "、".join(missing)})
        if unknown:
            parts.append(_("无法识别的列 %(c)s") % {"c": "、".join(unknown) or _("（空列名）")})
        if duplicated:
            parts.append(_("重复的列 %(c)s") % {"c": "、".join(duplicated)})
        expected = ",".join(columns)
        message = _("表头应为 %(expected)s：%(problems)s") % {
            "expected": expected,
            "problems": "；".join(parts),
        }
        raise ImportRejected([LineError(1, message)])
    records: list[tuple[int, dict[str, str]]] = []
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(LineError(start, _("CSV格式错误：%(e)s") % {"e": exc}))
            break
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(names):
            errors.append(
                LineError(
                    start,
                    _("应有%(want)d列，实际%(got)d列") % {"want": len(names), "got": len(row)},
                )
            )
            continue
        records.append((start, {n: cell.strip() for n, cell in zip(names, row, strict=True)}))
    return records, errors


def write_errors(stream: OutputWrapper, rejected: ImportRejected) -> None:
    for error in rejected.errors:
        stream.write(str(error))


class CsvImportCommand(BaseCommand):
    """The shared shape of the atomic CSV import commands: FILE, --dry-run, --user."""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=_("CSV文件路径"))
        parser.add_argument("--dry-run", action="store_true", help=_("只校验，不写入"))
        parser.add_argument("--user", help=_("记入审计日志的操作人用户名"))

    def import_source(self, options: dict[str, Any]) -> tuple[Path, Any]:
        """The file to read and the user to record in the audit trail, or a Chinese error."""
        from django.contrib.auth import get_user_model

        User = get_user_model()
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("找不到文件：%(path)s") % {"path": path})
        acting_user = None
        if options.get("user"):
            acting_user = User.objects.filter(username=options["user"]).first()
            if acting_user is None:
                raise CommandError(_("找不到用户：%(u)s") % {"u": options["user"]})
        return path, acting_user
