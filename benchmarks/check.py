"""``gongkai check_text`` beside ``grep -F -o -f``, whole process against whole process:
`python -m benchmarks.check [--mb 50] [--repeat 5]` (``make bench-check``; issue 18).

Everything is generated deterministically (``--seed``) from the seed documents (``shared/seeds``
beside the repository, else the Chinese text of this repository's own docs and sources):

* dictionary: up to 300 real words (rjieba's segmentation of the corpus, 2–6 characters) plus
  random 2–6 character strings drawn from the corpus's character frequencies, 20,000 distinct,
  imported with ``gongkai import_wordlist`` into a SQLite database of its own;
* text: corpus sentences picked at random, one in five with a dictionary word injected, one in
  a thousand with a personal number or address (mobile, ID, mistyped ID, bank card, e-mail),
  until the UTF-8 size reaches ``--mb`` MB.

Method (JSON lines, each naming it):

* ``whole_process``: ``gongkai check_text text.txt`` (the console script: Python start-up,
  settings, reading the dictionary from the database, reading and validating the file, words,
  privacy rules, offsets, JSON) against ``grep -F -o -f words.txt text.txt``, both with
  ``LC_ALL=C.UTF-8``, stdout a pipe drained by this process. One warm-up run of each (not
  measured) fills the page cache; then ``--repeat`` rounds, the order alternating (ABBA).
  Wall time from spawn to exit; CPU time (user + system) and peak memory (maximum resident
  set) as GNU ``time`` reports them for the command (it runs under ``/usr/bin/time``).
  Throughput is text megabytes (10^6 bytes) per wall second.
* ``startup``: ``gongkai check_text`` of an empty file, the fixed cost inside the above.
* ``in_process``: labelled as such, timed inside this process over the same file: the word
  scan alone (Rust automaton over the byte segments, hits as arrays), and the whole streamed
  check into a sink that discards the JSON, with and without the scanning thread.
* ``verify`` (not timed): our word findings equal grep's output line for line.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIME = "/usr/bin/time"  # GNU time: user and system seconds, peak RSS of its child
CJK = re.compile(r"[\u4e00-\u9fff]")
SENTENCE_END = re.compile(r"(?<=[。；！？\n])")


def emit(**fields: object) -> None:
    print(json.dumps({"bench": "check", **fields}, ensure_ascii=False), flush=True)


def load_corpus(seeds: Path | None) -> tuple[str, str]:
    candidates = [seeds] if seeds else [ROOT.parent / "shared" / "seeds", ROOT / "shared" / "seeds"]
    for directory in candidates:
        if directory and directory.is_dir():
            files = sorted(directory.glob("*.txt"))
            if files:
                return "".join(p.read_text(encoding="utf-8") for p in files), str(directory)
    # Fallback for a checkout without shared/: the Chinese lines of our own docs and sources.
    lines = []
    for path in sorted([*ROOT.glob("docs/**/*.md"), *ROOT.glob("gongkai/**/*.py")]):
        for line in path.read_text(encoding="utf-8", errors="ignore").splitlines():
            if len(CJK.findall(line)) >= 6:
                lines.append(line.strip() + "\n")
    return "".join(lines), "repository docs and sources"


def make_words(corpus: str, rng: random.Random, count: int) -> list[str]:
    import rjieba

    real = sorted(
        {w for w in rjieba.cut(corpus) if 2 <= len(w) <= 6 and all(CJK.fullmatch(c) for c in w)}
    )
    words: set[str] = set(rng.sample(real, min(300, len(real))))
    freq = collections.Counter(CJK.findall(corpus))
    chars = sorted(freq)
    weights = [freq[c] for c in chars]
    while len(words) < count:
        n = rng.randint(2, 6)
        words.add("".join(rng.choices(chars, weights, k=n)))
    return sorted(words)


def luhn_digit(prefix: str) -> str:
    from gongkai.checks.text import luhn_ok

    return next(d for d in "0123456789" if luhn_ok(prefix + d))


def personal_sample(rng: random.Random) -> str:
    from gongkai.checks.text import id_check_char

    kind = rng.randrange(5)
    if kind == 0:
        return f"联系电话1{rng.choice('3589')}{rng.randrange(10**9):09d}"
    if kind in (1, 2):
        first = f"{rng.choice(['110105', '330106', '350203', '440301'])}19{rng.randrange(50, 99)}"
        first += f"{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}{rng.randrange(1000):03d}"
        check = id_check_char(first)
        if kind == 2:  # a mistyped ID: any other check character
            check = "0" if check != "0" else "1"
        return f"身份证号{first}{check}"
    if kind == 3:
        prefix = f"622202{rng.randrange(10**12):012d}"
        return f"收款账号{prefix}{luhn_digit(prefix)}"
    return f"联系邮箱user{rng.randrange(10**6)}@example.gov.cn "


def make_text(corpus: str, words: list[str], rng: random.Random, megabytes: float) -> str:
    sentences = [s for s in SENTENCE_END.split(corpus) if s.strip()]
    personal = random.Random(rng.random())  # a stream of its own
    target = int(megabytes * 1_000_000)
    parts: list[str] = []
    size = 0
    since_newline = 0
    while size < target:
        s = rng.choice(sentences)
        if rng.random() < 0.2:
            k = rng.randrange(len(s) + 1)
            s = s[:k] + rng.choice(words) + s[k:]
        if personal.random() < 0.001:
            s = personal_sample(personal) + "，" + s
        since_newline += 1
        if since_newline >= 12 and not s.endswith("\n"):
            s += "\n"
            since_newline = 0
        parts.append(s)
        size += len(s.encode("utf-8"))
    return "".join(parts)


@dataclass
class Run:
    wall: float
    cpu: float
    rss_mb: float
    out_bytes: int


def run_measured(cmd: list[str], env: dict[str, str], workdir: Path) -> Run:
    """Spawn under GNU ``time`` (a small parent: a child forked by this big process would
    report this process's memory as its peak), drain stdout, read CPU time and peak RSS."""
    report = workdir / "time.txt"
    start = time.perf_counter()
    proc = subprocess.Popen(
        [TIME, "-f", "%U %S %M", "-o", str(report), *cmd], stdout=subprocess.PIPE, env=env
    )
    assert proc.stdout is not None
    raw = proc.stdout.raw  # type: ignore[attr-defined]  # FileIO under the buffered reader
    buf = bytearray(1 << 20)
    total = 0
    while n := raw.readinto(buf):
        total += n
    proc.wait()
    wall = time.perf_counter() - start
    proc.stdout.close()
    user, system, rss_kb = report.read_text().split()[-3:]
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{cmd[0]} exited with {proc.returncode}")
    return Run(wall, float(user) + float(system), int(rss_kb) / 1024, total)


def gongkai_command() -> list[str]:
    script = Path(sys.executable).parent / "gongkai"
    return [str(script)] if script.exists() else [sys.executable, "-m", "gongkai"]


def bench_import(words: list[str], workdir: Path) -> dict[str, str]:
    """Import the dictionary with ``import_wordlist`` into a fresh SQLite database; returns the
    environment of the measured processes."""
    db_file = workdir / "check.sqlite3"
    if db_file.exists():
        db_file.unlink()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db_file}",
        "GONGKAI_VAR_DIR": str(workdir),
        "DJANGO_SETTINGS_MODULE": "gongkai.config.settings.dev",
        "LC_ALL": "C.UTF-8",
    }
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "GONGKAI_VAR_DIR")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings.dev")
    import io

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    categories = ["错误表述", "敏感词", "错别字", "其他"]
    csv_file = workdir / "words.csv"
    csv_file.write_text(
        "word,category,suggestion\n"
        + "".join(f"{w},{categories[i % 4]},\n" for i, w in enumerate(words)),
        encoding="utf-8",
    )
    start = time.perf_counter()
    call_command("import_wordlist", str(csv_file), stdout=io.StringIO())
    emit(name="wordlist_import", words=len(words), seconds=round(time.perf_counter() - start, 3))
    from gongkai.checks.selectors import build_checker

    start = time.perf_counter()
    checker = build_checker()
    emit(
        name="dictionary_load_from_db",
        words=checker.words.size,
        engine=checker.words.engine,
        seconds=round(time.perf_counter() - start, 3),
    )
    return env


