"""Pure text checks run before publication: 错敏词 and personal data (no ORM here).

Why these checks: a single 严重表述错误 or a leaked 居民身份证号码 is a single-veto item in the
national website checks (《政府网站与政务新媒体检查指标》, 国办秘函〔2019〕19号, rules note
§5.2), and the 2018 政务公开工作要点 require personal data to be 去标识化 before publication
(rules note §5.6).

Conventions every caller relies on:

* Offsets are Python ``str`` indices (characters, not UTF-8 bytes); ``end`` is exclusive, so
  ``text[f.start:f.end] == f.match`` always holds.
* Word matches are **leftmost-longest and non-overlapping**, the way ``grep -o -F`` reports
  them: scanning left to right, at the leftmost position where any dictionary word starts the
  longest word there wins, and scanning resumes after it. So with words ``中华`` and
  ``中华人民共和国`` the text ``中华人民共和国`` yields one finding, and with words ``AB`` and
  ``BC`` the text ``ABC`` yields only ``AB``. We chose this over "all overlapping matches"
  because each reported span is something an editor can fix (or replace by its suggestion) on
  its own, and because the counts then compare one-to-one with ``grep -o`` in the benchmark.
* Privacy numbers are looked for in maximal runs of ASCII digits: a run is classified by its
  length, so a number inside a longer run of digits is never reported (issue 5). A run of 17
  digits followed by ``X``/``x`` is an identity-card candidate. An 18-character run shaped like an
  ID (region code not starting with 0, a real birth date, 17 digits and a digit or X) is always
  an ID: ``id_card`` when its check character is right, ``id_card_invalid`` (a mistyped ID still
  identifies a person) when it is not — never a bank card, although some pass Luhn (issue 18).
  A run followed by ``X``/``x`` is never a card or a mobile number, whatever follows the X
  (``…424X5`` reports nothing: the X is never dropped to leave 17 digits that pass Luhn).
  Otherwise ``bank_card`` > ``mobile``. Full-width digits and numbers written in groups
  (``138 1234 5678``) are not recognised.
* All the privacy rules run in one pass of one regular expression over the UTF-8 bytes (digits,
  ``X`` and ``@`` are ASCII, so a byte match is a character match); an e-mail address is only
  looked for around an ``@``.
* For privacy findings ``category`` is the Chinese name of the kind (``身份证号码``…) and
  ``suggestion`` is the masked form that one-click masking would put in its place.
* A word hit that is part of an occurrence of its own suggestion is not reported: with
  ``十八大以来`` → ``党的十八大以来`` the corrected ``党的十八大以来`` is fine.
* Findings are sorted by ``start``, then ``kind``.
"""

from __future__ import annotations

import contextlib
import datetime
import gc
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple

import numpy as np
from django.utils import timezone

from gongkai.core.text import mask_id_number, mask_phone

try:
    import ahocorasick_rs
except ImportError:  # pragma: no cover - the fallback engine is tested explicitly
    ahocorasick_rs = None  # type: ignore[assignment]  # optional module, None marks it absent

KIND_WORD = "word"
KIND_ID_CARD = "id_card"
KIND_ID_CARD_INVALID = "id_card_invalid"
KIND_MOBILE = "mobile"
KIND_BANK_CARD = "bank_card"
KIND_EMAIL = "email"

# Longest text the interactive checkers accept (API and staff page), about 6 MB of UTF-8.
MAX_TEXT_CHARS = 2_000_000

PRIVACY_KINDS = (KIND_ID_CARD, KIND_ID_CARD_INVALID, KIND_MOBILE, KIND_BANK_CARD, KIND_EMAIL)

# Chinese names shown as the ``category`` of privacy findings (user-visible, so Chinese).
PRIVACY_LABELS = {
    KIND_ID_CARD: "身份证号码",
    KIND_ID_CARD_INVALID: "疑似身份证号码（校验位不符）",
    KIND_MOBILE: "手机号码",
    KIND_BANK_CARD: "银行卡号",
    KIND_EMAIL: "电子邮箱",
}

# An identity-card number or bank-card number on a public page is a leak that decides a check
# (single veto, rules note §5.2/§5.6), so those block publication. Mobile numbers and e-mail
# addresses are often published on purpose (咨询电话, 联系邮箱), so they only warn.
PRIVACY_BLOCKING = {
    KIND_ID_CARD: True,
    KIND_ID_CARD_INVALID: True,
    KIND_BANK_CARD: True,
    KIND_MOBILE: False,
    KIND_EMAIL: False,
}


