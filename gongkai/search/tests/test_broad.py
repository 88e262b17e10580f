"""Broad queries (terms in most of the index): ranked by relevance among the best candidates by
bigram BM25 (the same order as a full evaluation), pages past the candidates newest first, with
an estimated total — and the same documents, in an order fixed by these rules, on every page."""

import datetime
import zlib

import pytest

from gongkai.catalogue.models import InformationItem
from gongkai.catalogue.tests.factories import InformationItemFactory
from gongkai.search.engine import broad as engine_broad
from gongkai.search.engine import ranking as engine_ranking
from gongkai.search.selectors import run_search


def _item(org, n, title, body, day, **extra):
    return InformationItemFactory.create(
        index_number=f"T-broad-{n}",
        organisation=org,
        title=title,
        body_text=body,
        status=extra.pop("status", "published"),
        published_date=day,
        **extra,
    )


@pytest.fixture
def corpus(org_tree):
    org = org_tree["office"]
    d = datetime.date
    made = {
        # Title hits: same title length, so equal scores and the newer first.
        "title_old": _item(org, 1, "优化营商环境工作方案", "全文见附件。", d(2019, 5, 1)),
        "title_new": _item(org, 2, "优化营商环境实施方案", "全文见附件。", d(2024, 5, 1)),
        # Body hits only, at different dates.
        "body_2018": _item(org, 3, "关于印发若干措施的通知", "持续优化营商环境。", d(2018, 1, 9)),
        "body_2022": _item(org, 4, "年度工作要点", "营商环境评价。", d(2022, 7, 1)),
        "body_2025": _item(org, 5, "工作简报第三期", "营商环境专项行动。", d(2025, 2, 3)),
        "body_2021": _item(org, 6, "第二季度会议纪要", "研究营商环境问题。", d(2021, 3, 3)),
        # Never shown to the public: a draft with the term in its title.
        "draft": _item(org, 7, "营商环境草案", "营商环境。", d(2025, 6, 1), status="draft"),
        "other": _item(org, 8, "防汛防台应急预案", "汛期值班。", d(2025, 1, 1)),
    }
    return {name: f"item:{item.pk}" for name, item in made.items()}


# Issue 18: a broad query ranks by relevance like any other (it used to list the body-only
# matches newest first, which buried relevant documents at a million). The order below is the
# full evaluation's: the title hits, then the body hits by BM25 (shorter bodies first) × the
# date factor. The broad way must give exactly this order, found among its candidates.
BY_RELEVANCE = ["title_new", "title_old", "body_2022", "body_2025", "body_2021", "body_2018"]
# Past the candidates (deep pages), the other matches follow newest first.
NEWEST = ["body_2025", "body_2022", "body_2021", "body_2018"]


def _keys(page):
    return [h["key"] for h in page.hits]


@pytest.fixture
def few_candidates(monkeypatch):
    """Three candidates per query — the draft (its title holds the query; visibility is only
    checked when candidates are verified) and the two title hits: everything past them comes
    from the newest-first part."""
    monkeypatch.setattr(engine_ranking, "CANDIDATES", 3)


def test_broad_query_ranks_like_the_full_evaluation(corpus, settings):
    exact = run_search(user=None, q="营商环境")
    assert _keys(exact) == [corpus[n] for n in BY_RELEVANCE]
    settings.GONGKAI_SEARCH_BROAD_CANDIDATES = 0  # every query is broad
    page = run_search(user=None, q="营商环境")
    assert _keys(page) == [corpus[n] for n in BY_RELEVANCE]
    assert [h["score"] for h in page.hits] == [h["score"] for h in exact.hits]
    assert page.total == 6
    # Every document with a bigram of the query was a candidate: the count is exact.
    assert page.total_approximate is False
    assert {v.value: v.count for v in page.facets["year"]} == {
        2024: 1, 2019: 1, 2025: 1, 2022: 1, 2021: 1, 2018: 1,
    }  # fmt: skip


