"""GB/T 4754-2017 《国民经济行业分类》 codes, checked by their form (pure, no ORM).

No machine-readable copy of the full code list is available offline, so a code is accepted
when it has the standard's shape: a section letter A–T (门类) alone, or followed by the 2-digit
division (大类), 3-digit group (中类) or 4-digit class (小类), whose division lies in the
section's range below (GB/T 4754-2017 表1). "C39", "C391" and "C3911" are valid, "C01" (a
division of section A) and "U01" are not. A group or class that does not exist in the standard
but has the right shape and division (e.g. "C3999") is accepted.
"""

import re

# 门类 → the 大类 it covers (GB/T 4754-2017).
SECTION_DIVISIONS: dict[str, tuple[int, int]] = {
    "A": (1, 5),
    "B": (6, 12),
    "C": (13, 43),
    "D": (44, 46),
    "E": (47, 50),
    "F": (51, 52),
    "G": (53, 60),
    "H": (61, 62),
    "I": (63, 65),
    "J": (66, 69),
    "K": (70, 70),
    "L": (71, 72),
    "M": (73, 75),
    "N": (76, 79),
    "O": (80, 82),
    "P": (83, 83),
    "Q": (84, 85),
    "R": (86, 90),
    "S": (91, 96),
    "T": (97, 97),
}

# 门类 names (GB/T 4754-2017), shown instead of a bare section letter on public pages.
SECTION_NAMES: dict[str, str] = {
    "A": "农、林、牧、渔业",
    "B": "采矿业",
    "C": "制造业",
    "D": "电力、热力、燃气及水生产和供应业",
    "E": "建筑业",
    "F": "批发和零售业",
    "G": "交通运输、仓储和邮政业",
    "H": "住宿和餐饮业",
    "I": "信息传输、软件和信息技术服务业",
    "J": "金融业",
    "K": "房地产业",
    "L": "租赁和商务服务业",
    "M": "科学研究和技术服务业",
    "N": "水利、环境和公共设施管理业",
    "O": "居民服务、修理和其他服务业",
    "P": "教育",
    "Q": "卫生和社会工作",
    "R": "文化、体育和娱乐业",
    "S": "公共管理、社会保障和社会组织",
    "T": "国际组织",
}

_SHAPE = re.compile(r"^([A-T])(\d{2,4})?$")


def normalise_code(code: str) -> str:
    return code.strip().upper()


def is_valid_code(code: str) -> bool:
    """True when ``code`` (already normalised) has the GB/T 4754-2017 shape and its division
    belongs to its section."""
    match = _SHAPE.match(code)
    if match is None:
        return False
    digits = match.group(2)
    if digits is None:
        return True
    low, high = SECTION_DIVISIONS[match.group(1)]
    return low <= int(digits[:2]) <= high


def code_label(code: str) -> str:
    """A section letter as its name (C → 制造业), any deeper code as itself (C39)."""
    return SECTION_NAMES.get(code, code)


def code_prefixes(code: str) -> list[str]:
    """Every level a code belongs to, broadest first: "C3911" → C, C39, C391, C3911.

    A listed industry matches a profile when it is one of these (a prefix of its code)."""
    if not code:
        return []
    levels = [code[:1]] + [code[:n] for n in (3, 4, 5) if len(code) >= n]
    return list(dict.fromkeys(levels))