_WORD_MATCH = re.compile(rb'"kind": "word", "start": \d+, "end": \d+, "match": "([^"]*)"')
_KIND = re.compile(rb'"kind": "([a-z_]+)"')


def verify(ours: list[str], grep: list[str], env: dict[str, str], workdir: Path) -> None:
    """Unmeasured: our word findings are grep's matches, in order; count the other kinds."""
    ours_file, grep_file = workdir / "ours.json", workdir / "grep.txt"
    with ours_file.open("wb") as fh:
        subprocess.run(ours, stdout=fh, env=env, check=True)
    with grep_file.open("wb") as fh:
        subprocess.run(grep, stdout=fh, env=env, check=False)
    data = ours_file.read_bytes()
    json.loads(data)  # one well-formed document
    words = [m.group(1) for m in _WORD_MATCH.finditer(data)]
    grep_words = grep_file.read_bytes().splitlines()
    kinds = collections.Counter(m.group(1).decode() for m in _KIND.finditer(data))
    emit(
        name="verify",
        word_findings=len(words),
        grep_matches=len(grep_words),
        identical=words == grep_words,
        kinds=dict(sorted(kinds.items())),
        json_bytes=len(data),
    )
    ours_file.unlink()
    grep_file.unlink()


def summarise(name: str, method: str, runs: list[Run], size: int) -> dict[str, float]:
    walls = [r.wall for r in runs]
    cpus = [r.cpu for r in runs]
    row = {
        "wall_s_median": round(statistics.median(walls), 3),
        "wall_s_best": round(min(walls), 3),
        "cpu_s_median": round(statistics.median(cpus), 3),
        "mb_per_s": round(size / 1e6 / statistics.median(walls), 2),
        "peak_rss_mb": round(max(r.rss_mb for r in runs), 1),
        "output_bytes": runs[0].out_bytes,
    }
    emit(name="whole_process", side=name, method=method, runs=len(runs), **row)
    return row


