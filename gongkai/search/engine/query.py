"""Query building: the runs of a query as bigram phrases on ``full``, the fields that only add
weight (title, 文号, jieba words, the exact 文号), the relaxed form of long runs, and the
visibility, facet and date filters."""

from __future__ import annotations

from typing import Any

import tantivy

from .. import text
from .params import SearchParams, Visibility, filter_values
from .schema import day_number

# Field weights: a hit in the title or 文号 counts more than one in the body (issue 3 §2).
BOOST_TITLE = 4.0
BOOST_DOC_NUMBER = 5.0
BOOST_BODY = 1.0
BOOST_TITLE_WORDS = 1.5
BOOST_BODY_WORDS = 0.3
BOOST_EXACT_DOC_NUMBER = 200.0
BOOST_RELAXED_WHOLE_RUN = 2.0

Q, Occur = tantivy.Query, tantivy.Occur


def query_runs(params: SearchParams) -> list[str]:
    """The runs (CJK stretches, Latin/digit words) of the normalised query."""
    return text.query_runs(text.normalise(params.q.strip()))


def relaxed_words(run: str) -> list[str]:
    """The words (2+ characters) a CJK run of 3+ characters must contain when the query is
    relaxed; [] when the run is not relaxable (fewer than two such words)."""
    if not (text.is_cjk(run) and len(run) >= 3):
        return []
    words = [w for w in text.split_words(run) if len(w) >= 2]
    return words if len(words) >= 2 else []


def run_grams(run: str) -> list[str]:
    """The terms of a run of 2+ characters in the bigram fields."""
    return text.run_bigrams(run) if text.is_cjk(run) else [run]


def is_lone_char(run: str) -> bool:
    return text.is_cjk(run) and len(run) == 1


