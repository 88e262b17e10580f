"""The streamed check (``gongkai check_text``): byte for byte the JSON of the in-memory check,
whatever the segment boundaries, plus UTF-8 validation and the console script's fast path."""

import datetime
import io
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from gongkai.checks.cli import fast_path_applies
from gongkai.checks.stream import (
    CHILD_SHARE,
    _split_point,
    check_bytes_to_json,
    check_stream,
    segments,
    separators_for,
    word_heads,
)
from gongkai.checks.text import TextChecker, WordMatcher
from gongkai.checks.utf8 import BACKGROUND_MIN_BYTES, InvalidUtf8, validate_utf8

TODAY = datetime.date(2026, 11, 23)

WORDS = [
    ("中华人民共合国", "错别字", "中华人民共和国"),
    ("中华", "其他", ""),
    ("十八大以来", "错误表述", "党的十八大以来"),
    ('引"号', "其他", "反\\斜\t杠"),
    ("😀表情", "敏感词", ""),
    ("AB", "其他", ""),
]

PIECES = [
    "自十八大以来，",
    "党的十八大以来。",
    "中华人民共合国",
    "中华",
    '引"号',
    "😀表情",
    "\U00020000",
    "ABC",
    "\r\n",
    "\n",
    "身份证11010519491231002X，",
    "110105194912310021",
    "电话13812345678",
    "13812345678@qq.com ",
    "卡号4111111111111111。",
    "12345",
    "。",
    "，",
    " ",
    "\u3000",
]


def reference(text: str, checker: TextChecker) -> bytes:
    """What the command printed before streaming: one json.dumps of the whole result."""
    findings = [f.as_dict() for f in checker.check(text, today=TODAY)]
    return (json.dumps({"findings": findings}, ensure_ascii=False) + "\n").encode()


def random_text(seed: int, count: int) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(PIECES) for _ in range(count))


@pytest.mark.parametrize("engine", WordMatcher.ENGINES)
@pytest.mark.parametrize("threads", [True, False])
def test_stream_equals_the_in_memory_check_across_segment_boundaries(engine, threads):
    checker = TextChecker(WORDS, engine=engine)
    for seed in range(12):
        text = random_text(seed, 300)
        data = text.encode()
        for block_size in (1, 7, 64, 1 << 20):
            got = check_bytes_to_json(
                data, checker, today=TODAY, block_size=block_size, threads=threads
            )
            assert got == reference(text, checker), (seed, block_size)


@pytest.mark.parametrize("threads", [True, False])
def test_parallel_path_equals_the_in_memory_check(threads):
    """Forced onto the two-process path (any size): the same bytes and the same count."""
    checker = TextChecker(WORDS)
    for seed in range(6):
        text = random_text(seed, 300)
        for block_size in (7, 1 << 20):
            out: list[bytes] = []
            count = check_stream(
                io.BytesIO(text.encode()),
                out.append,
                checker,
                today=TODAY,
                block_size=block_size,
                threads=threads,
                parallel_min_bytes=1,
            )
            expected = reference(text, checker)
            assert b"".join(out) == expected, (seed, block_size)
            assert count == len(json.loads(expected)["findings"])


def test_parallel_path_with_a_word_at_the_split_and_findings_on_one_side_only(tmp_path):
    checker = TextChecker(WORDS)
    # The planned split falls inside the run of 甲; the first separator after it is the
    # newline, so the child's part begins exactly with the word.
    left = "电话13812345678" + "甲" * 40
    right = "中华人民共合国，身份证110105194912310021"
    cases = {
        "both": left + "\n" + right,
        "child only": "甲" * 60 + "\n" + right,
        "parent only": left + "\n" + "乙" * 20,
    }
    for name, text in cases.items():
        data = text.encode()
        path = tmp_path / "in.txt"
        path.write_bytes(data)
        cut = _split_point(io.BytesIO(data), 0, int(len(data) * (1 - CHILD_SHARE)), [b"\n"])
        assert data[:cut].endswith(b"\n"), name
        out: list[bytes] = []
        with path.open("rb") as source:  # a real file: the child reads by position
            count = check_stream(source, out.append, checker, today=TODAY, parallel_min_bytes=1)
        expected = reference(text, checker)
        assert b"".join(out) == expected, name
        assert count == len(json.loads(expected)["findings"])
    # The case is the one meant: a privacy finding before the split, the word right at it.
    findings = json.loads(reference(cases["both"], checker))["findings"]
    assert [(f["kind"], f["start"], f["end"]) for f in findings] == [
        ("mobile", 2, 13),
        ("word", 54, 61),
        ("id_card_invalid", 65, 83),
    ]
    assert len(left) + 1 == 54


