"""What a search asks (``SearchParams``), who asks (``Visibility``), and what it gets back."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..registry import split_key
from .schema import INT_FACETS


@dataclass
class Visibility:
    """Who asks: the public sees public docs; staff also see non-public docs of ``org_ids``."""

    org_ids: set[int] | None = field(default_factory=set)  # None = every organisation
    staff: bool = False

    @classmethod
    def public(cls) -> Visibility:
        return cls(org_ids=set(), staff=False)


@dataclass
class SearchParams:
    q: str = ""
    filters: dict[str, list[Any]] = field(default_factory=dict)  # facet field → accepted values
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "relevance"  # or "date"
    offset: int = 0
    limit: int = 10
    facets: bool = True
    facet_size: int = 50
    # 标题检索 (the national policy library's 标题/全文 switch): every run of the query must be
    # in the title or the 文号, not only somewhere in the text. A filter: it changes no score.
    title_only: bool = False


def filter_values(params: SearchParams) -> dict[str, list[Any]]:
    """The facet filters with their values typed as indexed (empty values dropped)."""
    out: dict[str, list[Any]] = {}
    for name, values in params.filters.items():
        kept = [v for v in values if v not in (None, "")]
        if kept:
            out[name] = [int(v) for v in kept] if name in INT_FACETS else [str(v) for v in kept]
    return out


@dataclass
class Hit:
    key: str
    type: str
    score: float
    title: str
    doc_number: str
    body: str
    external_id: str
    validity: str
    published: str
    status: str = ""

    @property
    def pk(self) -> int:
        return split_key(self.key)[1]

    @classmethod
    def from_stored(cls, stored: Any, score: float) -> Hit:
        """The hit of a stored tantivy document (its display copy, see documents.py)."""
        show = json.loads(bytes(stored["show"][0]))
        return cls(
            key=stored["key"][0],
            type=stored["type"][0],
            score=float(score),
            title=show["t"],
            doc_number=show["d"],
            body=show["b"],
            external_id=show["e"],
            validity=show["v"],
            published=show["p"],
            status=show.get("s", ""),
        )


@dataclass
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, dict[Any, int]]
    runs: list[str]
    exact_doc_number: str = ""  # the key when the query is one document's exact 文号
    total_approximate: bool = False  # a broad query's total is an estimate


@dataclass
class Found:
    """A page as the query strategies find it, before the stored fields are read."""

    hits: list[tuple[float, Any]]  # (score, DocAddress) of the page
    total: int
    facets: dict[str, dict[Any, int]]
    approximate: bool = False


def count_of(result: Any) -> int:
    """The number of matches tantivy counted for a search (0 when it did not count)."""
    return int(getattr(result, "count", 0) or 0)
