"""Validation rules of `gongkai import_organisations` (pure: no ORM, so it is easy to test).

The file describes part of the agency tree: ``code,name,parent_code,kind``. A parent may be an
organisation already in the database or any row of the same file (order does not matter), so
the rules are checked against the tree as it would be *after* the import.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from gongkai.core.imports import LineError, by_line

COLUMNS = ("code", "name", "parent_code", "kind")
KINDS = ("government", "department", "other")
CODE_MAX = 32  # Organisation.code max_length
NAME_MAX = 200  # Organisation.name max_length
# The code is the first segment of every 索引号 ("<code>/<yyyy>-<serial>"), so it must not
# contain "/" or spaces; 统一社会信用代码 (18 characters), 组织机构代码 ("12345678-9") and local
# codes all fit this alphabet.
CODE_PATTERN = re.compile(r"^[0-9A-Za-z._-]+$")


@dataclass(frozen=True)
class OrganisationRow:
    line: int
    code: str
    name: str
    parent_code: str
    kind: str

    @classmethod
    def from_record(cls, line: int, record: Mapping[str, str]) -> "OrganisationRow":
        return cls(
            line=line,
            code=record.get("code", "").strip(),
            name=record.get("name", "").strip(),
            parent_code=record.get("parent_code", "").strip(),
            kind=record.get("kind", "").strip(),
        )


# --- the rules of one organisation's fields, shared by the import and the back office's
# "新建机构" (accounts.services.organisation_create): one set of rules, one set of messages.


def code_error(code: str) -> str | None:
    if not code:
        return _("机构代码（code）不能为空")
    if len(code) > CODE_MAX:
        return _("机构代码“%(code)s”过长（%(n)d个字符，最多%(max)d个）") % {
            "code": code,
            "n": len(code),
            "max": CODE_MAX,
        }
    if not CODE_PATTERN.match(code):
        return _("机构代码“%(code)s”含有不允许的字符（只能使用字母、数字和 . _ -）") % {
            "code": code
        }
    return None


def name_error(name: str) -> str | None:
    if not name:
        return _("机构名称（name）不能为空")
    if len(name) > NAME_MAX:
        return _("机构名称过长（%(n)d个字符，最多%(max)d个）") % {"n": len(name), "max": NAME_MAX}
    return None


def kind_error(kind: str) -> str | None:
    if kind not in KINDS:
        return _("机构类型（kind）“%(kind)s”无效，应为 government、department 或 other") % {
            "kind": kind
        }
    return None


def validate_rows(
    rows: Iterable[OrganisationRow], existing_parents: Mapping[str, str | None]
) -> list[LineError]:
    """Every problem of every row. ``existing_parents`` maps each code in the database to its
    parent's code (or None) so that cycles through existing organisations are caught too."""
    rows = list(rows)
    file_codes = {r.code for r in rows}
    errors: list[LineError] = []
    first_line: dict[str, int] = {}
    usable: dict[str, OrganisationRow] = {}
    for row in rows:
        problem = code_error(row.code)
        if problem:
            errors.append(LineError(row.line, problem))
        elif row.code in first_line:
            errors.append(
                LineError(
                    row.line,
                    _("机构代码“%(code)s”与第%(first)d行重复")
                    % {"code": row.code, "first": first_line[row.code]},
                )
            )
        else:
            first_line[row.code] = row.line
            usable[row.code] = row
        for problem in (name_error(row.name), kind_error(row.kind)):
            if problem:
                errors.append(LineError(row.line, problem))
        if row.parent_code and row.parent_code == row.code:
            errors.append(
                LineError(
                    row.line, _("上级机构代码不能是本机构自己（%(code)s）") % {"code": row.code}
                )
            )
        elif (
            row.parent_code
            and row.parent_code not in existing_parents
            and row.parent_code not in file_codes
        ):
            errors.append(
                LineError(
                    row.line,
                    _("上级机构代码“%(parent)s”既不在系统中，也不在本文件中")
                    % {"parent": row.parent_code},
                )
            )
    errors.extend(_cycle_errors(usable, existing_parents))
    return sorted(errors, key=by_line)


def _cycle_errors(
    rows: Mapping[str, OrganisationRow], existing_parents: Mapping[str, str | None]
) -> list[LineError]:
    """Walk the tree as it would be after the import; report each file row that sits on a loop."""
    parent_of: dict[str, str | None] = dict(existing_parents)
    for code, row in rows.items():
        parent_of[code] = row.parent_code or None
    errors: list[LineError] = []
    reported: set[str] = set()
    for start in rows:
        path: list[str] = []
        seen: set[str] = set()
        current: str | None = start
        while current is not None and current not in seen:
            seen.add(current)
            path.append(current)
            current = parent_of.get(current)
        if current is None or current != start or start in reported:
            continue
        # `path` is the loop, starting and (implicitly) ending at `start`; self-loops are
        # already reported as their own error.
        if len(path) == 1:
            reported.add(start)
            continue
        loop = " → ".join([*path, start])
        for code in path:
            reported.add(code)
            if code in rows:
                errors.append(
                    LineError(
                        rows[code].line,
                        _("上级关系形成循环：%(loop)s") % {"loop": loop},
                    )
                )
    return errors