def test_stream_exact_output_with_offsets_after_a_bom_and_crlf():
    checker = TextChecker([("十八大以来", "错误表述", "党的十八大以来")])
    data = "\ufeff自十八大以来\r\n电话13812341234".encode()
    assert check_bytes_to_json(data, checker, today=TODAY, block_size=4).decode() == (
        '{"findings": [{"kind": "word", "start": 2, "end": 7, "match": "十八大以来", '
        '"category": "错误表述", "suggestion": "党的十八大以来"}, {"kind": "mobile", '
        '"start": 11, "end": 22, "match": "13812341234", "category": "手机号码", '
        '"suggestion": "138****1234"}]}\n'
    )


def test_stream_of_nothing():
    assert check_bytes_to_json(b"", TextChecker(WORDS), today=TODAY) == b'{"findings": []}\n'
    assert check_bytes_to_json(b"\n\n", TextChecker(), today=TODAY) == b'{"findings": []}\n'


def test_word_heads_cross_digit_boundaries():
    import numpy as np

    start = np.array([0, 7, 9, 98, 9_999, 99_999_998, 1_234_567_890_123], dtype=np.int64)
    end = start + np.array([2, 2, 3, 4, 1, 5, 2], dtype=np.int64)
    heads = word_heads(start, end)
    assert [h.decode() for h in heads] == [
        f', {{"kind": "word", "start": {s}, "end": {e}'
        for s, e in zip(start.tolist(), end.tolist(), strict=True)
    ]


def test_separators_leave_out_characters_of_words_and_suggestions():
    checker = TextChecker([("第一行\n第二行", "其他", ""), ("甲", "其他", "甲。乙")])
    assert separators_for(checker) == ["；".encode(), "，".encode(), "\u3000".encode(), b" "]
    # A word with a newline is still found when a block boundary falls inside it.
    text = "前文第一行\n第二行，后文"
    assert check_bytes_to_json(text.encode(), checker, today=TODAY, block_size=3) == (
        reference(text, checker)
    )


def test_segments_cut_after_a_separator_or_grow():
    source = io.BytesIO("一二\n三四五\n六".encode())
    assert list(segments(source, [b"\n"], block_size=4)) == [
        "一二\n".encode(),
        "三四五\n".encode(),
        "六".encode(),
    ]
    # No separator at all: one piece, however small the blocks.
    assert list(segments(io.BytesIO(b"abcdef"), [b"\n"], block_size=2)) == [b"abcdef"]


def test_validate_utf8_reports_the_first_bad_byte_across_blocks():
    data = "中文".encode() + b"\xff" + "后".encode()
    for block_size in (1, 2, 4, 100):
        with pytest.raises(InvalidUtf8) as exc:
            validate_utf8(io.BytesIO(data), block_size=block_size)
        assert exc.value.position == 6
    # A character cut by a block boundary is fine; one cut by the end of the input is not.
    validate_utf8(io.BytesIO("中文".encode()), block_size=1)
    with pytest.raises(InvalidUtf8) as exc:
        validate_utf8(io.BytesIO("中文".encode()[:5]), block_size=2)
    assert exc.value.position == 3


