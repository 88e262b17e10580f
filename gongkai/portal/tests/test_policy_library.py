"""政策文件库: facet counts worked out by hand on the conftest world (7 public policies)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def facet_map(response) -> dict[str, dict[str, int]]:
    return {f.key: {v.label: v.count for v in f.values} for f in response.context["facets"]}


def titles(response) -> list[str]:
    return [i.title for i in response.context["page_obj"].object_list]


def test_library_without_filters_counts_every_facet(client, world):
    r = client.get("/policies/")
    assert r.status_code == 200
    assert r.context["total"] == 7
    assert facet_map(r) == {
        "kind": {"规章": 1, "行政规范性文件": 4, "其他政策文件": 2},
        "org": {"杭东市人民政府办公厅": 4, "杭东市财政局": 3},
        "year": {"2026": 2, "2025": 3, "2024": 2},
        "topic": {"财政、金融、审计": 3, "科技、教育": 3},
        "audience": {"公众": 4, "企业": 4},
        "special": {"稳经济大盘": 3, "助企纾困": 3},
    }
    # Newest first.
    assert titles(r) == [
        world.p7.title, world.p4.title, world.p6.title, world.p3.title,
        world.p2.title, world.p5.title, world.p1.title,
    ]  # fmt: skip


def test_one_filter_counts_reflect_other_facets_only(client, world):
    r = client.get("/policies/?kind=normative")
    assert r.context["total"] == 4
    assert facet_map(r) == {
        # Its own facet ignores its own filter (standard faceting), so other values stay visible.
        "kind": {"规章": 1, "行政规范性文件": 4, "其他政策文件": 2},
        "org": {"杭东市人民政府办公厅": 2, "杭东市财政局": 2},
        "year": {"2026": 1, "2025": 1, "2024": 2},
        "topic": {"财政、金融、审计": 3, "科技、教育": 1},
        "audience": {"公众": 2, "企业": 4},
        "special": {"稳经济大盘": 2, "助企纾困": 3},
    }
    kind = next(f for f in r.context["facets"] if f.key == "kind")
    assert [v.value for v in kind.values if v.active] == ["normative"]


def test_combined_and_multi_select_filters(client, world):
    r = client.get("/policies/?kind=normative&year=2025&year=2026")
    assert r.context["total"] == 2
    assert titles(r) == [world.p7.title, world.p2.title]
    assert facet_map(r) == {
        "kind": {"规章": 1, "行政规范性文件": 2, "其他政策文件": 2},
        "org": {"杭东市人民政府办公厅": 1, "杭东市财政局": 1},
        "year": {"2026": 1, "2025": 1, "2024": 2},
        "topic": {"财政、金融、审计": 1, "科技、教育": 1},
        "audience": {"公众": 2, "企业": 2},
        "special": {"稳经济大盘": 2, "助企纾困": 1},
    }


def test_topic_facet_includes_second_level_and_filters_combine_with_org(client, world):
    r = client.get(f"/policies/?topic={world.cfs.pk}")
    assert sorted(titles(r)) == sorted([world.p1.title, world.p2.title, world.p5.title])
    r = client.get(f"/policies/?topic={world.cfs.pk}&org={world.finance.pk}")
    assert titles(r) == [world.p5.title]
    assert facet_map(r)["org"] == {"杭东市人民政府办公厅": 2, "杭东市财政局": 1}
    assert facet_map(r)["topic"] == {"财政、金融、审计": 1, "科技、教育": 2}


def test_audience_and_special_filters(client, world):
    r = client.get(f"/policies/?audience={world.gz.pk}&special={world.wjjdp.pk}")
    assert titles(r) == [world.p7.title, world.p2.title]
    # An item with two audiences is still counted once per audience value and listed once.
    r = client.get(f"/policies/?audience={world.gz.pk}&audience={world.qy.pk}")
    assert r.context["total"] == 6
    assert len(titles(r)) == 6


def test_facet_links_toggle_values_in_the_querystring(client, world):
    r = client.get(f"/policies/?kind=normative&org={world.office.pk}")
    org = next(f for f in r.context["facets"] if f.key == "org")
    by_label = {v.label: v.url for v in org.values}
    assert by_label["杭东市人民政府办公厅"] == "/policies/?kind=normative"
    assert by_label["杭东市财政局"] == (
        f"/policies/?kind=normative&org={world.office.pk}&org={world.finance.pk}"
    )
    html = r.content.decode()
    assert 'aria-current="true"' in html
    assert "清除全部筛选" in html


def test_bad_filter_values_are_ignored(client, world):
    r = client.get("/policies/?kind=bogus&org=abc&year=20x5&year=0000&year=99999&page=999")
    assert r.status_code == 200
    assert r.context["total"] == 7


def test_normative_and_repealed_libraries(client, world):
    r = client.get("/policies/normative/")
    assert r.context["total"] == 4
    assert [f.key for f in r.context["facets"]] == [
        "org", "year", "topic", "audience", "special"
    ]  # fmt: skip
    assert facet_map(r)["org"] == {"杭东市人民政府办公厅": 2, "杭东市财政局": 2}
    r = client.get("/policies/repealed/")
    assert titles(r) == [world.p3.title, world.p5.title]
    assert facet_map(r)["kind"] == {"行政规范性文件": 1, "其他政策文件": 1}


def test_library_pages_never_show_non_public_items(client, world):
    for url in ("/policies/", "/policies/normative/", "/policies/repealed/",
                f"/policies/?kind=normative&special={world.zqjk.pk}"):  # fmt: skip
        html = client.get(url).content.decode()
        for secret in world.secret_titles:
            assert secret not in html, (url, secret)
        assert world.x1.title not in html  # not a policy


def test_library_shows_interpretation_links(client, world):
    html = client.get("/policies/").content.decode()
    assert f'href="/interpretations/{world.i1.pk}/"' in html
    assert world.i2.title not in html


def test_library_query_count_is_bounded(client, world):
    # Warm up, then count: 6 facet queries + page + prefetch (the total comes from 文件类型),
    # and the issuing government named in the portal header. PostgreSQL: the two facets
    # without a selection (org, topic) share one GROUPING SETS scan and add two name lookups
    # by primary key.
    client.get("/policies/")
    with CaptureQueriesContext(connection) as ctx:
        client.get("/policies/?kind=normative&year=2025&year=2026&audience=1")
    first = len(ctx.captured_queries)
    assert first == (10 if connection.vendor == "postgresql" else 9)
    # More data must not mean more queries.
    from gongkai.policies.tests.conftest import make_item

    for n in range(5):
        make_item(world.office, f"新增政策{n}", kind="normative", audiences=[world.qy])
    with CaptureQueriesContext(connection) as ctx:
        client.get("/policies/?kind=normative&year=2025&year=2026&audience=1")
    assert len(ctx.captured_queries) == first


def test_unfiltered_library_counts_no_document(client, world):
    """Issue 17: not six GROUP BY scans of every public policy per view. The unfiltered library
    reads the maintained facet counts (docs/adr/0015): one query for the counts, one name lookup
    per labelled facet, the page, its interpretations and the portal header's government."""
    client.get("/policies/")
    with CaptureQueriesContext(connection) as ctx:
        html = client.get("/policies/").content.decode()
    assert [q["sql"] for q in ctx.captured_queries if "GROUP BY" in q["sql"]] == []
    assert len(ctx.captured_queries) == 8
    # The hand-counted world (conftest) on the page.
    assert "规范性文件" in html


@pytest.mark.parametrize(
    "query",
    ["", "kind=normative", "org={office}&audience={qy}", "year=2025&special={zqjk}", "topic={kj}"],
)
def test_grouped_counts_equal_one_query_per_facet(world, query):
    from django.http import QueryDict

    from gongkai.policies import selectors

    if connection.vendor != "postgresql":
        pytest.skip("GROUPING SETS: PostgreSQL only (SQLite counts facet by facet)")
    ids = {
        "office": world.office.pk,
        "qy": world.qy.pk,
        "zqjk": world.zqjk.pk,
        "kj": world.kj.pk,
    }
    filters = selectors.policy_filters_parse(dict(QueryDict(query.format(**ids)).lists()))
    base = selectors.public_policies()
    keys = [k for k in selectors.COLUMN_FACETS if not filters.get(k)]
    grouped = selectors._grouped_counts(keys, selectors.policy_filters_apply(base, filters))
    for key in keys:
        one_by_one = selectors._facet_counts(key, selectors.policy_filters_apply(base, filters))
        assert grouped[key] == one_by_one, key
        assert sum(v.count for v in grouped[key]) > 0, key