def bench_whole_process(
    text_file: Path, words_file: Path, env: dict[str, str], repeat: int, workdir: Path
) -> None:
    size = text_file.stat().st_size
    ours = [*gongkai_command(), "check_text", str(text_file)]
    grep = ["grep", "-F", "-o", "-f", str(words_file), str(text_file)]
    verify(ours, grep, env, workdir)
    empty = workdir / "empty.txt"
    empty.write_bytes(b"")
    starts = [
        run_measured([*gongkai_command(), "check_text", str(empty)], env, workdir) for _ in range(3)
    ]
    emit(
        name="startup",
        method="gongkai check_text EMPTY_FILE, whole process",
        wall_s_median=round(statistics.median(r.wall for r in starts), 3),
        cpu_s_median=round(statistics.median(r.cpu for r in starts), 3),
        peak_rss_mb=round(max(r.rss_mb for r in starts), 1),
    )
    run_measured(ours, env, workdir)  # warm-up (page cache, not measured)
    run_measured(grep, env, workdir)
    results: dict[str, list[Run]] = {"gongkai": [], "grep": []}
    for round_no in range(repeat):
        order = ["gongkai", "grep"] if round_no % 2 == 0 else ["grep", "gongkai"]
        for side in order:
            results[side].append(run_measured(ours if side == "gongkai" else grep, env, workdir))
    a = summarise(
        "gongkai",
        "LC_ALL=C.UTF-8 gongkai check_text text.txt | (drained); wall spawn-to-exit, CPU and "
        "peak RSS from GNU time",
        results["gongkai"],
        size,
    )
    b = summarise(
        "grep",
        "LC_ALL=C.UTF-8 grep -F -o -f words.txt text.txt | (drained); same measurement",
        results["grep"],
        size,
    )
    ratios = [g.wall / o.wall for o, g in zip(results["gongkai"], results["grep"], strict=True)]
    emit(
        name="summary",
        method="whole process, interleaved ABBA, medians",
        text_mb=round(size / 1e6, 1),
        wall_ratio_to_grep=round(b["wall_s_median"] / a["wall_s_median"], 2),
        wall_ratio_per_round=[round(r, 2) for r in ratios],
        cpu_ratio_to_grep=round(b["cpu_s_median"] / a["cpu_s_median"], 2),
        target_wall_ratio=1.0,
        target_met=a["wall_s_median"] <= b["wall_s_median"],
        peak_rss_mb=a["peak_rss_mb"],
        rss_target_mb=200,
        rss_target_met=a["peak_rss_mb"] < 200,
    )


