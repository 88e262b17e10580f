"""错敏词 scan throughput beside ``grep -o -F -f``: `python -m benchmarks.check [--mb 50]`.

Issue 5 target: with a 20,000-term dictionary over at least 50 MB of Chinese text, our scan
reaches at least half of grep's throughput. Everything is generated deterministically (``--seed``)
from the seed documents (``shared/seeds`` beside the repository, else the Chinese text of this
repository's own docs and sources):

* dictionary: up to 300 real words (rjieba's segmentation of the corpus, 2–6 characters) plus
  random 2–6 character strings drawn from the corpus's character frequencies, 20,000 distinct;
* text: corpus sentences picked at random, one in five with a dictionary word injected, until
  the UTF-8 size reaches ``--mb`` MB.

Throughput is UTF-8 megabytes (10^6 bytes) of the text file per second for both. Ours is timed
over the ``str`` the checker sees (decoding the file is not included); grep's is the wall time
of the process reading the file with ``LC_ALL=C.UTF-8``, counting its output lines. Both report
leftmost-longest non-overlapping matches, so the match counts must be equal (``counts_equal``).
Best of ``--repeat`` runs. Prints JSON lines only.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import re
import resource
import shutil
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
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


def make_text(corpus: str, words: list[str], rng: random.Random, megabytes: float) -> str:
    sentences = [s for s in SENTENCE_END.split(corpus) if s.strip()]
    target = int(megabytes * 1_000_000)
    parts: list[str] = []
    size = 0
    since_newline = 0
    while size < target:
        s = rng.choice(sentences)
        if rng.random() < 0.2:
            k = rng.randrange(len(s) + 1)
            s = s[:k] + rng.choice(words) + s[k:]
        since_newline += 1
        if since_newline >= 12 and not s.endswith("\n"):
            s += "\n"
            since_newline = 0
        parts.append(s)
        size += len(s.encode("utf-8"))
    return "".join(parts)


def best(runs: list[float]) -> float:
    return min(runs)


def grep_run(words_file: Path, text_file: Path) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system of the grep process) and output lines."""
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(
        ["grep", "-o", "-F", "-f", str(words_file), str(text_file)],
        stdout=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None
    lines = 0
    while chunk := proc.stdout.read(1 << 20):
        lines += chunk.count(b"\n")
    proc.wait()
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"grep exited with {proc.returncode}")
    return elapsed, cpu, lines


def bench_import(words: list[str], workdir: Path) -> None:
    """Import the dictionary with ``import_wordlist`` into a fresh SQLite database."""
    db_file = workdir / "check.sqlite3"
    if db_file.exists():
        db_file.unlink()
    os.environ["DATABASE_URL"] = f"sqlite:///{db_file}"
    os.environ["GONGKAI_VAR_DIR"] = str(workdir)
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
    elapsed = time.perf_counter() - start
    emit(name="wordlist_import", words=len(words), seconds=round(elapsed, 3))

    from gongkai.checks.selectors import current_checker

    start = time.perf_counter()
    checker = current_checker()
    elapsed = time.perf_counter() - start
    emit(
        name="dictionary_load_from_db",
        words=checker.words.size,
        engine=checker.words.engine,
        seconds=round(elapsed, 3),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=50.0, help="text size in UTF-8 MB")
    parser.add_argument("--words", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seeds", type=Path, default=None, help="directory of seed .txt files")
    parser.add_argument("--workdir", type=Path, default=ROOT / "var" / "bench" / "check")
    parser.add_argument("--no-import", action="store_true", help="skip the database import")
    parser.add_argument("--no-fallback", action="store_true", help="skip pyahocorasick")
    args = parser.parse_args()

    from gongkai.checks.text import WordMatcher

    args.workdir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    corpus, source = load_corpus(args.seeds)
    words = make_words(corpus, rng, args.words)
    text = make_text(corpus, words, rng, args.mb)
    words_file = args.workdir / "words.txt"
    text_file = args.workdir / "text.txt"
    words_file.write_text("\n".join(words) + "\n", encoding="utf-8")
    text_file.write_text(text, encoding="utf-8")
    size = text_file.stat().st_size
    emit(
        name="setup",
        corpus=source,
        words=len(words),
        text_bytes=size,
        text_chars=len(text),
        seed=args.seed,
    )

    entries = [(w, "其他", "") for w in words]
    engines = ["ahocorasick_rs"] if args.no_fallback else list(WordMatcher.ENGINES)
    ours: dict[str, tuple[float, float, int]] = {}
    for engine in engines:
        start = time.perf_counter()
        matcher = WordMatcher(entries, engine=engine)
        load = time.perf_counter() - start
        emit(name="dictionary_load", engine=engine, words=matcher.size, seconds=round(load, 3))
        runs = []
        cpu_runs = []
        count = 0
        for _ in range(args.repeat if engine == engines[0] else 1):
            start = time.perf_counter()
            cpu_start = time.process_time()
            count = len(matcher.findings(text))
            cpu_runs.append(time.process_time() - cpu_start)
            runs.append(time.perf_counter() - start)
        seconds = best(runs)
        cpu = best(cpu_runs)
        ours[engine] = (seconds, cpu, count)
        emit(
            name="scan",
            engine=engine,
            seconds=round(seconds, 3),
            cpu_seconds=round(cpu, 3),
            mb_per_s=round(size / 1e6 / seconds, 2),
            cpu_mb_per_s=round(size / 1e6 / cpu, 2),
            matches=count,
        )
        del matcher

    if shutil.which("grep") is None:
        emit(name="grep", error="grep not found")
        return
    grep_runs = []
    grep_cpu_runs = []
    grep_count = 0
    for _ in range(args.repeat):
        elapsed, grep_cpu, grep_count = grep_run(words_file, text_file)
        grep_runs.append(elapsed)
        grep_cpu_runs.append(grep_cpu)
    grep_seconds = best(grep_runs)
    grep_cpu = best(grep_cpu_runs)
    grep_rate = size / 1e6 / grep_seconds
    emit(
        name="grep",
        command="LC_ALL=C.UTF-8 grep -o -F -f words.txt text.txt",
        seconds=round(grep_seconds, 3),
        cpu_seconds=round(grep_cpu, 3),
        mb_per_s=round(grep_rate, 2),
        cpu_mb_per_s=round(size / 1e6 / grep_cpu, 2),
        matches=grep_count,
    )
    seconds, cpu, count = ours[engines[0]]
    our_rate = size / 1e6 / seconds
    # CPU-time throughput is reported too: on a shared machine wall time mostly measures the
    # other processes.
    emit(
        name="summary",
        engine=engines[0],
        mb_per_s=round(our_rate, 2),
        grep_mb_per_s=round(grep_rate, 2),
        ratio_to_grep=round(our_rate / grep_rate, 2),
        cpu_ratio_to_grep=round(grep_cpu / cpu, 2),
        target_ratio=0.5,
        target_met=our_rate >= 0.5 * grep_rate,
        counts_equal=count == grep_count,
    )
    del text
    if not args.no_import:
        bench_import(words, args.workdir)


if __name__ == "__main__":
    main()
