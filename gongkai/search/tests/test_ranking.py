"""The ranking rules of issue 18 on a small corpus built for them, through the full evaluation
and through the broad way (candidates by bigram BM25, verified): a title hit outranks a body
hit; an old but exact policy outranks a new passing mention; policies above news for a
policy-like query; the kind prior lifts a policy only as far as its title names the query; and
the re-ranked pages neither repeat nor skip a document."""

import datetime

import pytest

from gongkai.catalogue.tests.factories import InformationItemFactory
from gongkai.search.engine import ranking
from gongkai.search.engine.ranking import gated_factor, kind_spread
from gongkai.search.selectors import run_search

D = datetime.date
FILLER = "本文件自发布之日起施行。各单位要结合实际认真贯彻落实，确保各项任务落到实处。"


def _item(org, slug, title, body, day, **extra):
    return InformationItemFactory.create(
        index_number=f"T-rank-{slug}",
        organisation=org,
        title=title,
        body_text=body,
        status="published",
        published_date=day,
        **extra,
    )


@pytest.fixture
def ranked(org_tree):
    org = org_tree["office"]
    made = {
        # The term in the title (once) vs in the body of a newer document (twice).
        "title_hit": _item(org, 1, "垃圾分类工作方案", FILLER, D(2018, 3, 1), genre="notice"),
        "body_hit": _item(
            org,
            2,
            "城市管理年度工作要点",
            f"推进垃圾分类。巩固垃圾分类成果。{FILLER}",
            D(2025, 3, 1),
            genre="notice",
        ),
        # An old exact policy about 老旧小区改造 and a new news item that mentions it once.
        "old_policy": _item(
            org,
            3,
            "杭东市城镇老旧小区改造管理办法",
            "第一条　为规范老旧小区改造，制定本办法。第二条　老旧小区改造坚持居民自愿。" + FILLER,
            D(2012, 6, 1),
            doc_number="杭政办规〔2012〕4号",
            policy_kind="normative",
            genre="notice",
        ),
        "new_mention": _item(
            org,
            4,
            "市政府召开第十二次常务会议",
            "会议研究了民生实事项目、防汛防台、基层治理、营商环境和老旧小区改造等事项，"
            "部署下一阶段重点工作。" + FILLER * 3,
            D(2026, 5, 1),
            genre="other",
        ),
        # The same term in the title of a policy and of a news item of the same year.
        "policy": _item(
            org,
            5,
            "杭东市校外培训机构管理实施细则",
            "第一条　加强校外培训机构管理。" + FILLER,
            D(2023, 4, 1),
            doc_number="杭教规〔2023〕2号",
            policy_kind="normative",
            genre="notice",
        ),
        "news": _item(
            org,
            6,
            "市教育局召开校外培训机构管理推进会",
            "会议通报校外培训机构管理情况。" + FILLER,
            D(2023, 9, 1),
            genre="other",
        ),
        # A policy that names one of the two runs of `课后服务 收费` in its title (the other in
        # its text) and a plain notice that names both in its title.
        "subject_policy": _item(
            org,
            7,
            "杭东市中小学课后服务管理办法",
            "第一条　为规范管理，制定本办法。第二条　收费实行成本补偿。" + FILLER,
            D(2022, 6, 1),
            doc_number="杭教规〔2024〕3号",
            policy_kind="normative",
            genre="notice",
        ),
        "titled_notice": _item(
            org,
            8,
            "关于规范课后服务收费有关事项的通知",
            "各学校：现就课后服务收费有关事项通知如下。" + FILLER,
            D(2022, 6, 1),
            genre="notice",
        ),
    }
    return {name: f"item:{item.pk}" for name, item in made.items()}


@pytest.fixture(params=["full", "broad"])
def path(request, settings):
    """Every rule holds whether the query is evaluated in full or goes the broad way."""
    if request.param == "broad":
        settings.GONGKAI_SEARCH_BROAD_CANDIDATES = 0
    return request.param


