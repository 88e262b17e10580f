"""The judged relevance set: recall@10 ≥ 0.9, exact 文号 first, repealed marked not hidden."""

import pytest

from gongkai.catalogue.tests.factories import InformationItemFactory
from gongkai.search.selectors import run_search

from . import corpus


@pytest.fixture
def docs(org_tree):
    return corpus.build(org_tree)


def top_keys(q, n=10, **kw):
    page = run_search(user=None, q=q, page_size=n, **kw)
    return [h["key"] for h in page.hits], page


def test_recall_at_10_on_the_judged_set(docs):
    judged = [(q, exp) for q, exp in corpus.JUDGED if exp]
    assert len(judged) >= 40
    scores, misses = [], []
    for q, expected in judged:
        keys, _ = top_keys(q)
        want = {corpus.key_of(docs[s]) for s in expected}
        found = want & set(keys)
        scores.append(len(found) / len(want))
        if found != want:
            misses.append((q, sorted(want - found)))
    recall = sum(scores) / len(scores)
    print(recall, misses)
    assert recall >= 0.9, (recall, misses)
    # On this corpus every judged document is found; keep it that way.
    assert misses == []


@pytest.mark.parametrize(
    "q",
    [
        "杭政办〔2020〕6号",
        "杭政办[2020]6号",
        "杭政办（2020）6号",
        "杭政办［２０２０］６号",
        "杭政办【2020】6号",
        "杭政辦〔2020〕6號",
        " 杭政办 (2020) 6号 ",
    ],
)
def test_doc_number_variants_find_the_document_first(docs, q):
    keys, page = top_keys(q)
    assert keys[0] == corpus.key_of(docs["gkyd2020"])
    assert page.exact_url.endswith(f"/{docs['gkyd2020'].pk}/")


def test_partial_doc_number_lists_the_series_without_exact_redirect(docs):
    keys, page = top_keys("杭政办发〔2019〕")
    assert page.exact_url == ""
    assert set(keys[:2]) == {
        corpus.key_of(docs["ysq_rules"]),
        corpus.key_of(docs["double_random"]),
    } or (corpus.key_of(docs["ysq_rules"]) in keys and corpus.key_of(docs["double_random"]) in keys)


def test_traditional_query_finds_simplified_text(docs):
    keys, _ = top_keys("公共租賃住房保障")
    assert keys[0] == corpus.key_of(docs["housing"])


def test_title_outranks_body(docs):
    # 防汛防台 is in the title of `flood` only; `emergency` mentions neither.
    keys, _ = top_keys("应急预案")
    assert keys[:2] == [corpus.key_of(docs["flood"]), corpus.key_of(docs["emergency"])] or keys[
        :2
    ] == [corpus.key_of(docs["emergency"]), corpus.key_of(docs["flood"])]
    keys, _ = top_keys("政务新媒体")
    assert keys[0] == corpus.key_of(docs["newmedia"])  # title hit beats the body hit of site_check


def test_equal_scores_newer_first(org_tree):
    import datetime

    made = {}
    for n, year in enumerate((2019, 2023, 2021)):
        made[year] = InformationItemFactory.create(
            index_number=f"T-eq-{n}",
            organisation=org_tree["finance"],
            title="市级部门预算公开",
            body_text="部门预算公开说明",
            status="published",
            published_date=datetime.date(year, 3, 1),
        )
    keys, page = top_keys("部门预算")
    assert keys == [f"item:{made[y].pk}" for y in (2023, 2021, 2019)]
    # Issue 18: the date is a factor (×1 in 2010 to ×1.3 in 2030, engine/ranking.py), no
    # longer a tie-break of at most 1 %: four years apart is 1.1974 / 1.1374.
    assert page.hits[0]["score"] / page.hits[2]["score"] == pytest.approx(1.0528, abs=1e-3)


def test_repealed_documents_are_marked_not_hidden(docs):
    _, page = top_keys("城乡居民基本养老保险实施办法")
    by_key = {h["key"]: h for h in page.hits}
    old = by_key[corpus.key_of(docs["pension"])]
    new = by_key[corpus.key_of(docs["pension_new"])]
    assert (old["validity"], old["validity_label"], old["inactive"]) == ("repealed", "废止", True)
    assert (new["validity"], new["inactive"]) == ("valid", False)