class Finding(NamedTuple):
    """One hit. A named tuple rather than a dataclass: a dense text yields hundreds of
    thousands of these and tuple construction is several times cheaper."""

    kind: str
    start: int
    end: int
    match: str
    category: str
    suggestion: str
    # Not part of the JSON contract of ``check_text`` / the API; used by the review workflow.
    blocking: bool = False

    def as_dict(self) -> dict[str, Any]:
        """The public JSON shape (issue 5): exactly these six keys."""
        return {
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "match": self.match,
            "category": self.category,
            "suggestion": self.suggestion,
        }


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.start, f.kind, f.end))


# --------------------------------------------------------------------------------------------
# 错敏词 dictionary
# --------------------------------------------------------------------------------------------


class WordEntry(NamedTuple):
    """One dictionary entry. A named tuple (immutable, like the frozen dataclass it was):
    building 20,000 of them is a third of the cost of a dataclass, on every ``check_text``
    start-up (issue 18)."""

    word: str
    category: str  # the Chinese label, e.g. 错误表述
    suggestion: str = ""
    blocking: bool = False


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small tuples.

    Millions of new tuples trigger repeated generational collections that walk all of them:
    measured 3x slower on the 50 MB benchmark. The loop creates no reference cycles, so nothing
    is lost by collecting later. (The collector switch is process-wide; at worst a concurrent
    thread's loop runs with collection on, which is only slower.)
    """
    enabled = gc.isenabled()
    if enabled:
        gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class WordMatcher:
    """An Aho-Corasick automaton over the dictionary; build once, scan many texts.

    The engine is ahocorasick-rs (Rust ``aho-corasick`` crate, leftmost-longest natively, the
    GIL released while it scans) run over the **UTF-8 bytes**: every dictionary word is valid
    UTF-8, so a byte match starts and ends on character boundaries and leftmost-longest over
    bytes is leftmost-longest over characters. Byte offsets become character offsets by counting
    the bytes that start a character (:func:`char_index`), in numpy. Its ``str`` interface
    would build an 8-bytes-per-byte offset table inside the call, which made the whole-file run
    of issue 18 peak at 620 MB. Measured on the 20,000-term benchmark (``make bench-check``):
    the contiguous NFA scans fastest (the DFA builds 4x slower and scans 2x slower, its tables
    fall out of cache). pyahocorasick is kept as a fallback engine (``engine="pyahocorasick"``,
    about 3x slower: the leftmost-longest selection is done in Python).
    """

    ENGINES = ("ahocorasick_rs", "pyahocorasick")

    def __init__(self, entries: Iterable[WordEntry | Sequence[Any]], *, engine: str | None = None):
        by_word: dict[str, WordEntry] = {}
        for raw in entries:
            entry = raw if isinstance(raw, WordEntry) else WordEntry(*raw)
            if entry.word:
                # Last one wins, like an import updating an existing word.
                by_word[entry.word] = entry
        self._entries: list[WordEntry] = list(by_word.values())
        self.size = len(self._entries)
        # (word, category, suggestion, blocking) per entry: the entries themselves.
        self._meta: list[WordEntry] = self._entries
        # Words whose own suggestion contains them (十八大以来 → 党的十八大以来).
        self._contains = {
            e.word: bool(e.suggestion) and e.word in e.suggestion for e in self._entries
        }
        self._contains_any = any(self._contains.values())
        if engine is None:
            engine = "ahocorasick_rs" if ahocorasick_rs is not None else "pyahocorasick"
        if engine not in self.ENGINES:
            raise ValueError(f"unknown engine {engine!r}")
        self.engine = engine
        self._rs: Any = None
        self._py: Any = None
        words = [e.word for e in self._entries]
        # Per entry: length in characters and whether its suggestion contains it, as arrays so
        # a whole scan's hits are looked up at once.
        self.word_chars = np.array([len(w) for w in words], dtype=np.int64)
        self.contains_mask = np.array([self._contains[w] for w in words], dtype=bool)
        if not self.size:
            return
        if engine == "ahocorasick_rs":
            if ahocorasick_rs is None:
                raise ImportError("ahocorasick_rs is not installed")
            self._rs = ahocorasick_rs.BytesAhoCorasick(
                [w.encode("utf-8", "surrogatepass") for w in words],
                matchkind=ahocorasick_rs.MatchKind.LeftmostLongest,
                implementation=ahocorasick_rs.Implementation.ContiguousNFA,
            )
        else:
            import ahocorasick

            self._py = ahocorasick.Automaton(ahocorasick.STORE_ANY, ahocorasick.KEY_STRING)
            for idx, word in enumerate(words):
                self._py.add_word(word, (len(word), idx))
            self._py.make_automaton()

    @property
    def entries(self) -> list[WordEntry]:
        return self._entries

    @property
    def scans_bytes(self) -> bool:
        """True when :meth:`byte_hits` works (the Rust engine); else use :meth:`char_hits`."""
        return self._rs is not None

    def byte_hits(self, buf: bytes | memoryview) -> tuple[np.ndarray, np.ndarray]:
        """Leftmost-longest hits in UTF-8 bytes as two int64 arrays: entry index and byte start
        (the end is the start plus the word's UTF-8 length)."""
        if not self.size or not len(buf):
            return _EMPTY, _EMPTY
        triples = self._rs.find_matches_as_indexes(buf)
        n = len(triples)
        if not n:
            return _EMPTY, _EMPTY
        flat = np.fromiter(itertools.chain.from_iterable(triples), dtype=np.int64, count=3 * n)
        return flat[0::3], flat[1::3]

    def char_hits(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Leftmost-longest hits in a ``str``: entry index and character start, int64 arrays."""
        if not self.size or not text:
            return _EMPTY, _EMPTY
        if self._rs is not None:
            buf = text.encode("utf-8", "surrogatepass")
            idx, bstart = self.byte_hits(buf)
            if len(buf) == len(text) or not len(idx):
                return idx, bstart
            return idx, char_index(buf)[bstart].astype(np.int64)
        spans = self._py_spans(text)
        if not spans:
            return _EMPTY, _EMPTY
        table = np.array(spans, dtype=np.int64).reshape(-1, 3)
        return table[:, 2].copy(), table[:, 0].copy()

    def _py_spans(self, text: str) -> list[tuple[int, int, int]]:
        # ``iter`` yields every (overlapping) match ordered by where it ends. Sorting them by
        # (start, longest first) and taking each one that starts at or after the end of the
        # previous pick is exactly the greedy leftmost-longest rule of ``grep -o``.
        matches = [(e - n + 1, -n, i) for e, (n, i) in self._py.iter(text)]
        matches.sort()
        out: list[tuple[int, int, int]] = []
        last_end = 0
        for start, neg_len, idx in matches:
            if start >= last_end:
                last_end = start - neg_len
                out.append((start, last_end, idx))
        return out

    def inside_suggestion(self, text: str, start: int, idx: int) -> bool:
        """True when the hit is part of the correct form itself: with ``十八大以来`` →
        ``党的十八大以来``, the corrected text ``党的十八大以来`` must not be reported."""
        entry = self._entries[idx]
        suggestion, word = entry.suggestion, entry.word
        k = suggestion.find(word)
        while k >= 0:
            if start - k >= 0 and text.startswith(suggestion, start - k):
                return True
            k = suggestion.find(word, k + 1)
        return False

    def spans(self, text: str) -> list[tuple[int, int, int]]:
        """Leftmost-longest non-overlapping ``(start, end, entry_index)`` spans."""
        idx, start = self.char_hits(text)
        end = start + self.word_chars[idx] if len(idx) else start
        return list(zip(start.tolist(), end.tolist(), idx.tolist(), strict=True))

    def findings(self, text: str) -> list[Finding]:
        idx, start = self.char_hits(text)
        if not len(idx):
            return []
        if self._contains_any:
            keep = [
                not (c and self.inside_suggestion(text, s, i))
                for c, s, i in zip(
                    self.contains_mask[idx].tolist(), start.tolist(), idx.tolist(), strict=True
                )
            ]
            idx, start = idx[keep], start[keep]
        end = start + self.word_chars[idx]
        # Hot loop (a dense text yields millions of hits): one prebuilt (word, category,
        # suggestion, blocking) tuple per entry — ``match`` is the word itself, as matching is
        # exact — and ``tuple.__new__`` skips the named tuple's Python-level ``__new__``.
        meta = self._meta
        new = tuple.__new__
        with _gc_paused():
            return [
                new(Finding, (KIND_WORD, s, e, *meta[i]))
                for i, s, e in zip(idx.tolist(), start.tolist(), end.tolist(), strict=True)
            ]


_EMPTY = np.zeros(0, dtype=np.int64)


def char_index(buf: bytes | memoryview) -> np.ndarray:
    """``index[b]`` = number of characters in ``buf[:b]`` for valid UTF-8, ``b`` in
    ``0..len(buf)``: the bytes that start a character are those not of the form 10xxxxxx."""
    raw = np.frombuffer(buf, dtype=np.int8)
    index = np.empty(len(raw) + 1, dtype=np.int32 if len(raw) < 2**31 else np.int64)
    index[0] = 0
    # As signed bytes the continuation bytes 0x80..0xBF are -128..-65 (3x faster than a mask).
    np.cumsum(raw > -65, dtype=index.dtype, out=index[1:])
    return index


# --------------------------------------------------------------------------------------------
# Personal data
# --------------------------------------------------------------------------------------------

# GB 11643-1999 §8.2: ISO 7064 MOD 11-2 over the first 17 digits.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"

# The privacy scan classifies every byte in one pass (``bytes.translate``: ASCII digit → ``0``,
# ``@`` → ``@``, anything else → space), then finds what matters with C-speed substring search:
# eleven ``0`` in a row (a run of at least 11 digits: the shortest number reported, a mobile,
# found at its first digit because the search resumes after each run) and each ``@``. Measured
# on the 50 MB benchmark text: 10x faster than one regular expression for both.
_PRIVACY_BYTES = bytes(48 if 48 <= b <= 57 else 64 if b == 64 else 32 for b in range(256))
_ELEVEN_DIGITS = b"0" * 11
_RUN_OF_DIGITS = re.compile(rb"0*")
_DIGIT_OR_X = frozenset(b"0123456789Xx")
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
# Matched only where the run of local-part characters before an ``@`` starts.
_EMAIL = re.compile(
    rb"[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    rb"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}(?![A-Za-z0-9-])"
)
_EMAIL_LOCAL = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._%+-")
_X = frozenset(b"Xx")


def id_check_char(first17: str) -> str:
    """The GB 11643 check character for 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def id_shaped(value: str, *, today: datetime.date | None = None) -> bool:
    """18 characters shaped like a 居民身份证号码 (GB 11643): a region code not starting with 0,
    a real birth date between 1900 and the current year, 17 digits and a digit or X — whatever
    the check character says."""
    if len(value) != 18 or not value[:17].isascii() or not value[:17].isdigit():
        return False
    if value[0] == "0":
        return False
    last = value[17].upper()
    if not (last.isdigit() or last == "X"):
        return False
    year, month, day = int(value[6:10]), int(value[10:12]), int(value[12:14])
    current_year = (today or timezone.localdate()).year
    if not 1900 <= year <= current_year:
        return False
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def is_valid_id_number(value: str, *, today: datetime.date | None = None) -> bool:
    """An ID-shaped value whose check character is correct."""
    return id_shaped(value, today=today) and id_check_char(value[:17]) == value[17].upper()


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = ord(ch) - 48
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def mask_value(kind: str, value: str) -> str:
    """The masked form published in place of a personal number; phones and ID numbers use the
    one format of ``core.text`` (rules note §5.6: ``138****1234``
    and ``35*************123``)."""
    if kind == KIND_MOBILE:
        return mask_phone(value)
    if kind in (KIND_ID_CARD, KIND_ID_CARD_INVALID):
        return mask_id_number(value)
    if kind == KIND_BANK_CARD:
        return value[:4] + "*" * (len(value) - 8) + value[-4:]
    if kind == KIND_EMAIL:
        local, _, domain = value.partition("@")
        return local[:1] + "***@" + domain
    return value


def _privacy(kind: str, start: int, value: str) -> Finding:
    return Finding(
        kind,
        start,
        start + len(value),
        value,
        PRIVACY_LABELS[kind],
        mask_value(kind, value),
        PRIVACY_BLOCKING[kind],
    )


def number_kind(token: str, *, today: datetime.date | None = None) -> str | None:
    """The privacy kind of a maximal run of digits (with its final X, if any), or ``None``."""
    n = len(token)
    if n == 18 and id_shaped(token, today=today):
        valid = id_check_char(token[:17]) == token[17].upper()
        return KIND_ID_CARD if valid else KIND_ID_CARD_INVALID
    if token[-1] in "Xx":
        return None
    if 16 <= n <= 19 and luhn_ok(token):
        return KIND_BANK_CARD
    if n == 11 and _MOBILE.fullmatch(token):
        return KIND_MOBILE
    return None


def privacy_byte_hits(
    buf: bytes | memoryview, *, today: datetime.date | None = None
) -> list[tuple[int, str, str]]:
    """``(byte start, kind, value)`` of every privacy finding in UTF-8 bytes, ordered by start
    then kind (see :data:`_PRIVACY_BYTES`)."""
    data = bytes(buf)
    classes = data.translate(_PRIVACY_BYTES)
    out = _number_hits(data, classes, today)
    if b"@" in classes:
        out.extend(_email_hits(data, classes))
        out.sort(key=lambda hit: (hit[0], hit[1]))
    return out


def _number_hits(
    data: bytes, classes: bytes, today: datetime.date | None
) -> list[tuple[int, str, str]]:
    out: list[tuple[int, str, str]] = []
    size = len(data)
    start = classes.find(_ELEVEN_DIGITS)
    while start >= 0:
        run = _RUN_OF_DIGITS.match(classes, start + 11)
        end = run.end() if run is not None else start + 11  # ``0*`` always matches
        resume = end
        if end < size and data[end] in _X:
            if end + 1 < size and data[end + 1] in _DIGIT_OR_X:
                # ``…424X5``: the X belongs to the number, which is then no card or mobile.
                start = classes.find(_ELEVEN_DIGITS, end + 1)
                continue
            end += 1
        token = data[start:end].decode("ascii")
        if today is None and len(token) == 18:
            today = timezone.localdate()
        kind = number_kind(token, today=today)
        if kind is not None:
            out.append((start, kind, token))
        start = classes.find(_ELEVEN_DIGITS, resume)
    return out


def _email_hits(data: bytes, classes: bytes) -> list[tuple[int, str, str]]:
    """E-mail addresses, matched from the start of the local part before each ``@``. They do
    not overlap: one starting inside the previous one is skipped, as a left-to-right scan of
    :data:`_EMAIL` would."""
    out: list[tuple[int, str, str]] = []
    email_end = 0
    at = classes.find(b"@")
    while at >= 0:
        local = at
        while local > 0 and data[local - 1] in _EMAIL_LOCAL:
            local -= 1
        if email_end <= local < at:
            email = _EMAIL.match(data, local)
            if email is not None:
                out.append((local, KIND_EMAIL, email.group().decode("ascii")))
                email_end = email.end()
        at = classes.find(b"@", at + 1)
    return out


def privacy_findings(text: str, *, today: datetime.date | None = None) -> list[Finding]:
    buf = text.encode("utf-8", "surrogatepass")
    hits = privacy_byte_hits(buf, today=today)
    if not hits:
        return []
    if len(buf) == len(text):  # ASCII: byte offsets are character offsets
        return [_privacy(kind, start, value) for start, kind, value in hits]
    index = char_index(buf)
    return [_privacy(kind, int(index[start]), value) for start, kind, value in hits]


# --------------------------------------------------------------------------------------------
# The combined checker
# --------------------------------------------------------------------------------------------


class TextChecker:
    """错敏词 + privacy checks over one text; thread-safe for reading once built."""

    def __init__(
        self, entries: Iterable[WordEntry | Sequence[Any]] = (), *, engine: str | None = None
    ):
        self.words = WordMatcher(entries, engine=engine)

    def check(self, text: str, *, today: datetime.date | None = None) -> list[Finding]:
        return sort_findings([*self.words.findings(text), *privacy_findings(text, today=today)])


def check_text(
    text: str,
    entries: Iterable[WordEntry | Sequence[Any]] = (),
    *,
    today: datetime.date | None = None,
) -> list[Finding]:
    return TextChecker(entries).check(text, today=today)


def mask(text: str, findings: Iterable[Finding]) -> str:
    """One-click masking: replace every privacy finding by its masked form.

    Word findings are left alone (they need an editor's judgement). When privacy findings
    overlap (``13812345678@qq.com`` is both a mobile number and an e-mail address) the one that
    starts first wins, and at the same start the longer one, so the whole span is covered.
    """
    chosen: list[Finding] = []
    last_end = -1
    for f in sorted(
        (f for f in findings if f.kind in PRIVACY_KINDS), key=lambda f: (f.start, -f.end)
    ):
        if f.start < last_end:
            continue
        if text[f.start : f.end] != f.match:
            raise ValueError(f"finding {f.kind} at {f.start} does not match the text")
        chosen.append(f)
        last_end = f.end
    parts: list[str] = []
    pos = 0
    for f in chosen:
        parts.append(text[pos : f.start])
        parts.append(mask_value(f.kind, f.match))
        pos = f.end
    parts.append(text[pos:])
    return "".join(parts)


_HTML_TAG = re.compile(r"(<!--.*?-->|<[^>]*>)", re.DOTALL)


def mask_html(html: str, *, today: datetime.date | None = None) -> str:
    """One-click masking of a rich-text body: privacy findings in the text between tags are
    masked; tags and attributes are left alone. Each text run is checked on its own, so a
    number split by markup (``138<b>1234</b>5678``) is not recognised — the plain-text
    findings of the body would still show it to the reviewer."""
    parts = _HTML_TAG.split(html)
    for i in range(0, len(parts), 2):
        segment = parts[i]
        if segment:
            parts[i] = mask(segment, privacy_findings(segment, today=today))
    return "".join(parts)