def _keys(q):
    return [h["key"] for h in run_search(user=None, q=q).hits]


def test_a_title_hit_outranks_a_body_hit(ranked, path):
    assert _keys("垃圾分类") == [ranked["title_hit"], ranked["body_hit"]]


def test_an_old_exact_policy_outranks_a_new_passing_mention(ranked, path):
    assert _keys("老旧小区改造") == [ranked["old_policy"], ranked["new_mention"]]


def test_policies_above_news_for_a_policy_like_query(ranked, path):
    assert _keys("校外培训机构管理") == [ranked["policy"], ranked["news"]]


def test_the_kind_prior_lifts_a_policy_only_as_far_as_its_title_names_the_query(ranked, path):
    # With its whole kind factor (×1.6 against ×1.15) the policy would come first; its title
    # names 课后服务 only, so only half of that factor counts, and the notice naming both wins.
    assert _keys("课后服务 收费") == [ranked["titled_notice"], ranked["subject_policy"]]


@pytest.mark.parametrize(
    ("q", "spread"),
    [
        ("垃圾分类 管理办法", 1.0),
        ("政策解读", 1.0),
        ("垃圾分类", 0.5),
        ("课后服务 收费", 0.5),
        ("垃圾分类 推进会", 0.0),
        ("召开 规范性文件 会议", 0.0),  # an event named: news first, whatever else it names
    ],
)
def test_kind_spread_by_what_the_query_names(q, spread):
    assert kind_spread(q) == spread


def test_the_gated_factor_never_exceeds_the_stored_one():
    recency = 1.2
    policy = 1.6 * recency
    assert gated_factor(policy, recency, 1.0, 1.0) == pytest.approx(policy)
    assert gated_factor(policy, recency, 1.0, 0.5) == pytest.approx(1.3 * recency)
    assert gated_factor(policy, recency, 0.5, 0.5) == pytest.approx(1.15 * recency)
    assert gated_factor(policy, recency, 0.0, 1.0) == pytest.approx(recency)
    # A repealed 公文 (×1.15 × 0.85 < 1) keeps its penalty whatever the query.
    repealed = 1.15 * 0.85 * recency
    assert gated_factor(repealed, recency, 0.0, 0.5) == pytest.approx(repealed)
    for share in (0.0, 0.25, 0.5, 1.0):
        for spread in (0.0, 0.5, 1.0):
            assert gated_factor(policy, recency, share, spread) <= policy + 1e-12


@pytest.fixture
def many(org_tree):
    """Twelve documents on 河长制, of every kind, some naming it in the title."""
    org = org_tree["office"]
    keys = []
    for n in range(12):
        policy = n % 3 == 0
        item = _item(
            org,
            100 + n,
            f"杭东市河长制管理办法（第{n}号）" if policy else f"第{n}期工作简报",
            f"河长制{'。' * (n % 4)}巡河。" * (1 + n % 5) + FILLER,
            D(2014 + n, 1 + n % 12, 1),
            doc_number=f"杭水规〔{2014 + n}〕{n}号" if policy else "",
            policy_kind="normative" if policy else "",
            genre="notice" if policy else ("other" if n % 2 else "notice"),
        )
        keys.append(f"item:{item.pk}")
    return keys


def _river_chief(page=1, page_size=50):
    return [
        h["key"] for h in run_search(user=None, q="河长制", page=page, page_size=page_size).hits
    ]


def test_pages_neither_repeat_nor_skip_across_the_rerank_depth(many, path, monkeypatch):
    # Re-rank only the first 4 (of 12): pages of 3 straddle the depth.
    monkeypatch.setattr(ranking, "RERANK_DEPTH", 4)
    pages = [key for page in range(1, 5) for key in _river_chief(page, 3)]
    assert pages == _river_chief()  # four pages of three are the one page of fifty
    assert sorted(pages) == sorted(many)
