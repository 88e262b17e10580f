"""View tests moved from gongkai/search/tests/test_permissions_sync.py (issue 11 item 7)."""

from gongkai.search.tests import corpus
from gongkai.search.tests.test_permissions_sync import keys


def test_anonymous_never_sees_non_public(docs, client):
    for slug in ("onrequest_doc", "withheld_doc", "draft_fin", "draft_edu", "q_draft"):
        obj = docs[slug]
        title = getattr(obj, "title", None) or obj.question
        assert corpus.key_of(obj) not in keys(title)
        data = client.get("/api/v1/search", {"q": title}).json()
        assert title not in {h["title"] for h in data["hits"]}
        page = client.get("/search/", {"q": title}).content.decode()
        assert 'class="search-hit' not in page or title not in page.split('class="search-hits"')[1]
    assert keys("内部审计工作底稿") == set()
    assert keys("涉密资金") == set()
    assert keys("预算绩效管理改革") == set()
