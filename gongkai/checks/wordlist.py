"""Parsing of the 错敏词 CSV file (pure: no ORM, so every bad line is found before any write).

Format (issue 5): UTF-8 with or without BOM, a header row naming the columns ``word``,
``category`` and ``suggestion`` (in any order; other columns are refused so a typo in a header
is not silently ignored). ``category`` is either the code (``typo``) or the Chinese label
(``错别字``). Line numbers in messages are physical lines of the file, the header being line 1.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from .models import WordCategory

REQUIRED_COLUMNS = ("word", "category", "suggestion")
WORD_MAX_LENGTH = 100
SUGGESTION_MAX_LENGTH = 200


@dataclass(frozen=True, slots=True)
class WordRow:
    line: int
    word: str
    category: str  # the code
    suggestion: str


class WordlistFileError(ValueError):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def _category_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for value, label in WordCategory.choices:
        lookup[value] = value
        lookup[str(label)] = value
    return lookup


def decode_csv_bytes(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise WordlistFileError(
            [_("第%(line)d行：文件不是 UTF-8 编码，请另存为 UTF-8 后重新导入。") % {"line": line}]
        ) from exc


def _read_header(reader: Any) -> list[str]:
    """Step 1: the header row, exactly the columns word, category and suggestion."""
    try:
        header = next(reader)
    except StopIteration:
        raise WordlistFileError(
            [_("文件为空：第1行必须是表头 word,category,suggestion。")]
        ) from None
    except csv.Error as exc:
        raise WordlistFileError(
            [_("第1行：表头无法解析（%(error)s）。") % {"error": exc}]
        ) from None
    columns = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    unknown = [c for c in columns if c not in REQUIRED_COLUMNS]
    duplicated = sorted({c for c in columns if columns.count(c) > 1})
    if missing or unknown or duplicated:
        raise WordlistFileError(
            [
                _("第1行：表头必须恰好包含 word、category、suggestion 三列（现为：%(header)s）。")
                % {"header": ",".join(header)}
            ]
        )
    return columns


def _records(reader: Any, errors: list[str]) -> Iterator[tuple[int, list[str]]]:
    """Step 2: (physical start line, record) of every non-blank record; a broken one stops."""
    line_end = 1
    while True:
        line = line_end + 1  # the physical line where this record starts
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            errors.append(_("第%(line)d行：无法解析（%(error)s）。") % {"line": line, "error": exc})
            return
        line_end = reader.line_num
        if not record or all(not field.strip() for field in record):
            continue  # blank lines are allowed (a trailing newline, a spreadsheet's empty row)
        yield line, record


class _RowChecker:
    """Step 3: the problems of one record (its word, category, suggestion, duplicates)."""

    def __init__(self, columns: list[str]) -> None:
        self.columns = columns
        self.index = {name: columns.index(name) for name in REQUIRED_COLUMNS}
        self.categories = _category_lookup()
        self.valid_labels = "、".join(str(label) for _value, label in WordCategory.choices)
        self.first_line: dict[str, int] = {}

    def row(self, line: int, record: list[str]) -> tuple[WordRow | None, list[str]]:
        record = record + [""] * (len(self.columns) - len(record))
        word = record[self.index["word"]].strip()
        raw_category = record[self.index["category"]].strip()
        suggestion = record[self.index["suggestion"]].strip()
        line_errors = self._word_errors(word)
        category = self.categories.get(raw_category) or self.categories.get(raw_category.lower())
        if category is None:
            line_errors.append(self._category_error(raw_category))
        if len(suggestion) > SUGGESTION_MAX_LENGTH:
            line_errors.append(_("建议改为超过 %(max)d 个字符") % {"max": SUGGESTION_MAX_LENGTH})
        if word and word in self.first_line:
            line_errors.append(
                _("词语“%(word)s”与第%(first)d行重复")
                % {"word": word, "first": self.first_line[word]}
            )
        elif word:
            self.first_line[word] = line
        if line_errors or category is None:
            return None, line_errors
        return WordRow(line, word, category, suggestion), []

    @staticmethod
    def _word_errors(word: str) -> list[str]:
        if not word:
            return [_("词语为空")]
        if len(word) > WORD_MAX_LENGTH:
            return [_("词语超过 %(max)d 个字符") % {"max": WORD_MAX_LENGTH}]
        return []

    def _category_error(self, raw_category: str) -> str:
        if raw_category:
            return _("未知分类“%(category)s”（可用：%(labels)s）") % {
                "category": raw_category,
                "labels": self.valid_labels,
            }
        return _("分类为空（可用：%(labels)s）") % {"labels": self.valid_labels}


def parse_wordlist(text: str) -> list[WordRow]:
    """All rows of the file, or :class:`WordlistFileError` listing every bad line."""
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""))
    columns = _read_header(reader)
    checker = _RowChecker(columns)
    errors: list[str] = []
    rows: list[WordRow] = []
    for line, record in _records(reader, errors):
        if len(record) > len(columns):
            errors.append(
                _("第%(line)d行：有%(got)d列，多于表头的%(want)d列（含逗号的词语请加双引号）。")
                % {"line": line, "got": len(record), "want": len(columns)}
            )
            continue
        row, line_errors = checker.row(line, record)
        if line_errors:
            errors.append(
                _("第%(line)d行：%(errors)s。") % {"line": line, "errors": "；".join(line_errors)}
            )
        elif row is not None:
            rows.append(row)
    if errors:
        raise WordlistFileError(errors)
    return rows


# The starter dictionary shipped with the platform (issue 15, item 6): common 错误表述 of
# official names and titles, names of bodies abolished by the 2018/2023 机构改革 and other
# outdated terms, and typical 错别字 of official writing. It ships no 敏感词: those depend on each
# agency's own 网信 and 保密 rules. Words that are also the start of correct text (按装 in
# 按装修标准, 既使 in 既使……又……, 按排 in 按排名) are deliberately left out.
STARTER_WORDLIST_PATH = Path(__file__).resolve().parent / "data" / "starter_wordlist.csv"


def starter_rows() -> list[WordRow]:
    """The rows of the shipped starter dictionary (a broken file is a packaging bug: raises)."""
    return parse_wordlist(decode_csv_bytes(STARTER_WORDLIST_PATH.read_bytes()))
