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
