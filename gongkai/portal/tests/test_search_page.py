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
    assert response["Location"].split("?")[0].endswith(f"/{docs['gkyd2020'].pk}/")
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


def _hits(html: str) -> list[tuple[str, str]]:
    """(type badge, title text) of each hit, in order."""
    import re

    hits = []
    for block in html.split('<li class="search-hit')[1:]:
        title = re.sub(r"<[^>]+>", "", block.split("<h3>")[1].split("</h3>")[0])
        badge = block.split('<span class="badge">')[1].split("</span>")[0]
        hits.append((badge, title))
    return hits


def _total(html: str) -> int:
    import re

    return int(re.search(r"找到约?(\d+)条结果", html).group(1))


def _types(html: str) -> dict[str, int]:
    """The 信息类型 facet: label → count."""
    import re

    facet = html.split("<h2>内容类型</h2>")[1].split("</ul>")[0]
    return {
        label: int(n)
        for label, n in re.findall(
            r">(?:✓ )?([^<>]+)</a> <span class=\"count\">\((\d+)\)</span>", facet
        )
    }


def test_policy_switch_keeps_policies_and_interpretations_only(docs, client):
    """Issue 15, item 13: 政策文件 / 全部 like the national policy library."""
    # A broad term: 政府信息 and 政策问答 hits too when the switch is on 全部.
    everything = client.get("/search/", {"q": "工作", "sort": "date"}).content.decode()
    html = client.get("/search/", {"q": "工作", "scope": "policy", "sort": "date"}).content.decode()
    assert '<input type="radio" name="scope" value="policy" checked>' in html
    assert set(_types(html)) == {"政策文件", "政策解读"}
    assert set(_types(everything)) > {"政策文件", "政策解读"}
    assert _total(html) == sum(
        n for label, n in _types(everything).items() if label in ("政策文件", "政策解读")
    )
    assert all(badge in ("政策文件", "政策解读") for badge, _title in _hits(html))
    # The switch keeps its place when a facet is toggled or the filters are cleared.
    facets = html.split('class="search-facets"')[1]
    assert "scope=policy" in facets


def test_title_scope_finds_the_term_in_titles_only(docs, client):
    full = _hits(client.get("/search/", {"q": "企业", "field": "full"}).content.decode())
    html = client.get("/search/", {"q": "企业", "field": "title"}).content.decode()
    titles = _hits(html)
    assert '<input type="radio" name="field" value="title" checked>' in html
    assert titles
    assert all("企业" in title for _badge, title in titles)
    assert len(titles) < len(full)


def test_exact_doc_number_opens_the_document_with_a_notice_and_a_way_back(docs, client):
    response = client.get("/search/", {"q": "杭政办（2020）6号"})
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(f"/items/{docs['gkyd2020'].pk}/?found=")
    html = client.get(location).content.decode()
    assert "已按文号“杭政办（2020）6号”直接打开该文件。" in html
    back = "/search/?q=%E6%9D%AD%E6%94%BF%E5%8A%9E%EF%BC%882020%EF%BC%896%E5%8F%B7&amp;redirect=0"
    assert f'<a href="{back}">返回搜索结果列表</a>' in html


def test_policy_library_searches_policies_by_default(client, db):
    html = client.get("/policies/").content.decode()
    form = html.split('class="library-search"')[1].split("</form>")[0]
    assert 'action="/search/"' in form
    assert '<input type="hidden" name="scope" value="policy">' in form


def _toggle_by_copy(query, name, value):
    """The facet link as the results page built it before issue 17 (kept here as the
    reference): copy the QueryDict, switch the value, drop the page, urlencode()."""
    q = query.copy()
    values = [v for part in q.getlist(name) for v in part.split(",") if v]
    value = str(value)
    if value in values:
        values.remove(value)
    else:
        values.append(value)
    q.setlist(name, values)
    q.pop("page", None)
    return "?" + q.urlencode()


@pytest.mark.parametrize(
    "query_string",
    [
        "",
        "q=%E4%BC%81%E4%B8%9A",
        "q=a+b&org=1&page=3&kind=normative",
        "org=1,2&org=3&q=%26%3D%2B&type=policy",
        "org=1&org=1&q=x",
        "page=2&q=%E6%94%BF%E7%AD%96&validity=valid,repealed&field=title",
    ],
)
def test_facet_links_are_what_copying_the_query_printed(query_string):
    from django.http import QueryDict

    from gongkai.search.presentation import _toggle

    query = QueryDict(query_string)
    for name in ("org", "kind", "type", "validity", "year"):
        for value in ("1", "2", "normative", 2024, "政策 & <文件>"):
            assert _toggle(query, name, value) == _toggle_by_copy(query, name, value)
    assert QueryDict(query_string) == query  # the request's query is left as it was
