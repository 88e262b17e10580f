"""Relevance beyond BM25 (issue 18): a static prior per document — its kind and its date — and
the top-k of a broad query without scoring every match.

**The prior.** tantivy's ``weight_by_field`` multiplies the BM25 score by ``log2(2 + v)`` of a
fast field, so a field holding ``2**F - 2`` multiplies by ``F``. Each document stores two such
values, both the product of a kind factor and a date factor:

- ``rank_policy``, for policy-like queries (the default): 规范性文件 and other policies ×1.6,
  解读 ×1.5, 问答 ×1.3, other 公文 ×1.15, news (体裁 其他) ×1; a repealed or expired
  document ×0.85 of that (still listed, with its badge, but below the valid one);
- ``rank_news``, for queries that ask for events (会议, 调研, 活动 …): kinds equal.

The date factor runs linearly from ×1 (2010 and before) to ×1.3 (2030): ten years cost about
14 %, enough to put the newer of two similar documents first, never enough to bury an exact
old policy under a passing new mention (whose BM25 is several times lower).

**Top-k of a broad query** (``TopK``): scoring every match of `政务公开` (half a million
documents) takes 100–400 ms. Instead:

1. *candidates*: a pure disjunction of the query's bigram terms on ``full``, ``title`` and
   ``doc_number`` (with their weights), searched without counting, so tantivy runs block-max
   WAND over the posting lists and skips every block that cannot reach the current top-k;
2. *verification*: the real query — phrases, filters, the relaxed form, the prior — restricted
   to those candidates through the ``uid`` fast field (a term set, so the candidates lead the
   intersection): phrases are checked on at most ``k`` documents.

The first page is the real query's ranking among the best ``k`` documents by bigram BM25, which
holds the real top 10 unless a document ranks high by its phrases and low by its bigrams (a
document that contains the bigrams of the query mostly apart); ``benchmarks/search.py`` measures
how often that costs recall against the raw BM25 top 10.
"""

from __future__ import annotations

import zlib
from datetime import date
from typing import Any

import tantivy

from .. import text
from .schema import day_number

Q, Occur = tantivy.Query, tantivy.Occur

PRIOR_FIELDS = ("rank_policy", "rank_news")
KIND_FACTOR = {"policy": 1.6, "interpretation": 1.5, "qa": 1.3, "document": 1.15, "news": 1.0}
INACTIVE_FACTOR = 0.85
RECENCY_FROM = day_number(date(2010, 1, 1))
RECENCY_TO = day_number(date(2030, 1, 1))
RECENCY_SPAN = 0.3
# A query naming an event asks for news; any other query is treated as policy-like.
NEWS_MARKERS = (
    "会议", "召开", "调研", "活动", "新闻", "动态", "发布会", "座谈", "视察", "考察", "走访",
    "宣讲", "推进会", "部署会", "简报", "要闻",
)  # fmt: skip
NEWS_GENRES = {"other"}
UID_SHIFT = 40

# How many candidates the disjunction hands to verification, at least (page 1 and its
# neighbours); deeper pages ask for CANDIDATE_FACTOR × (offset + limit), up to CANDIDATE_MAX.
CANDIDATES_MIN = 300
CANDIDATE_FACTOR = 3
CANDIDATE_MAX = 3000


def doc_kind(doc_type: str, genre: str) -> str:
    if doc_type != "item":
        return doc_type if doc_type in KIND_FACTOR else "document"
    return "news" if genre in NEWS_GENRES else "document"


def recency_factor(day: int) -> float:
    share = (day - RECENCY_FROM) / (RECENCY_TO - RECENCY_FROM)
    return 1.0 + RECENCY_SPAN * min(1.0, max(0.0, share))


def prior_values(*, doc_type: str, genre: str, validity: str, day: int) -> dict[str, float]:
    """The stored values of PRIOR_FIELDS for one document."""
    recency = recency_factor(day)
    kind = KIND_FACTOR[doc_kind(doc_type, genre)]
    if validity in ("repealed", "expired"):
        kind *= INACTIVE_FACTOR
    factors = {"rank_policy": kind * recency, "rank_news": recency}
    return {name: 2.0 ** max(1.0, factor) - 2.0 for name, factor in factors.items()}


def prior_field(q: str) -> str:
    """Which prior ranks this query: news-like queries do not favour policies."""
    return "rank_news" if any(marker in q for marker in NEWS_MARKERS) else "rank_policy"


def uid_of(key: str) -> int:
    """A unique integer per document key ("item:12" → prefix code << 40 | 12)."""
    prefix, _, pk = key.partition(":")
    return (zlib.crc32(prefix.encode()) % 4096) << UID_SHIFT | int(pk)


def candidate_count(offset: int, limit: int, *, share: float = 1.0) -> int:
    """How many candidates to verify: enough for the page (and, when facet filters keep only
    ``share`` of the index, as many more), within CANDIDATES_MIN..CANDIDATE_MAX."""
    wanted = max(CANDIDATES_MIN, CANDIDATE_FACTOR * (offset + limit)) / max(share, 1e-6)
    return max(CANDIDATES_MIN, min(CANDIDATE_MAX, round(wanted)))


class TopK:
    """The two steps above for one query (see the module docstring)."""

    def __init__(self, schema: tantivy.Schema, boosts: dict[str, float]):
        self.schema = schema
        self.boosts = boosts  # field → weight of its bigram terms in the disjunction

    def disjunction(self, searcher: Any, runs: list[str]) -> Any:
        """Every bigram (or character) of every run, as boosted term queries, OR-ed: tantivy
        recognises a pure union of term scorers and prunes it with block-max WAND. Terms no
        document holds are left out (an empty scorer is not a term scorer: no pruning)."""
        clauses: list[tuple[Any, Any]] = []
        seen: set[tuple[str, str]] = set()
        for run in runs:
            if text.is_cjk(run) and len(run) == 1:
                pairs = [("chars", run, 1.0)]
            else:
                grams = text.run_bigrams(run) if text.is_cjk(run) else [run]
                pairs = [(name, g, boost) for name, boost in self.boosts.items() for g in grams]
            for name, term, boost in pairs:
                if (name, term) in seen or not searcher.doc_freq(name, term):
                    continue
                seen.add((name, term))
                query = Q.term_query(self.schema, name, term)
                clauses.append((Occur.Should, Q.boost_query(query, boost)))
        return Q.boolean_query(clauses)

    def candidates(self, searcher: Any, runs: list[str], count: int) -> list[int]:
        """The ``uid`` of the best ``count`` documents by bigram BM25 (no counting: pruned)."""
        found = searcher.search(self.disjunction(searcher, runs), limit=count, count=False)
        addresses = [address for _score, address in found.hits]
        if not addresses:
            return []
        return [int(v) for v in searcher.fast_field_values("uid", addresses) if v is not None]

    def verify(
        self, searcher: Any, query: Any, uids: list[int], *, limit: int, offset: int, prior: str
    ) -> Any:
        """The real query among the candidates, ranked with the prior."""
        within = Q.const_score_query(Q.term_set_query(self.schema, "uid", uids), 0.0)
        restricted = Q.boolean_query([(Occur.Must, query), (Occur.Must, within)])
        return searcher.search(
            restricted, limit=limit, offset=offset, count=True, weight_by_field=prior
        )
