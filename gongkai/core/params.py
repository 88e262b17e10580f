"""Query-string values read by hand in views: integers and dates inside what the databases and
``datetime`` can hold.

A value outside these bounds used to reach the database or ``datetime`` arithmetic and answer
HTTP 500 (SQLite ``OverflowError`` above 2**63 − 1, ``date.max + 1 day``, a time-zone shift of
``date.min``); read it through here and it is simply not a valid value.
"""

from __future__ import annotations

import datetime

MAX_INT_VALUE = 2**63 - 1
MAX_PAGE = 100_000
# Dates people and agencies enter: 1900 covers the oldest documents an agency imports, 2100 any
# deadline; both leave room for a day's arithmetic and a time-zone shift.
MIN_DATE = datetime.date(1900, 1, 1)
MAX_DATE = datetime.date(2100, 12, 31)


def bounded_int(text: str | None, *, low: int = 1, high: int = MAX_INT_VALUE) -> int | None:
    """``text`` as an integer in ``[low, high]``, else ``None``. ASCII digits only (``"²"``
    passes ``str.isdigit`` but not ``int``), and the length is checked before converting so a
    10,000-digit value never reaches ``int`` (which refuses more than 4,300 digits)."""
    text = (text or "").strip()
    if not text or len(text) > 19 or not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if low <= value <= high else None
