"""A million-document stand-in for query-time work (issue 18): `python -m benchmarks.search_proxy
--documents 100000 --copies 10` writes every document of the `benchmarks.search` corpus of that
size ``copies`` times into a new index, under var/bench/index-<N × copies + 1>, with a copy of
the corpus database beside it (search-<same>.sqlite3), so `benchmarks.search_steps --documents
<that number>` queries it.

Each copy gets its own key, ``uid`` and sample slice; the text, dates and facets are the
original's. Posting lists, document frequencies and segment counts are those of a corpus ten
times the size, which is what the cost of a query depends on; the ranking is not (every
document has nine twins), so relevance is measured on the real corpus only. Tokenising once and
writing ten times builds 1,000,000 documents in about 9 minutes instead of the 1.5 hours of
`gongkai demo --documents 1000000` and a rebuild.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.search import note  # noqa: E402

COPY_STRIDE = 10_000_000  # copy j of primary key pk is pk + j × COPY_STRIDE


def main() -> None:
    parser = argparse.ArgumentParser(description="a larger stand-in index for query timing")
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--copies", type=int, default=10)
    args = parser.parse_args()

    bench = ROOT / "var" / "bench"
    size = args.documents * args.copies + 1  # never the name of a real corpus
    source_db = bench / f"search-{args.documents}.sqlite3"
    target_db = bench / f"search-{size}.sqlite3"
    shutil.copyfile(source_db, target_db)
    os.environ["DATABASE_URL"] = f"sqlite:///{target_db}"
    os.environ["GONGKAI_SEARCH_DIR"] = str(bench / f"index-{size}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings.dev")
    import django

    django.setup()
    import tantivy

    from gongkai.search.engine.documents import tokenised_batches
    from gongkai.search.engine.ranking import uid_of
    from gongkai.search.engine.schema import SAMPLE_SLICES, build_schema, open_index

    source = bench / f"index-{args.documents}"
    base = bench / f"index-{size}"
    gen = f"gen-proxy-{args.copies}x"
    shutil.rmtree(base, ignore_errors=True)
    (base / gen).mkdir(parents=True)
    current = (source / "CURRENT").read_text().strip()
    state = json.loads((source / f"{current}.state.json").read_text())
    state["database"]["name"] = str(target_db)
    (base / f"{gen}.state.json").write_text(json.dumps(state))
    index = open_index(build_schema(), base / gen, reuse=False)
    writer = index.writer(heap_size=256_000_000, num_threads=2)  # as the rebuild's
    started, count = time.perf_counter(), 0
    for batch in tokenised_batches(parallel=1):
        for fields in batch:
            prefix, pk = fields["key"][0].split(":")
            for copy in range(args.copies):
                key = f"{prefix}:{int(pk) + copy * COPY_STRIDE}"
                copied = {
                    **fields,
                    "key": [key],
                    "uid": [uid_of(key)],
                    "sample": [zlib.crc32(key.encode()) % SAMPLE_SLICES],
                }
                writer.add_document(tantivy.Document(**copied))
                count += 1
        note(f"{count} documents, {time.perf_counter() - started:.0f} s")
    writer.commit()
    writer.wait_merging_threads()
    (base / "CURRENT").write_text(gen)
    note(f"done: {count} documents in {base}, {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
