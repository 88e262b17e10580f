"""The ranking rules of issue 18 on a small corpus built for them, through the full evaluation
and through the broad way (candidates by bigram BM25, verified): a title hit outranks a body
hit; an old but exact policy outranks a new passing mention; policies above news for a
policy-like query."""

import datetime

import pytest

from gongkai.catalogue.tests.factories import InformationItemFactory
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
