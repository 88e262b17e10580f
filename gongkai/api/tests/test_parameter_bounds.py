"""Out-of-range query values are refused at the edge (issue 19 item 8): each of these URLs
answered HTTP 500 before (SQLite OverflowError above 2**63 − 1, ``date(0, …)``, a date range
ending on 9999-12-31, tantivy's i64 facets)."""

import pytest

pytestmark = pytest.mark.django_db

BIG = "9" * 25


@pytest.mark.parametrize(
    ("url", "detail"),
    [
        ("/api/v1/items?year=0", "查询参数“year”不能小于 1900"),
        ("/api/v1/items?year=2101", "查询参数“year”不能大于 2100"),
        (f"/api/v1/items?audience={BIG}", "查询参数“audience”不能大于 9223372036854775807"),
        (f"/api/v1/items?page={BIG}", "查询参数“page”不能大于 100000"),
        ("/api/v1/items?page=0", "查询参数“page”不能小于 1"),
        ("/api/v1/items?topic=abc", "查询参数“topic”应为整数"),
        (f"/api/v1/items/{BIG}", "路径参数“item_id”不能大于 9223372036854775807"),
        (f"/api/v1/policies?page={BIG}", "查询参数“page”不能大于 100000"),
        (
            "/api/v1/policies?year=1&year=99999",
            "查询参数“year[0]”不能小于 1900；查询参数“year[1]”不能大于 2100",
        ),
        (f"/api/v1/policies/{BIG}", "路径参数“policy_id”不能大于 9223372036854775807"),
        ("/api/v1/policies/interpretations?policy=-3", "查询参数“policy”不能小于 1"),
    ],
)
def test_api_refuses_out_of_range_values_in_chinese(client, url, detail):
    r = client.get(url)
    assert r.status_code == 422
    assert r.json() == {"detail": detail}


def test_api_not_found_is_chinese(client):
    r = client.get("/api/v1/items/123456789")
    assert r.status_code == 404
    assert r.json() == {"detail": "未找到所请求的内容"}


def test_openapi_documents_422_and_404(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/items", "/api/v1/policies", "/api/v1/policies/interpretations"):
        assert set(paths[path]["get"]["responses"]) == {"200", "422"}, path
    for path in ("/api/v1/items/{item_id}", "/api/v1/policies/{policy_id}"):
        assert set(paths[path]["get"]["responses"]) == {"200", "404", "422"}, path
    params = {p["name"]: p["schema"] for p in paths["/api/v1/items"]["get"]["parameters"]}
    assert params["year"]["anyOf"][0]["minimum"] == 1900
    assert params["page"]["maximum"] == 100000


@pytest.mark.parametrize(
    "query",
    [
        f"org={BIG}",
        f"topic={BIG}",
        f"year={BIG}",
        f"audience={BIG}",
        "org=%C2%B2",  # "²": str.isdigit() is true, int() refuses it
        "page=" + "9" * 5000,  # int() refuses more than 4,300 digits
        "date_to=9999-12-31",
        "date_from=0001-01-01",
    ],
)
def test_search_page_and_api_drop_bad_filters_with_a_message(client, query):
    page = client.get(f"/search/?q=政策&{query}")
    assert page.status_code == 200
    api = client.get(f"/api/v1/search?q=政策&{query}")
    assert api.status_code == 200
    if not query.startswith("page="):
        assert len(api.json()["errors"]) == 1
        assert api.json()["errors"][0] in page.content.decode()
    else:
        assert api.json()["page"] == 1


def test_search_date_bounds_message(client):
    data = client.get("/api/v1/search?q=政策&date_to=9999-12-31").json()
    assert data["errors"] == ["截止日期“9999-12-31”不是有效日期，请按 年-月-日 填写，如 2024-03-01"]


def test_portal_pages_ignore_or_404_huge_ids(client):
    # A filter that cannot name an object is ignored; a path that cannot is not found.
    assert client.get(f"/qa/?policy={BIG}").status_code == 200
    assert client.get("/qa/?unit=%C2%B2").status_code == 200
    assert client.get(f"/items/{BIG}/").status_code == 404
    assert client.get(f"/interpretations/{BIG}/").status_code == 404


def test_staff_lists_with_out_of_range_filters(admin_client):
    r = admin_client.get(f"/staff/foi/?org={BIG}")
    assert r.status_code == 200
    r = admin_client.get("/staff/workflow/audit/?date_to=9999-12-31")
    assert r.status_code == 200
    assert "日期不能晚于 2100-12-31" in r.content.decode()
    r = admin_client.get("/staff/workflow/audit/?date_from=0001-01-01")
    assert r.status_code == 200
    assert "日期不能早于 1900-01-01" in r.content.decode()