def test_fast_path_only_for_a_file_argument():
    assert fast_path_applies(["gongkai", "check_text"])
    assert fast_path_applies(["gongkai", "check_text", "a.txt"])
    assert fast_path_applies(["gongkai", "check_text", "-"])
    assert not fast_path_applies(["gongkai", "check_text", "--help"])
    assert not fast_path_applies(["gongkai", "check_text", "a.txt", "--settings=x"])
    assert not fast_path_applies(["gongkai", "import_wordlist", "a.csv"])


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="the subprocess builds its own SQLite database",
)
def test_console_script_fast_path(tmp_path):
    """``python -m gongkai check_text FILE`` in a fresh process: the dictionary is read, the
    JSON is exact; a file that is not UTF-8 prints nothing on stdout and says where."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "gongkai.config.settings.dev",
        "GONGKAI_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
    }
    env.pop("GONGKAI_DEBUG", None)
    cwd = Path(settings.BASE_DIR)
    python = [sys.executable, "-m", "gongkai"]
    subprocess.run([*python, "migrate", "--noinput"], env=env, check=True, capture_output=True)
    words = tmp_path / "words.csv"
    words.write_text("word,category,suggestion\n中华人民共合国,错别字,中华人民共和国\n")
    subprocess.run(
        [*python, "import_wordlist", str(words)], env=env, check=True, capture_output=True
    )
    text = tmp_path / "in.txt"
    text.write_text("😀中华人民共合国\n身份证110105194912310021", encoding="utf-8")
    done = subprocess.run(
        [*python, "check_text", str(text)], env=env, capture_output=True, check=True, cwd=cwd
    )
    assert done.stdout.decode() == (
        '{"findings": [{"kind": "word", "start": 1, "end": 8, "match": "中华人民共合国", '
        '"category": "错别字", "suggestion": "中华人民共和国"}, {"kind": "id_card_invalid", '
        '"start": 12, "end": 30, "match": "110105194912310021", '
        '"category": "疑似身份证号码（校验位不符）", "suggestion": "11*************021"}]}\n'
    )
    assert done.stderr == b""
    bad = tmp_path / "bad.txt"
    bad.write_bytes("中华人民共合国".encode() + b"\xfe")
    failed = subprocess.run([*python, "check_text", str(bad)], env=env, capture_output=True)
    assert failed.returncode == 1
    assert failed.stdout == b""
    assert failed.stderr.decode() == "CommandError: 输入不是 UTF-8 文本（第22字节）。\n"

    # A file large enough to be validated in a forked process while the dictionary loads.
    line = "😀中华人民共合国\n"
    lines = BACKGROUND_MIN_BYTES // len(line.encode()) + 1000
    big = tmp_path / "big.txt"
    big.write_text(line * lines, encoding="utf-8")
    done = subprocess.run([*python, "check_text", str(big)], env=env, capture_output=True)
    assert (done.returncode, done.stderr) == (0, b"")
    findings = json.loads(done.stdout)["findings"]
    assert len(findings) == lines
    assert findings[-1] == {
        "kind": "word",
        "start": 9 * lines - 8,
        "end": 9 * lines - 1,
        "match": "中华人民共合国",
        "category": "错别字",
        "suggestion": "中华人民共和国",
    }
    big_bad = tmp_path / "big-bad.txt"
    big_bad.write_bytes(big.read_bytes() + "中".encode()[:2] + b"\n")
    size = big_bad.stat().st_size  # the cut character starts 3 bytes before the end
    # Not even the warning about the dictionary is printed for input that is not UTF-8.
    no_table = {**env, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    for environment in (env, no_table):
        failed = subprocess.run(
            [*python, "check_text", str(big_bad)], env=environment, capture_output=True
        )
        assert (failed.returncode, failed.stdout) == (1, b"")
        assert (
            failed.stderr.decode() == f"CommandError: 输入不是 UTF-8 文本（第{size - 2}字节）。\n"
        )
    warned = subprocess.run([*python, "check_text", str(big)], env=no_table, capture_output=True)
    assert warned.stderr.decode() == "警告：无法读取错敏词库（数据库未迁移？），只检查个人信息。\n"
    assert warned.stdout == b'{"findings": []}\n'


@pytest.mark.parametrize("kill", [False, True])
def test_background_validation_answers_as_the_pass_here(tmp_path, kill):
    """The forked pass gives the in-process pass's answer, leaves the file offset alone, and
    a child killed before answering is replaced by a pass here."""
    import signal

    from gongkai.checks.utf8 import start_background

    good = "中文\n".encode() * (BACKGROUND_MIN_BYTES // 7 + 1)
    for data, expected in ((good, None), (good + b"\xff" + good, len(good))):
        path = tmp_path / "in.txt"
        path.write_bytes(b"ab" + data)
        with path.open("rb") as source:
            source.seek(2)
            background = start_background(source)
            assert background is not None
            if kill:
                os.kill(background._pid, signal.SIGKILL)
            error = background.result()
            assert source.tell() == 2
        if expected is None:
            assert error is None
        else:
            assert isinstance(error, InvalidUtf8)
            assert error.position == expected
    small = tmp_path / "small.txt"
    small.write_bytes(b"ab")
    with small.open("rb") as source:
        assert start_background(source) is None