def test_snippet_is_escaped_and_marked(docs, org_tree):

    InformationItemFactory.create(
        index_number="T-x",
        organisation=org_tree["office"],
        title="脚本测试",
        body_text="<script>alert(1)</script>关于窨井盖治理的说明",
        status="published",
    )
    _, page = top_keys("窨井盖")
    assert (
        page.hits[0]["snippet"]
        == "&lt;script&gt;alert(1)&lt;/script&gt;关于<mark>窨井盖</mark>治理的说明"
    )


def test_facets_and_filters(docs, org_tree):
    _, page = top_keys("预算")
    counts = {f: {v.value: v.count for v in vals} for f, vals in page.facets.items()}
    # budget2023, budget2022 (items) + fee? no. draft_fin and q_draft are not public.
    assert counts["org"] == {org_tree["finance"].pk: page.total}
    keys, page = top_keys("政务公开工作要点", filters={"year": [2021]})
    assert keys == [corpus.key_of(docs["gkyd2021"])]
    keys, page = top_keys("", filters={"validity": ["repealed"]})
    assert set(keys) == {corpus.key_of(docs["pension"]), corpus.key_of(docs["ysq_rules_old"])}
    keys, page = top_keys("", filters={"type": ["qa"]}, sort="date")
    assert keys == [
        corpus.key_of(docs[s]) for s in ("q_enroll", "q_housing", "q_fee", "q_deadline")
    ]
    import datetime

    keys, page = top_keys(
        "工作要点", date_from=datetime.date(2021, 1, 1), date_to=datetime.date(2021, 12, 31)
    )
    assert keys == [corpus.key_of(docs["gkyd2021"])]
    keys, page = top_keys("", filters={"policy_kind": ["rule"]}, sort="date")
    assert keys == [
        corpus.key_of(docs[s])
        for s in ("yingshang", "major_decision", "land", "fair_comp", "normative_mgmt")
    ]


def test_single_character_queries(org_tree):

    made = [
        InformationItemFactory.create(
            index_number=f"T-1c-{n}",
            organisation=org_tree["office"],
            title=title,
            status="published",
        )
        for n, title in enumerate(["落实增值税。", "税收优惠", "关于“税”的说明", "无关文件"])
    ]
    # The character ends a run, starts a run, or stands alone: all three are found.
    assert {h["id"] for h in run_search(user=None, q="税").hits} == {m.pk for m in made[:3]}
    assert {h["id"] for h in run_search(user=None, q="税 2024").hits} == set()
    # Beside another run too, the character counts wherever it stands (here: ending a run).
    assert {h["id"] for h in run_search(user=None, q="落实 税").hits} == {made[0].pk}


def test_an_index_of_an_older_schema_is_rebuilt(docs):
    import json

    from gongkai.search.engine import get_engine

    engine = get_engine()
    engine.catch_up()
    gen = engine.read_current()
    state_file = engine.base / f"{gen}.state.json"
    state = json.loads(state_file.read_text())
    state_file.write_text(json.dumps({**state, "schema": 1}))
    engine.index = None  # as a freshly started process would see it
    engine.gen = ""
    engine.catch_up()
    assert engine.read_current() != gen
    assert top_keys("杭政办〔2020〕6号")[0][0] == corpus.key_of(docs["gkyd2020"])


def test_a_phrase_does_not_run_from_the_title_into_the_body(org_tree):

    item = InformationItemFactory.create(
        index_number="T-seam-1",
        organisation=org_tree["office"],
        title="推进政务",
        body_text="务公开透明。",
        status="published",
    )
    # The tokens 政务 (end of title) and 务公 (start of body) must not make the phrase 政务公.
    assert top_keys("政务公")[0] == []
    assert top_keys("推进政务")[0] == [f"item:{item.pk}"]
    assert top_keys("务公开")[0] == [f"item:{item.pk}"]
