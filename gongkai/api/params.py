"""Bounded parameters shared by the routers.

A value out of range is refused at the edge with HTTP 422 and a Chinese message (``errors``)
instead of reaching the database, where integers end at 2**63 − 1 (SQLite raises
``OverflowError``, PostgreSQL ``DataError``) and ``datetime.date`` at year 9999 — each of those
used to be an HTTP 500.
"""

from typing import Annotated

from pydantic import Field

MAX_ID = 2**63 - 1
MAX_PAGE = 100_000
# Larger page sizes are accepted and clamped to each list's own maximum (documented there).
MAX_PAGE_SIZE_ASKED = 1_000
MIN_YEAR = 1900
MAX_YEAR = 2100

PageNumber = Annotated[int, Field(ge=1, le=MAX_PAGE, description="页码，从 1 开始，最大 100000")]
PageSize = Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE_ASKED, description="每页条数")]
ObjectId = Annotated[int, Field(ge=1, le=MAX_ID, description="编号（正整数）")]
Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR, description="年份（1900–2100）")]
