"""索引号 formatting: pure rules, no ORM.

The national 目录系统实施指引 defines 索引号 as 前段码 (the publishing unit's code) "/" 后段码
(four-digit year "-" five-digit serial); agencies vary it (year+month, hyphens), so the format
is a per-organisation template. The serial restarts each year.
"""

import string

ALLOWED_FIELDS = {"code", "yyyy", "mm", "serial"}


class IndexFormatError(ValueError):
    pass


def validate_index_format(template: str) -> None:
    fields = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    unknown = fields - ALLOWED_FIELDS
    if unknown:
        raise IndexFormatError(f"索引号格式含有未知占位符：{'、'.join(sorted(unknown))}")
    if "serial" not in fields:
        raise IndexFormatError("索引号格式必须包含流水号占位符 {serial}")
    if "yyyy" not in fields:
        raise IndexFormatError("索引号格式必须包含年份占位符 {yyyy}，否则每年重新编号会产生重复")


def format_index_number(template: str, *, code: str, year: int, month: int, serial: int) -> str:
    # The 指引 drops the hyphen of an 组织机构代码 (XXXXXXXX-X) in the 前段码.
    return template.format(
        code=code.replace("-", ""), yyyy=f"{year:04d}", mm=f"{month:02d}", serial=serial
    )
