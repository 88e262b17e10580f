"""Pure text processing for search: normalisation, CJK bigrams, words, 文号 keys, highlighting.

Everything here is deterministic and ORM-free; the index and the query side call the same
functions, so a document and a query written in different forms meet on the same tokens.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import numpy as np
import opencc
import rjieba

USER_DICT_PATH = Path(__file__).parent / "data" / "user_dict.txt"

# Every bracket variant seen in 文号 (〔〕 is the GB/T 9704 form; people type [] （） 【】 ［］).
_BRACKETS_OPEN = "〔［【（[(｛{〖"
_BRACKETS_CLOSE = "〕］】）])｝}〗"
_BRACKET_TABLE = {ord(c): "(" for c in _BRACKETS_OPEN} | {ord(c): ")" for c in _BRACKETS_CLOSE}

# CJK ideographs (URO + Ext A + compatibility) form runs that are cut into bigrams; Latin
# letters and digits form plain tokens; everything else separates tokens.
_CJK = CJK_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN_RE = re.compile(f"[{_CJK}]+|[a-z0-9]+")
_CJK_RUN_RE = re.compile(f"[{_CJK}]+")
_CJK_CHAR_RE = re.compile(f"[{_CJK}]")
_DOCNUM_DROP_RE = re.compile(r"[\s·•．.]+")


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _jieba() -> rjieba.Jieba:
    jieba = rjieba.Jieba()
    for word in user_dictionary_words():
        jieba.add_word(word, 2000, "nz")
    return jieba


def warm_up() -> None:
    """Load the segmentation dictionaries and the t2s converter now (each is loaded once)."""
    _jieba()
    _plain_jieba()
    _t2s()


def user_dictionary_words() -> list[str]:
    """Words of the government user dictionary (one per line; '#' starts a comment)."""
    words: list[str] = []
    if USER_DICT_PATH.exists():
        for line in USER_DICT_PATH.read_text(encoding="utf-8").splitlines():
            word = line.split("#", 1)[0].strip().split(" ")[0]
            if word:
                words.append(word)
    return words


def _norm_char(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch)
    return folded.lower() if len(folded) == 1 else ch.lower()


@lru_cache(maxsize=1)
def _char_table() -> dict[int, str]:
    """A length-preserving per-character table: full-width → half-width, brackets → ( )."""
    table: dict[int, str] = {}
    for code in range(0x20, 0x3000):
        ch = chr(code)
        folded = _norm_char(ch)
        if folded != ch:
            table[code] = folded
    for code in range(0xFF01, 0xFF5F):  # full-width ASCII forms
        table[code] = _norm_char(chr(code))
    table[0x3000] = " "  # ideographic space
    table.update(_BRACKET_TABLE)
    return table


@lru_cache(maxsize=1)
def _fold_re() -> re.Pattern[str]:
    """One character class of every code point the table changes: most government text has
    only a few, so substituting the matches beats translating every character."""
    codes = sorted(_char_table())
    ranges: list[str] = []
    start = prev = codes[0]
    for code in [*codes[1:], -1]:
        if code == prev + 1:
            prev = code
            continue
        ranges.append(re.escape(chr(start)) + ("-" + re.escape(chr(prev)) if prev > start else ""))
        start = prev = code
    return re.compile("[" + "".join(ranges) + "]")


def _fold(match: re.Match[str]) -> str:
    return _char_table()[ord(match.group())]


def normalise(text: str) -> str:
    """Fold width, brackets, case and traditional characters; the result has the same length.

    Keeping the length lets highlighting map matches in the normalised text straight back to
    the original characters.
    """
    if not text:
        return ""
    folded = _fold_re().sub(_fold, text)
    simplified = _t2s().convert(folded)
    return simplified if len(simplified) == len(folded) else folded


def normalise_doc_number(text: str) -> str:
    """The exact-match key of a 文号: 皖政办〔2020〕6号 = 皖政办[2020]6号 = 皖政办（2020）6号."""
    return _DOCNUM_DROP_RE.sub("", normalise(text or "").strip())


def _bigrams(run: str) -> str:
    if len(run) == 1:
        return run
    return " ".join(map(str.__add__, run, run[1:]))


def bigram_tokens(normalised: str) -> str:
    """Space-joined index tokens: CJK bigrams (a lone character stays), Latin/digit runs."""
    return " ".join(
        _bigrams(tok) if tok[0] >= "\u3400" else tok for tok in _TOKEN_RE.findall(normalised)
    )


def bigram_tokens_many(texts: list[str]) -> list[str]:
    """``bigram_tokens`` of many normalised texts at once, vectorised over their code points.

    Building ~500 bigram strings per document one by one was half the Python time of a
    rebuild; doing a whole batch in numpy makes it ~10× cheaper. The result is identical to
    ``bigram_tokens`` (pinned by a test on random and real text)."""
    if not texts:
        return []
    # A NUL between texts is a separator like any punctuation: no token crosses it. (A NUL
    # inside a text is one too, so it becomes a space first.)
    joined = "\0".join(t.replace("\0", " ") if "\0" in t else t for t in texts) + "\0"
    code = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    cjk = (
        ((code >= 0x3400) & (code <= 0x4DBF))
        | ((code >= 0x4E00) & (code <= 0x9FFF))
        | ((code >= 0xF900) & (code <= 0xFAFF))
    )
    alnum = ((code >= 0x61) & (code <= 0x7A)) | ((code >= 0x30) & (code <= 0x39))
    next_cjk = np.append(cjk[1:], False)
    prev_cjk = np.insert(cjk[:-1], 0, False)
    bigram = cjk & next_cjk  # a bigram starts here: "XY "
    lone = cjk & ~next_cjk & ~prev_cjk  # a one-character run: "X "
    alnum_end = alnum & ~np.append(alnum[1:], False)  # a Latin/digit run ends: "…c "
    width = bigram.astype(np.int64) * 3 + lone * 2 + alnum + alnum_end
    ends = np.cumsum(width)
    starts = ends - width
    out = np.full(int(ends[-1]), 0x20, dtype=np.uint32)
    first = np.flatnonzero(bigram | lone | alnum)
    out[starts[first]] = code[first]
    second = np.flatnonzero(bigram)
    out[starts[second] + 1] = code[second + 1]
    tokens = out.tobytes().decode("utf-32-le")
    # Each text's output begins where its first character's output would begin.
    bounds = np.flatnonzero(code == 0)
    begin = np.concatenate(([0], starts[bounds[:-1] + 1])).tolist()
    finish = starts[bounds].tolist()
    return [tokens[b:f].rstrip(" ") for b, f in zip(begin, finish, strict=True)]


_NON_TOKEN_RE = re.compile(f"[^{_CJK}a-z0-9]+")
# Words only add to the score, and the lead of a document states its subject: segmenting the
# first 400 characters keeps the rebuild fast (jieba was a third of the tokenising time).
WORDS_MAX_CHARS = 400


def word_tokens(normalised: str) -> str:
    """Space-joined jieba words (with the user dictionary) for ranking; punctuation dropped."""
    cleaned = _NON_TOKEN_RE.sub(" ", normalised[:WORDS_MAX_CHARS])
    return " ".join(_jieba().cut(cleaned, False))


def query_runs(normalised: str) -> list[str]:
    """The runs of a query: each must match (AND); a CJK run matches as a bigram phrase."""
    return _TOKEN_RE.findall(normalised)


def run_bigrams(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)] if len(run) > 1 else [run]


def is_cjk(run: str) -> bool:
    return bool(run) and run[0] >= "\u3400" and bool(_CJK_CHAR_RE.match(run[0]))


@lru_cache(maxsize=1)
def _plain_jieba() -> rjieba.Jieba:
    return rjieba.Jieba()


def split_words(run: str) -> list[str]:
    """Fine segmentation of a query run (default dictionary only) for the must-contain rule:
    a user-dictionary compound like 三公经费 must not demand the literal compound when the
    document writes “三公”经费."""
    return [w for w in _plain_jieba().cut(run, False) if _TOKEN_RE.fullmatch(w)]


def query_words(normalised: str) -> list[str]:
    return [w for w in word_tokens(normalised).split(" ") if w]


HIGHLIGHT_SCAN_CHARS = 2000  # snippets come from the head of the body: cheap and usually right


def highlight(text: str, runs: list[str], *, width: int = 120) -> str:
    """An HTML-escaped snippet of ``text`` around the first match, matches wrapped in <mark>."""
    if not text:
        return ""
    text = text[:HIGHLIGHT_SCAN_CHARS]
    norm = normalise(text)
    spans: list[tuple[int, int]] = []
    for run in sorted({r for r in runs if r}, key=len, reverse=True):
        start = norm.find(run)
        while start != -1:
            spans.append((start, start + len(run)))
            start = norm.find(run, start + len(run))
    spans.sort()
    merged: list[list[int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    if merged:
        first = merged[0][0]
        begin = max(0, first - width // 3)
    else:
        begin = 0
    end = min(len(text), begin + width)
    out: list[str] = ["…" if begin > 0 else ""]
    pos = begin
    for s, e in merged:
        if e <= begin or s >= end:
            continue
        s, e = max(s, begin), min(e, end)
        out.append(html.escape(text[pos:s]))
        out.append(f"<mark>{html.escape(text[s:e])}</mark>")
        pos = e
    out.append(html.escape(text[pos:end]))
    if end < len(text):
        out.append("…")
    return "".join(out)


# Chinese text takes no spaces: a paragraph break beside a Chinese character or full-width mark
# must not become a space in the one-line snippet ("财政局 2024年" reads as a copy error).
_CJK_SIDE = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_SPACE_BESIDE_CJK_RE = re.compile(rf"(?<=[{_CJK_SIDE}]) | (?=[{_CJK_SIDE}])")


def plain_text(value: str) -> str:
    """Collapse whitespace so snippets read as one line; none is kept beside Chinese text."""
    return _SPACE_BESIDE_CJK_RE.sub("", re.sub(r"\s+", " ", value or "").strip())
