"""The pure steps the engine package is made of, pinned on their own (the engine's behaviour as
a whole is in test_relevance, test_broad, test_write_paths and test_two_process)."""

from gongkai.search.engine.broad import sample_slices
from gongkai.search.engine.replica import HOLE_TTL_SECONDS, advance


def test_applying_log_ids_moves_the_position_and_keeps_unseen_ids_as_holes():
    now = 1_000_000.0
    holes = {3: now - 10, 4: now - HOLE_TTL_SECONDS - 1, 5: now - HOLE_TTL_SECONDS}
    applied, kept = advance(5, holes, {3, 7, 9}, now)
    # 3 arrived, 4 is older than the TTL (a rolled-back transaction), 5 is just within it;
    # 6 and 8 were skipped by ids that did arrive, so they are new holes.
    assert applied == 9
    assert kept == {5: now - HOLE_TTL_SECONDS, 6: now, 8: now}


def test_applying_nothing_keeps_the_position():
    assert advance(12, {}, set(), 5.0) == (12, {})


def test_broad_counts_use_as_many_slices_as_hold_about_16000_documents():
    assert [sample_slices(n) for n in (0, 10_000, 16_000, 32_000, 100_000, 1_000_000)] == [
        64,
        64,
        64,
        32,
        10,
        1,
    ]
