"""The pure steps the engine package is made of, pinned on their own (the engine's behaviour as
a whole is in test_relevance, test_broad, test_write_paths and test_two_process)."""

import datetime

from gongkai.search.engine import SearchParams
from gongkai.search.engine.broad import _window_days, latest_day, sample_slices
from gongkai.search.engine.replica import HOLE_TTL_SECONDS, advance
from gongkai.search.engine.schema import day_number


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


# Issue 18 at 1M: the "newest first" window of a broad query starts at the last day its filters
# allow. Counting from the newest document made a query filtered to an old year grow its window
# 8× at a time up to the whole index (90 ms at a million documents, for page 50).
BUCKETS = [(60, 5), (30, 5), (0, 5)]  # (first day, documents), newest first; 30-day buckets


def test_the_newest_window_holds_the_newest_buckets_that_reach_the_target():
    assert _window_days(BUCKETS, 5) == list(range(60, 90))
    assert _window_days(BUCKETS, 6) == list(range(30, 90))
    assert _window_days(BUCKETS, 16) is None  # every bucket: no window


def test_the_newest_window_starts_at_the_last_day_the_filters_allow():
    assert _window_days(BUCKETS, 5, latest=45) == list(range(30, 60))
    assert _window_days(BUCKETS, 6, latest=45) == list(range(0, 60))
    assert _window_days(BUCKETS, 5, latest=29) == list(range(0, 30))
    assert _window_days(BUCKETS, 6, latest=29) is None  # every day that can match


def test_the_last_day_a_query_allows_comes_from_date_to_and_the_year_filter():
    assert latest_day(SearchParams(q="x")) is None
    assert latest_day(SearchParams(q="x", filters={"year": ["2019", 2021]})) == day_number(
        datetime.date(2021, 12, 31)
    )
    assert latest_day(
        SearchParams(q="x", filters={"year": [2021]}, date_to=datetime.date(2021, 6, 1))
    ) == day_number(datetime.date(2021, 6, 1))
    assert latest_day(SearchParams(q="x", date_to=datetime.date(2030, 1, 2))) == day_number(
        datetime.date(2030, 1, 2)
    )