def test_broad_pages_partition_the_same_ranking(corpus, settings):
    settings.GONGKAI_SEARCH_BROAD_CANDIDATES = 0
    pages = [run_search(user=None, q="营商环境", page=n, page_size=4) for n in (1, 2, 3)]
    assert [_keys(p) for p in pages] == [
        [corpus[n] for n in BY_RELEVANCE[:4]],
        [corpus[n] for n in BY_RELEVANCE[4:]],
        [],
    ]
    assert [p.total for p in pages] == [6, 6, 6]


def test_pages_past_the_candidates_continue_newest_first(corpus, settings, few_candidates):
    settings.GONGKAI_SEARCH_BROAD_CANDIDATES = 0
    pages = [run_search(user=None, q="营商环境", page=n, page_size=2) for n in (1, 2, 3)]
    # The title hits have the highest bigram BM25 (beside the draft, which is never shown).
    assert [_keys(p) for p in pages] == [
        [corpus["title_new"], corpus["title_old"]],
        [corpus[n] for n in NEWEST[:2]],
        [corpus[n] for n in NEWEST[2:]],
    ]
    assert [h["score"] > 0 for p in pages for h in p.hits] == [True, True] + [False] * 4


def test_every_page_of_a_broad_query_slices_the_same_list(corpus, settings, few_candidates):
    # One document per page: the number of candidates does not grow with the page (it used
    # to be three times the page's end), so no document repeats or goes missing where the
    # ranked candidates end and the newest-first part begins.
    settings.GONGKAI_SEARCH_BROAD_CANDIDATES = 0
    pages = [run_search(user=None, q="营商环境", page=n, page_size=1) for n in range(1, 8)]
    assert [_keys(p) for p in pages] == [
        [corpus["title_new"]],
        [corpus["title_old"]],
        *[[corpus[n]] for n in NEWEST],
        [],
    ]


def test_a_facet_filter_ranks_its_own_best_candidates(corpus, settings, monkeypatch):
    # One candidate per query. Found without the filter, it would be the best title hit of
    # 2024 (or the draft), the filter would drop it and the 2022 match would be listed newest
    # first with score 0; the filter is part of the candidates' search, so it is ranked.
    monkeypatch.setattr(engine_ranking, "CANDIDATES", 1)
    settings.GONGKAI_SEARCH_BROAD_CANDIDATES = 0
    page = run_search(user=None, q="营商环境", filters={"year": [2022]})
    assert _keys(page) == [corpus["body_2022"]]
    assert page.hits[0]["score"] > 0
    assert page.total == 1
    assert page.total_approximate is False


def test_broad_date_sort_equals_the_exact_date_sort(corpus, settings):
    exact = run_search(user=None, q="营商环境", sort="date")
    settings.GONGKAI_SEARCH_BROAD_CANDIDATES = 0
    broad = run_search(user=None, q="营商环境", sort="date")
    expected = ["body_2025", "title_new", "body_2022", "body_2021", "title_old", "body_2018"]
    assert _keys(exact) == _keys(broad) == [corpus[n] for n in expected]
    assert broad.total == exact.total == 6


def test_newest_window_grows_until_it_holds_the_page(corpus, settings, monkeypatch, few_candidates):
    # Windows of one 1-day bucket hold no match at first: the window has to grow 8× a few times.
    monkeypatch.setattr(engine_broad, "NEWEST_MIN_WINDOW", 1)
    monkeypatch.setattr(engine_broad, "DAY_BUCKET", 1)
    settings.GONGKAI_SEARCH_BROAD_CANDIDATES = 0
    page = run_search(user=None, q="营商环境", page=2, page_size=3)
    assert _keys(page) == [corpus[n] for n in NEWEST[1:]]
    assert page.total == 6


