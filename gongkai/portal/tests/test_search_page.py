"""The portal search results page (moved from search/tests/test_views_api.py)."""

import pytest

from gongkai.search.tests import corpus


@pytest.fixture(autouse=True)
def search_dir(settings, tmp_path):
    """Every test gets its own empty index directory (as in gongkai/search/tests)."""
    settings.GONGKAI_SEARCH_DIR = tmp_path / "search"
    return settings.GONGKAI_SEARCH_DIR


@pytest.fixture
def docs(org_tree):
    return corpus.build(org_tree)


def test_portal_page_renders_without_js(docs, client):
    response = client.get("/search/", {"q": "营商环境"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<mark>营商环境</mark>" in html
    assert "找到4条结果" in html
    assert "发布机构" in html
    assert "文件类型" in html
    assert "?q=%E8%90%A5%E5%95%86%E7%8E%AF%E5%A2%83&amp;sort=date" in html


def test_portal_exact_doc_number_redirects(docs, client):
    response = client.get("/search/", {"q": "杭政办（2020）6号"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/{docs['gkyd2020'].pk}/")
    # Not for a non-public document's 文号, and not when asked to list.
    assert client.get("/search/", {"q": "杭政办（2020）6号", "redirect": "0"}).status_code == 200


def test_portal_repealed_badge_and_pagination(docs, client):
    html = client.get("/search/", {"q": "城乡居民基本养老保险"}).content.decode()
    assert "validity-repealed" in html
    assert "废止" in html
    html = client.get("/search/", {"q": "政务公开"}).content.decode()
    assert "下一页" in html


def test_empty_query_shows_prompt(client, db):
    html = client.get("/search/").content.decode()
    assert "请输入关键词、文号或选择筛选条件。" in html
