"""Relevance beyond BM25 (issue 18): a static prior per document — its kind and its date — and
the top-k of a broad query without scoring every match.

**The prior.** tantivy's ``weight_by_field`` multiplies the BM25 score by ``log2(2 + v)`` of a
fast field, so a field holding ``2**F - 2`` multiplies by ``F``. Each document stores two such
values, both the product of a kind factor and a date factor:

- ``rank_policy``, the most a document's kind can count: 规范性文件 and other policies ×1.6,
  解读 ×1.5, 问答 ×1.3, other 公文 ×1.15, news (体裁 其他) ×1; a repealed or expired
  document ×0.85 of that (still listed, with its badge, but below the valid one);
- ``rank_news``, for queries that ask for events (会议, 调研, 活动 …): kinds equal.

**How much of the kind factor a query applies** (``gated_factor``, ``PriorRanker``): the
share ``kind_spread`` — all of it for a query naming a kind of policy document (办法, 政策,
意见 …), half for a query naming a subject (课后服务 收费: the reader wants the policy, its
解读 and the notice that implements it), none for an event — times the share of the query's
runs that the document's title or 文号 names: the kind prior is about documents *about* the
query, and a policy that only mentions the query's words in its text is no likelier to be
wanted than a news item that does. The gated factor depends on the query, so it is applied
after the fact to the best RERANK_DEPTH documents by the stored one (Addendum 6 of ADR 0002).

The date factor runs linearly from ×1 (2010 and before) to ×1.3 (2030): ten years cost about
14 %, enough to put the newer of two similar documents first, never enough to bury an exact
old policy under a passing new mention (whose BM25 is several times lower).

**Top-k of a broad query** (``TopK``): scoring every match of `政务公开` (half a million
documents) takes 100–400 ms. Instead:

1. *candidates*: a pure disjunction of the query's bigram terms on ``full``, ``title`` and
   ``doc_number`` (with their weights), searched without counting, so tantivy runs block-max
   WAND over the posting lists and skips every block that cannot reach the current top-k; a
   facet or date filter is intersected with it, so the candidates are the filter's own best;
   and where it is cheaper, so is the rarest term of every run (``TopK.required``), which any
   match must hold;
2. *verification*: the real query — phrases, filters, the relaxed form, the prior — restricted
   to those candidates through the ``uid`` field (a union of one-document terms, so the
   candidates lead the intersection): phrases are checked on at most ``k`` documents.

``k`` (CANDIDATES) is the same for every page and filter of a query, so the pages of a broad
query are slices of one list: the verified candidates by relevance, then the other matches
newest first.

The first page is the real query's ranking among the best ``k`` documents by bigram BM25, which
holds the real top 10 unless a document ranks high by its phrases and low by its bigrams (a
document that contains the bigrams of the query mostly apart); ``benchmarks/search.py`` measures
how often that costs recall against the raw BM25 top 10.
"""

from __future__ import annotations

import json
import math
import zlib
from collections.abc import Sequence
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

# How many candidates the disjunction hands to verification: the ranked head of a broad query's
# results (places past it continue newest first). The same for every page and every filter of a
# query — the facet and date filters are part of the disjunction's search — so consecutive
# pages are slices of one ranking. At a million documents block-max WAND costs the same for 100
# or 300 (measured), and verification about 5 µs per candidate.
CANDIDATES = 300
# The candidates' search requires the rarest term of each run (``TopK.required``) when that
# term is in at most this share of the index (with a facet or date filter: the second), where
# the intersection it leads costs less than block-max WAND over the union (measured on the
# 1,000,213-document corpus, ADR 0002 addendum 8).
REQUIRE_SHARE = 0.10
REQUIRE_SHARE_FILTERED = 0.25


# How much of the stored kind factor a query applies (``gated_factor``, ``PriorRanker``): a
# query naming a kind of policy document asks for policies — all of it; a query naming an event
# asks for news — none (the ``rank_news`` field); any other query names a subject, where the
# policy is one of several documents a reader wants (its 解读, the notice that implements it) —
# SUBJECT_SPREAD of it. Not 通知/公告: a query naming them asks for those, not for policies.
POLICY_MARKERS = (
    "政策", "文件", "办法", "规定", "条例", "细则", "意见", "措施", "方案", "规划", "决定",
    "规章", "解读",
)  # fmt: skip
SUBJECT_SPREAD = 0.5
# The first RERANK_DEPTH documents by the stored prior are re-ranked with the gated one.
RERANK_DEPTH = 50


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