def test_broad_total_is_estimated_from_a_slice(corpus, settings, monkeypatch, few_candidates):
    settings.GONGKAI_SEARCH_BROAD_CANDIDATES = 0
    docs = InformationItem.objects.count()
    # Candidates for about half of the 64 slices.
    monkeypatch.setattr(engine_broad, "SAMPLE_CANDIDATES", docs // 2 + 1)
    slices = engine_broad.SAMPLE_SLICES * (docs // 2 + 1) // docs
    assert 0 < slices < 64
    in_sample = [
        key
        for name, key in corpus.items()
        if name.startswith(("title", "body")) and zlib.crc32(key.encode()) % 64 < slices
    ]
    # Two per page: the title hits fill page 1, so nothing shows how many others there are.
    page = run_search(user=None, q="营商环境", page_size=2)
    assert _keys(page) == [corpus["title_new"], corpus["title_old"]]
    if in_sample:  # which keys fall in the slice depends on the primary keys the database gave
        scaled = round(len(in_sample) * 64 / slices)
        assert page.total == max(2, scaled)
        assert page.total_approximate is True
        assert page.facets_approximate is True
        assert [(v.value, v.count) for v in page.facets["type"]] == [("item", scaled)]
    else:  # no match in the slice: evaluated in full
        assert page.total == 6
        assert page.total_approximate is False
    # Once the page needs the "newest first" part and that part reaches the oldest match,
    # the total is exact again.
    last = run_search(user=None, q="营商环境", page=3, page_size=2)
    assert _keys(last) == [corpus[n] for n in NEWEST[2:]]
    assert last.total == 6
    assert last.total_approximate is False


def test_broad_query_never_shows_what_the_viewer_may_not_see(corpus, settings):
    settings.GONGKAI_SEARCH_BROAD_CANDIDATES = 0
    for sort in ("relevance", "date"):
        keys = _keys(run_search(user=None, q="营商环境", sort=sort))
        assert corpus["draft"] not in keys
        assert len(keys) == 6
    assert corpus["draft"] not in _keys(run_search(user=None, q=""))


def test_broad_query_without_a_sampled_match_is_evaluated_in_full(org_tree, settings):
    # The strict phrase finds nothing, so the engine evaluates in full and relaxes the query.
    item = _item(
        org_tree["office"],
        9,
        "随迁子女如何申请义务教育入学",
        "问答。",
        datetime.date(2024, 1, 1),
    )
    settings.GONGKAI_SEARCH_BROAD_CANDIDATES = 0
    page = run_search(user=None, q="随迁子女入学")
    assert _keys(page) == [f"item:{item.pk}"]
    assert page.total_approximate is False


def test_filters_apply_to_both_parts(corpus, settings, org_tree):
    settings.GONGKAI_SEARCH_BROAD_CANDIDATES = 0
    page = run_search(user=None, q="营商环境", filters={"year": [2024, 2022]})
    assert _keys(page) == [corpus["title_new"], corpus["body_2022"]]
    assert page.total == 2


def test_candidates_hold_the_rarest_term_of_every_run(corpus, settings, monkeypatch, org_tree):
    # One candidate per query. By bigram score alone the best candidate of `营商环境 考核` is
    # a title hit of 营商环境 without 考核, which verification drops, and the one real match
    # would follow newest first with score 0. 考核 is in one document of ten (at most
    # REQUIRE_SHARE of the index), so the candidates' search requires it: the real match is
    # the candidate, ranked, and the count is exact.
    assessed = _item(
        org_tree["office"], 9, "季度工作简报", "营商环境考核结果。", datetime.date(2020, 1, 1)
    )
    _item(org_tree["office"], 10, "防汛防台值班表", "汛期值班。", datetime.date(2020, 2, 1))
    monkeypatch.setattr(engine_ranking, "CANDIDATES", 1)
    settings.GONGKAI_SEARCH_BROAD_CANDIDATES = 0
    page = run_search(user=None, q="营商环境 考核")
    assert _keys(page) == [f"item:{assessed.pk}"]
    assert page.hits[0]["score"] > 0
    assert page.total == 1
    assert page.total_approximate is False
    # Without the requirement the same page is found, but only past the candidates.
    monkeypatch.setattr(engine_ranking, "REQUIRE_SHARE", -1.0)
    unrequired = run_search(user=None, q="营商环境 考核")
    assert _keys(unrequired) == [f"item:{assessed.pk}"]
    assert unrequired.hits[0]["score"] == 0