def bench_in_process(text_file: Path, repeat: int) -> None:
    """Labelled ``in_process``: timed inside this process, no start-up, no pipe."""
    import datetime

    from gongkai.checks.selectors import build_checker
    from gongkai.checks.stream import check_stream, segments, separators_for

    checker = build_checker()
    size = text_file.stat().st_size
    today = datetime.date(2026, 11, 29)

    def scan_only() -> int:
        hits = 0
        with text_file.open("rb") as fh:
            for seg in segments(fh, separators_for(checker)):
                hits += len(checker.words.byte_hits(seg)[0])
        return hits

    def full(threads: bool) -> int:
        with text_file.open("rb") as fh:
            return check_stream(fh, lambda data: None, checker, today=today, threads=threads)

    cases = [
        ("word_scan", "Rust automaton over the byte segments, hits as numpy arrays", scan_only),
        ("check_stream", "words + privacy + offsets + JSON, scanning thread", lambda: full(True)),
        ("check_stream_one_thread", "the same in one thread", lambda: full(False)),
    ]
    for name, method, fn in cases:
        walls, cpus, count = [], [], 0
        for _ in range(repeat):
            start, cpu = time.perf_counter(), time.process_time()
            count = fn()
            cpus.append(time.process_time() - cpu)
            walls.append(time.perf_counter() - start)
        emit(
            name="in_process",
            case=name,
            method=method + " (in process: no start-up, no validation pass, no pipe)",
            wall_s_median=round(statistics.median(walls), 3),
            cpu_s_median=round(statistics.median(cpus), 3),
            mb_per_s=round(size / 1e6 / statistics.median(walls), 2),
            findings=count,
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=50.0, help="text size in UTF-8 MB")
    parser.add_argument("--words", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seeds", type=Path, default=None, help="directory of seed .txt files")
    parser.add_argument("--workdir", type=Path, default=ROOT / "var" / "bench" / "check")
    parser.add_argument("--no-in-process", action="store_true", help="skip the in-process cases")
    args = parser.parse_args()
    if shutil.which("grep") is None or not Path(TIME).exists():
        emit(name="setup", error=f"needs grep and GNU time ({TIME})")
        return

    args.workdir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    corpus, source = load_corpus(args.seeds)
    words = make_words(corpus, rng, args.words)
    text = make_text(corpus, words, rng, args.mb)
    words_file = args.workdir / "words.txt"
    text_file = args.workdir / "text.txt"
    words_file.write_text("\n".join(words) + "\n", encoding="utf-8")
    text_file.write_text(text, encoding="utf-8")
    emit(
        name="setup",
        corpus=source,
        words=len(words),
        text_bytes=text_file.stat().st_size,
        text_chars=len(text),
        seed=args.seed,
    )
    del text
    env = bench_import(words, args.workdir)
    bench_whole_process(text_file, words_file, env, args.repeat, args.workdir)
    if not args.no_in_process:
        bench_in_process(text_file, max(1, args.repeat // 2))


if __name__ == "__main__":
    main()