def candidate_count() -> int:
    """How many candidates a broad query verifies (CANDIDATES, read when asked: tests change it)."""
    return CANDIDATES


class TopK:
    """The two steps above for one query (see the module docstring)."""

    def __init__(self, schema: tantivy.Schema, boosts: dict[str, float]):
        self.schema = schema
        self.boosts = boosts  # field → weight of its bigram terms in the disjunction
        self.ranker = PriorRanker()

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

    def candidates(
        self,
        searcher: Any,
        runs: list[str],
        count: int,
        filters: Sequence[Any] = (),
        *,
        alternative: Any = None,
    ) -> list[int]:
        """The ``uid`` of the best ``count`` documents by bigram BM25 (no counting: pruned)
        among those that pass ``filters`` (facets, dates; not visibility, see ``BroadSearch``)
        and, when it is cheaper (``required``), hold the rarest term of every run or match
        ``alternative`` (the exact-文号 clause, which matches without the runs)."""
        query = self.disjunction(searcher, runs)
        must = [(Occur.Must, Q.const_score_query(f, 0.0)) for f in filters]
        required = self.required(searcher, runs, filtered=bool(filters))
        if required is not None:
            if alternative is not None:
                required = Q.boolean_query([(Occur.Should, required), (Occur.Should, alternative)])
            must.append((Occur.Must, Q.const_score_query(required, 0.0)))
        if must:
            query = Q.boolean_query([(Occur.Must, query), *must])
        found = searcher.search(query, limit=count, count=False)
        addresses = [address for _score, address in found.hits]
        if not addresses:
            return []
        return [int(v) for v in searcher.fast_field_values("uid", addresses) if v is not None]

    def required(self, searcher: Any, runs: list[str], *, filtered: bool) -> Any:
        """The rarest term of each run, all required (None when not worth it): a document
        without it cannot match the run, so requiring it only removes candidates that
        verification would reject, and the top ``k`` by the same bigram score holds every real
        match it held before, and possibly more. It is worth it when the rarest of those
        terms is rare (REQUIRE_SHARE of the index, REQUIRE_SHARE_FILTERED with a facet or
        date filter): the intersection is then led by that term's postings. Without a filter
        the union alone is pruned by block-max WAND, which a required clause switches off —
        for the most common terms that costs more than it saves (ADR 0002 addendum 8)."""
        terms: list[tuple[int, str, str]] = []
        for run in dict.fromkeys(runs):
            if text.is_cjk(run) and len(run) == 1:
                terms.append((int(searcher.doc_freq("chars", run)), "chars", run))
                continue
            grams = text.run_bigrams(run) if text.is_cjk(run) else [run]
            terms.append(min((int(searcher.doc_freq("full", g)), "full", g) for g in grams))
        if not terms:
            return None
        share = REQUIRE_SHARE_FILTERED if filtered else REQUIRE_SHARE
        if min(terms)[0] > share * max(1, int(searcher.num_docs)):
            return None
        return Q.boolean_query(
            [(Occur.Must, Q.term_query(self.schema, name, term)) for _df, name, term in terms]
        )

    def verify(
        self,
        searcher: Any,
        query: Any,
        uids: list[int],
        runs: list[str],
        *,
        limit: int,
        offset: int,
        q: str,
    ) -> tuple[list[tuple[float, Any]], int]:
        """The real query among the candidates, ranked with the prior (``PriorRanker``): the
        page and how many candidates match."""
        within = Q.const_score_query(uid_query(self.schema, uids), 0.0)
        restricted = Q.boolean_query([(Occur.Must, query), (Occur.Must, within)])
        return self.ranker.page(searcher, restricted, runs, q=q, limit=limit, offset=offset)


def uid_query(schema: tantivy.Schema, uids: list[int]) -> Any:
    """The documents of ``uids``: a union of one-document term queries. A ``term_set_query``
    matches the same documents but cost about 10 µs per value (300 candidates: 3–5 ms), a
    union of term queries a third of that; both lead the intersection they are in."""
    return Q.boolean_query([(Occur.Should, Q.term_query(schema, "uid", uid)) for uid in uids])