class QueryBuilder:
    def __init__(self, schema: tantivy.Schema):
        self.schema = schema

    def build(
        self, params: SearchParams, visibility: Visibility, *, relaxed: bool = False
    ) -> tuple[Any, list[str]]:
        """The exact query: every run must match (in ``full``); title and 文号 hits, jieba
        words and an exact 文号 add to the score."""
        runs = query_runs(params)
        match = self._text_query(params, runs, relaxed=relaxed) if runs else Q.all_query()
        clauses: list[tuple[Any, Any]] = [(Occur.Must, match)]
        for filt in self.filters(params, visibility):
            clauses.append((Occur.Must, Q.const_score_query(filt, 0.0)))
        return Q.boolean_query(clauses), runs

    def _text_query(self, params: SearchParams, runs: list[str], *, relaxed: bool) -> Any:
        must: list[tuple[Any, Any]] = [
            (Occur.Must, self.relaxed_run(run) if relaxed else self.run_query(run)) for run in runs
        ]
        must.extend(self.word_clauses(params, body=True))
        text_query = Q.boolean_query(must)
        exact = self.exact_doc_number_clause(params)
        if exact is not None:
            text_query = Q.boolean_query([(Occur.Should, exact), (Occur.Should, text_query)])
        return text_query

    def word_clauses(self, params: SearchParams, *, body: bool) -> list[tuple[Any, Any]]:
        """SHOULD clauses for the jieba words of the query (title words; body words too when
        ``body``): they only add to the score."""
        fields = [("title_words", BOOST_TITLE_WORDS)]
        if body:
            fields.append(("body_words", BOOST_BODY_WORDS))
        out: list[tuple[Any, Any]] = []
        for word in text.query_words(text.normalise(params.q.strip())):
            for name, boost in fields:
                term = Q.term_query(self.schema, name, word, index_option="freq")
                out.append((Occur.Should, Q.boost_query(term, boost)))
        return out

    def exact_doc_number_clause(self, params: SearchParams) -> Any:
        docnum = text.normalise_doc_number(params.q)
        if not docnum:
            return None
        return Q.boost_query(self.doc_number_term(docnum), BOOST_EXACT_DOC_NUMBER)

    def doc_number_term(self, docnum: str) -> Any:
        return Q.term_query(self.schema, "docnum_key", docnum, index_option="basic")

    def relaxed_run(self, run: str) -> Any:
        """A CJK run of 3+ characters that jieba splits into 2+ words must contain every word
        (each as an exact bigram phrase); containing the whole run only ranks higher. So
        `随迁子女入学` finds `随迁子女如何申请义务教育入学` and `双随机一公开` finds
        `双随机、一公开`, while exact phrases still come first."""
        words = relaxed_words(run)
        if not words:
            return self.run_query(run)
        parts: list[tuple[Any, Any]] = [(Occur.Must, self.run_query(w)) for w in words]
        parts.append((Occur.Should, Q.boost_query(self.run_query(run), BOOST_RELAXED_WHOLE_RUN)))
        return Q.boolean_query(parts)

    def field_run(self, name: str, run: str) -> Any:
        """Documents whose field ``name`` contains ``run``, scored by BM25."""
        if is_lone_char(run):
            return self._field_char(name, run)
        grams: list[Any] = run_grams(run)  # phrase_query wants list[str | tuple[int, str]]
        if len(grams) == 1:
            return Q.term_query(self.schema, name, grams[0])
        return Q.phrase_query(self.schema, name, grams)

    def _field_char(self, name: str, char: str) -> Any:
        if name == "full":
            return Q.term_query(self.schema, "chars", char)
        # In title and 文号 (which only add weight) a lone character counts where it is
        # indexed alone or starts a bigram: "X." walks a prefix of the term dictionary.
        return Q.boolean_query(
            [
                (Occur.Should, Q.term_query(self.schema, name, char)),
                (
                    Occur.Should,
                    Q.const_score_query(Q.regex_query(self.schema, name, f"{char}."), 0.5),
                ),
            ]
        )

    def title_match(self, run: str) -> Any:
        """The run in the title or the 文号, with their weights."""
        return Q.boolean_query(
            [
                (Occur.Should, Q.boost_query(self.field_run("title", run), BOOST_TITLE)),
                (
                    Occur.Should,
                    Q.boost_query(self.field_run("doc_number", run), BOOST_DOC_NUMBER),
                ),
            ]
        )

    def run_query(self, run: str) -> Any:
        """The run must be in ``full``; being in the title or 文号 as well adds their weight."""
        return Q.boolean_query(
            [
                (Occur.Must, Q.boost_query(self.field_run("full", run), BOOST_BODY)),
                (Occur.Should, self.title_match(run)),
            ]
        )

    def filters(self, params: SearchParams, visibility: Visibility) -> list[Any]:
        """What the viewer may see, the facet filters and the date range."""
        visible = self._visible(visibility)
        return ([] if visible is None else [visible]) + self.content_filters(params)

    def content_filters(self, params: SearchParams) -> list[Any]:
        """The filters a query asks for (标题检索, facets, dates), without visibility."""
        out: list[Any] = []
        if params.title_only:
            out.extend(self.title_match(run) for run in query_runs(params))
        for name, values in filter_values(params).items():
            out.append(Q.term_set_query(self.schema, name, values))
        if params.date_from or params.date_to:
            out.append(
                Q.range_query(
                    self.schema,
                    "day",
                    tantivy.FieldType.Integer,
                    day_number(params.date_from) if params.date_from else None,
                    day_number(params.date_to) if params.date_to else None,
                )
            )
        return out

    def _visible(self, visibility: Visibility) -> Any:
        """Public documents, plus the staff's own organisations' (None: everything)."""
        public = Q.term_query(self.schema, "public", 1)
        if not visibility.staff:
            return public
        if visibility.org_ids is None:
            return None
        own = (
            Q.term_set_query(self.schema, "org", sorted(visibility.org_ids))
            if visibility.org_ids
            else Q.empty_query()
        )
        return Q.boolean_query([(Occur.Should, public), (Occur.Should, own)])
