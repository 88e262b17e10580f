"""The policy library's one filter: /api/v1/policies and the portal pages answer the same.

Both call ``policies.selectors.policy_library_query``; these checks compare what a user gets
from each (result count, the titles on the first page in order, every facet's counts) for
filter combinations that include the year facet, in each of the three sub-libraries.
"""

import pytest

pytestmark = pytest.mark.django_db

SCOPE_PATHS = {
    "all": "/policies/",
    "normative": "/policies/normative/",
    "repealed": "/policies/repealed/",
}


def portal(client, scope: str, query: str):
    response = client.get(f"{SCOPE_PATHS[scope]}?{query}")
    assert response.status_code == 200
    ctx = response.context
    facets = {f.key: {v.value: (v.count, v.active) for v in f.values} for f in ctx["facets"]}
    titles = [item.title for item in ctx["page_obj"].object_list]
    return ctx["total"], titles, facets


def api(client, scope: str, query: str):
    response = client.get(f"/api/v1/policies?scope={scope}&{query}")
    assert response.status_code == 200, response.content
    data = response.json()
    facets = {
        f["key"]: {v["value"]: (v["count"], v["active"]) for v in f["values"]}
        for f in data["facets"]
    }
    return data["count"], [r["title"] for r in data["results"]], facets


QUERIES = [
    "",
    "year=2025",
    "year=2024&year=2026",
    "year=2025&year=2025",
    "kind=normative&year=2025&year=2026",
    "kind=rule&year=2026",
    "year=2025&audience={gz}",
    "year=2024&topic={cfs}&org={finance}",
    "year=2026&special={wjjdp}",
    "year=1999",
    "year=1900&year=2100",
    "year=02025",
    "year=2025&year=02025&kind=normative",
    "org_code={finance_code}&year=2025",
]


@pytest.mark.parametrize("scope", ["all", "normative", "repealed"])
@pytest.mark.parametrize("template", QUERIES)
def test_api_and_portal_agree(client, world, scope, template):
    query = template.format(
        gz=world.gz.pk,
        cfs=world.cfs.pk,
        finance=world.finance.pk,
        wjjdp=world.wjjdp.pk,
        finance_code=world.finance.code,
    )
    # org_code is the API's name for an organisation; the portal page selects it by id.
    page_query = query.replace(f"org_code={world.finance.code}", f"org={world.finance.pk}")
    assert api(client, scope, query) == portal(client, scope, page_query)


def test_hand_counted_year_filter_agrees(client, world):
    """One combination checked against the hand-counted world, not only against each other."""
    count, titles, facets = api(client, "all", "year=2025&year=2026&kind=normative")
    assert (count, titles) == (2, [world.p7.title, world.p2.title])
    assert facets["year"] == {"2026": (1, True), "2025": (1, True), "2024": (2, False)}
    assert portal(client, "all", "year=2025&year=2026&kind=normative") == (count, titles, facets)


def test_kind_is_not_a_filter_of_the_normative_library(client, world):
    """The 行政规范性文件库 has no 文件类型 facet: a kind selection is ignored by both."""
    count, titles, facets = api(client, "normative", "kind=rule&year=2026")
    assert (count, titles) == (1, [world.p7.title])
    assert "kind" not in facets
    assert portal(client, "normative", "kind=rule&year=2026") == (count, titles, facets)


def test_year_bounds_are_shared(client, world):
    """A year outside 1900–2100 is refused by the API (422) and dropped by the portal page."""
    response = client.get("/api/v1/policies?year=2101")
    assert response.status_code == 422
    assert response.json() == {"detail": "查询参数“year[0]”不能大于 2100"}
    assert portal(client, "all", "year=2101") == portal(client, "all", "")