def kind_spread(q: str) -> float:
    """The share of the stored kind factor a query applies (see POLICY_MARKERS)."""
    if any(marker in q for marker in NEWS_MARKERS):
        return 0.0
    if any(marker in q for marker in POLICY_MARKERS):
        return 1.0
    return SUBJECT_SPREAD


def gated_factor(stored: float, recency: float, title_share: float, spread: float) -> float:
    """The prior a document gets for one query: its stored factor (kind × date, as
    ``weight_by_field`` applies it) with the kind part scaled by the query's ``spread`` and by
    ``title_share``, the share of the query's runs in the document's title or 文号 — the kind
    prior is about documents *about* the query: a policy that only mentions the query's words
    in its text is no likelier to be wanted than a news item that does. Never above the stored
    factor (``PriorRanker`` relies on that); a factor below ×1 (a repealed 公文) is kept."""
    kind = stored / recency
    if kind <= 1.0:
        return stored
    return recency * (1.0 + (kind - 1.0) * spread * title_share)


class PriorRanker:
    """The page of a query ranked by BM25 × the gated prior (``gated_factor``).

    tantivy multiplies by one stored field only, so the gated prior is applied after the
    fact: the best RERANK_DEPTH matches by BM25 × the stored prior are re-scored — the stored
    factor and the date factor read back from the two prior fields, the title and 文号 from
    the stored display copy the page's hits are read from — and sorted again. The gated
    factor is never above the stored one, so a document below the depth can only outrank a
    re-scored one that lost more than it would (the lowest stored score in the depth bounds
    it); with 50 re-scored for a page of 10 that takes a run of near-equal scores. Places
    beyond the depth keep the stored prior's order; the depth does not depend on the page,
    so consecutive pages neither repeat nor skip a document."""

    def page(
        self,
        searcher: Any,
        query: Any,
        runs: list[str],
        *,
        q: str,
        limit: int,
        offset: int,
    ) -> tuple[list[tuple[float, Any]], int]:
        """(score, address) of the page of ``query`` (built from the text ``q``, whose runs are
        ``runs``) and the number of matches."""
        prior = prior_field(q)
        if prior != "rank_policy" or not runs:  # no kind factor: the stored order is final
            found = searcher.search(query, limit=limit, offset=offset, weight_by_field=prior)
            return list(found.hits), int(getattr(found, "count", 0) or 0)
        found = searcher.search(
            query, limit=max(RERANK_DEPTH, offset + limit), weight_by_field=prior
        )
        hits = list(found.hits)
        head = self.rescored(searcher, hits[:RERANK_DEPTH], runs, kind_spread(q))
        page = (head + hits[RERANK_DEPTH:])[offset : offset + limit]
        return page, int(getattr(found, "count", 0) or 0)

    def rescored(
        self, searcher: Any, hits: list[tuple[float, Any]], runs: list[str], spread: float
    ) -> list[tuple[float, Any]]:
        """``hits`` (scored with the stored prior) re-scored with the gated one, best first."""
        if not hits:
            return []
        addresses = [address for _score, address in hits]
        stored = searcher.fast_field_values("rank_policy", addresses)
        dated = searcher.fast_field_values("rank_news", addresses)
        out = []
        for (score, address), s, d in zip(hits, stored, dated, strict=True):
            factor = math.log2(2.0 + (s or 0.0))
            recency = math.log2(2.0 + (d or 0.0))
            # Only a kind factor above ×1 is gated: read the title for those alone.
            gated = factor
            if spread and factor > recency:
                share = title_share(searcher.doc(address), runs)
                gated = gated_factor(factor, recency, share, spread)
            out.append((float(score) * gated / factor, address))
        out.sort(key=lambda hit: -hit[0])  # stable: ties keep the stored order
        return out


def title_share(stored: Any, runs: list[str]) -> float:
    """The share of the query's runs (normalised) in the stored title or 文号 of a document:
    what the ``title``/``doc_number`` phrase queries match, read from the display copy —
    cheaper than a query restricted to the re-scored documents."""
    show = json.loads(bytes(stored["show"][0]))
    named = f"{text.normalise(show.get('t') or '')}|{text.normalise(show.get('d') or '')}"
    distinct = set(runs)
    return sum(1 for run in distinct if run in named) / len(distinct)
