"""The index schema: its fields, the tokenizer tantivy itself runs, and how a date is indexed.

Text arrives pre-tokenised (``gongkai/search/text.py``) and most fields use tantivy's
whitespace tokenizer, so the Python side alone decides what a token is.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import tantivy

from .. import text

# Bumped whenever the fields change: an index of another version is rebuilt on open.
SCHEMA_VERSION = 5
CHARS_TOKENIZER = "cjk_char"
# Every document falls in one of SAMPLE_SLICES slices (crc32 of its key, the ``sample`` field).
# A broad query counts its matches and facets on as many slices as hold about
# SAMPLE_CANDIDATES documents (see broad.py).
SAMPLE_SLICES = 64
EPOCH = date(1970, 1, 1)

FACET_FIELDS = ("type", "policy_kind", "org", "year", "topic", "audience", "special", "validity")
INT_FACETS = {"org", "year", "topic", "audience", "special"}


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("key", stored=True, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("type", stored=True, fast=True, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("title", tokenizer_name="whitespace")
    sb.add_text_field("title_words", tokenizer_name="whitespace", index_option="freq")
    sb.add_text_field("doc_number", tokenizer_name="whitespace")
    sb.add_text_field("docnum_key", tokenizer_name="raw", index_option="basic")
    # Title, 文号 and body in one field: whether a document matches is decided here, by one
    # phrase per query run. Matching against three fields meant a union per run, and tantivy
    # advances a union by filling 4,096-document windows from every field: a rare run
    # intersected with a common one then verified the common phrase on most of the index.
    sb.add_text_field("full", tokenizer_name="whitespace")
    sb.add_text_field("body_words", tokenizer_name="whitespace", index_option="freq")
    # Every CJK character of title, 文号 and body (cut by tantivy itself, see CHARS_TOKENIZER),
    # without positions: a one-character query is one posting list instead of a walk over
    # every bigram that starts or ends with the character.
    sb.add_text_field("chars", tokenizer_name=CHARS_TOKENIZER, index_option="basic")
    sb.add_text_field("policy_kind", fast=True, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("validity", fast=True, tokenizer_name="raw", index_option="basic")
    # ``uid``: one integer per document, so a broad query can restrict its verification step
    # to the candidates it found (engine/ranking.py).
    for name in ("org", "year", "topic", "audience", "special", "public", "day", "sample", "uid"):
        sb.add_integer_field(name, indexed=True, fast=True)
    # The static prior (kind × date) that weight_by_field multiplies the score by, one per
    # query family (engine/ranking.py).
    sb.add_float_field("rank_policy", fast=True)
    sb.add_float_field("rank_news", fast=True)
    sb.add_bytes_field("show", stored=True)
    return sb.build()


def open_index(schema: tantivy.Schema, path: Path, *, reuse: bool) -> tantivy.Index:
    """The index at ``path`` with the tokenizers the schema names registered."""
    index = tantivy.Index(schema, path=str(path), reuse=reuse)
    index.register_tokenizer(
        CHARS_TOKENIZER,
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.regex(f"[{text.CJK_RANGES}]")).build(),
    )
    return index


def day_number(value: date | None) -> int:
    """The ``day`` field: days since 1970-01-01 (0 when there is no date)."""
    return (value - EPOCH).days if value else 0
