"""The results page's links (search.presentation): each a variant of the request's query
string, built from its pairs (issue 17: copying the QueryDict for each of some fifty links was a
quarter of the page's CPU). The strings are what QueryDict.urlencode gave."""

from django.http import QueryDict

from gongkai.search.presentation import _toggle, _with

QUERY = "q=%E4%BC%81%E4%B8%9A+%E6%94%BF%E7%AD%96&type=policy&page=2&sort=date"
Q = "q=%E4%BC%81%E4%B8%9A+%E6%94%BF%E7%AD%96"  # 企业 政策


def test_toggle_adds_a_value_in_place_and_drops_the_page():
    assert _toggle(QueryDict(QUERY), "type", "notice") == f"?{Q}&type=policy&type=notice&sort=date"


def test_toggle_removes_a_selected_value_and_its_empty_key():
    assert _toggle(QueryDict(QUERY), "type", "policy") == f"?{Q}&sort=date"


def test_toggle_of_a_new_facet_goes_last_and_splits_comma_lists():
    assert _toggle(QueryDict(QUERY), "org", 7) == f"?{Q}&type=policy&sort=date&org=7"
    assert _toggle(QueryDict("org=1,2&org=3"), "org", "2") == "?org=1&org=3"


def test_with_sets_in_place_removes_and_appends():
    assert _with(QueryDict(QUERY), page=3) == f"?{Q}&type=policy&page=3&sort=date"
    assert _with(QueryDict(QUERY), sort=None, page=None) == f"?{Q}&type=policy"
    assert _with(QueryDict(QUERY), scope="policy", page=None) == (
        f"?{Q}&type=policy&sort=date&scope=policy"
    )
    assert _with(QueryDict(""), q="a&b c") == "?q=a%26b+c"


def test_links_sharing_one_page_s_quoted_pairs_are_the_links_quoted_alone():
    """Issue 17: one page quotes each pair once for all its links; the links do not change."""
    query = QueryDict("q=%E4%BC%81%E4%B8%9A+a%26b&type=policy&org=1,2&sort=date&page=2")
    shared: dict = {}
    for name, value in [("type", "notice"), ("type", "policy"), ("org", 2), ("year", "2025")]:
        assert _toggle(query, name, value, shared) == _toggle(query, name, value)
    for changes in [{"page": 3}, {"sort": None, "page": None}, {"scope": "all", "page": None}]:
        assert _with(query, shared, **changes) == _with(query, **changes)
    assert ("q", "企业 a&b") in shared
    assert (
        _with(query, shared, page=None)
        == "?q=%E4%BC%81%E4%B8%9A+a%26b&type=policy&org=1%2C2&sort=date"
    )


def test_hit_addresses_are_the_reversed_addresses():
    from django.urls import reverse

    from gongkai.search.adapters import first_url

    for pk in (1, 7, 12345, 98765432101):
        names = ("portal:no_such_page", "portal:item_detail")
        assert first_url(names, pk, "/x/{pk}/") == reverse("portal:item_detail", args=[pk])
    assert first_url(("portal:no_such_page",), 5, "/x/{pk}/") == "/x/5/"
