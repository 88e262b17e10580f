"""Free-text needs (issue 14 item 4): e5 vectors beside the index, kept from the change log,
and the hybrid ranking of the 政策找人 box. Only a handful of documents are embedded."""

import json
import re
import time

import numpy as np
import pytest

from gongkai.catalogue.models import InformationItem
from gongkai.policies.tests.factories import PolicyItemFactory
from gongkai.search import semantic
from gongkai.search.identity import database_identity_renew
from gongkai.search.models import SearchChange

# Titles of the demo world's policies (gongkai/demo/texts.py SUBJECTS, as `gongkai demo` builds
# them): the need below shares no run of words with any of them.
PATENT_LOAN = "杭东市市场监督管理局关于知识产权质押融资的实施意见"
DEMO_TITLES = [
    PATENT_LOAN,
    "杭东市生活垃圾分类管理办法",
    "杭东市教育局关于中小学课后服务的实施意见",
    "杭东市突发事件应急管理办法",
]
NEED = "我们公司有几项专利，能不能拿去银行贷款"


@pytest.fixture
def demo_policies(org_tree):
    return [
        PolicyItemFactory(organisation=org_tree["city"], title=title, body=f"<p>{title}。</p>")
        for title in DEMO_TITLES
    ]


def test_embeddings_are_deterministic_unit_vectors_of_384():
    first = semantic.embed_query(NEED)
    again = semantic.embed_query(NEED)
    passages = semantic.embed_passages(["知识产权质押融资", "生活垃圾分类"])
    assert first.shape == (384,)
    assert first.dtype == np.float32
    assert passages.shape == (2, 384)
    assert np.array_equal(first, again)
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)
    # query: and passage: prefixes give different vectors for the same text
    assert not np.array_equal(semantic.embed_query("生活垃圾分类"), passages[1])


def test_passage_is_title_then_summary_then_body_start():
    doc = semantic.SearchDoc(
        key="item:1", type="policy", title="标题", body="正文 " * 300, extra_text="摘要"
    )
    text = semantic.passage_text(doc)
    assert text.startswith("标题\n摘要\n正文 正文")
    assert len(text) == semantic.PASSAGE_CHARS


def test_store_holds_only_valid_public_policies_and_follows_the_change_log(demo_policies, db):
    repealed = PolicyItemFactory(
        organisation=demo_policies[0].organisation,
        title="杭东市专利权质押贷款贴息办法",
        validity=InformationItem.Validity.REPEALED,
    )
    store = semantic.get_store()
    assert store.catch_up() == 4  # rebuilt: missing
    expected = sorted(f"item:{p.pk}" for p in demo_policies)
    assert sorted(store.keys) == expected
    assert f"item:{repealed.pk}" not in store.keys
    state = json.loads(store.state_file.read_text())
    assert state["model"] == semantic.MODEL_ID
    assert state["applied"] == SearchChange.objects.order_by("-id").first().id
    assert store.catch_up() == 0  # nothing new: nothing embedded

    # A policy repealed later leaves the store through the change log, on a second server too.
    demo_policies[1].validity = InformationItem.Validity.REPEALED
    demo_policies[1].save()
    second = semantic.VectorStore(store.dir.parent)  # another process of the same server
    assert store.catch_up() == 1
    assert f"item:{demo_policies[1].pk}" not in store.keys
    assert len(store.keys) == 3
    assert second.catch_up() == 0
    assert sorted(second.keys) == sorted(store.keys)


def test_store_of_another_database_or_model_is_rebuilt(demo_policies, db):
    store = semantic.get_store()
    store.catch_up()
    before = store.state_file.read_text()
    database_identity_renew()
    assert store.catch_up() == 4  # another database: rebuilt, not trusted
    assert json.loads(store.state_file.read_text())["database"] != json.loads(before)["database"]
    state = json.loads(store.state_file.read_text())
    state["model"] = "some-other-model"
    store.state_file.write_text(json.dumps(state))
    assert store.unusable(store.read_state()) == "of another model (some-other-model)"
    assert store.catch_up() == 4
    assert store.read_state()["model"] == semantic.MODEL_ID


def test_hybrid_finds_by_meaning_what_keywords_miss(demo_policies, db):
    patent = f"item:{demo_policies[0].pk}"
    assert semantic.keyword_policy_keys(NEED) == []
    ranked = semantic.hybrid_policy_search(NEED, limit=3)
    assert ranked[0].key == patent
    assert (ranked[0].keyword_rank, ranked[0].semantic_rank) == (None, 1)
    # and words still count: a need that names the policy ranks it first by both
    both = semantic.hybrid_policy_search("知识产权质押融资", limit=3)
    assert both[0].key == patent
    assert (both[0].keyword_rank, both[0].semantic_rank) == (1, 1)


def test_fuse_is_reciprocal_rank_fusion():
    fused = semantic.fuse(["a", "b"], [("b", 0.9), ("c", 0.8)], limit=3)
    assert [r.key for r in fused] == ["b", "a", "c"]
    assert fused[0].score == pytest.approx(1 / 62 + 1 / 61)
    assert fused[1].score == pytest.approx(1 / 61)


def test_portal_need_field_shows_matching_policies(client, demo_policies, db):
    page = client.get("/policies/match/")
    assert "用一句话描述您的需求" in page.content.decode()
    r = client.get("/policies/match/", {"need": NEED})
    html = re.sub(r"\s+", " ", r.content.decode())
    section = re.search(r'<section id="need-results">(.*?)</section>', html).group(1)
    titles = re.findall(r'<a href="[^"]+">([^<]+)</a>', section)
    assert titles[0] == PATENT_LOAN
    assert f'href="/items/{demo_policies[0].pk}/"' in section
    assert "语义相近" in section
    # the profile form is not validated by a need-only request
    assert "此字段为必填项" not in html


def test_portal_need_field_refuses_an_empty_need(client, db):
    r = client.get("/policies/match/", {"need": "  "})
    html = r.content.decode()
    assert "请用一句话描述您的需求。" in html
    assert 'id="need-results"' not in html
    assert not (semantic.get_store().dir / "state.json").exists()  # nothing embedded


def test_reindex_vectors_rebuilds_the_store(demo_policies, db):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("reindex", "--vectors", stdout=out)
    assert "已重建语义向量库：4 件有效政策" in out.getvalue()
    assert sorted(semantic.get_store().keys) == sorted(f"item:{p.pk}" for p in demo_policies)


def test_a_hole_that_stays_a_hole_does_not_rewrite_the_store(demo_policies, db):
    store = semantic.get_store()
    store.catch_up()
    state = json.loads(store.state_file.read_text())
    hole = state["applied"] - 1  # as if a transaction holding that id were still open
    state["holes"] = {str(hole): time.time()}
    store.state_file.write_text(json.dumps(state))
    SearchChange.objects.filter(id=hole).delete()
    written = store.data_file.stat().st_mtime_ns
    assert store.catch_up() == 0
    assert store.data_file.stat().st_mtime_ns == written
    assert list(store.read_state()["holes"]) == [hole]
    # expired (a rolled-back transaction): forgotten, the store rewritten once
    state["holes"] = {str(hole): 0.0}
    store.state_file.write_text(json.dumps(state))
    assert store.catch_up() == 0
    assert store.read_state()["holes"] == {}
    assert sorted(store.keys) == sorted(f"item:{p.pk}" for p in demo_policies)
