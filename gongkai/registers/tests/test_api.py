"""``GET /api/v1/registers/{org}/{kind}``: the current list and the list on a past date."""

import pytest

from .conftest import D, power

pytestmark = pytest.mark.django_db

URL = "/api/v1/registers/113301000024900002/powers"


def test_api_serves_the_list_as_it_stood_on_each_date(client, adjust):
    a = adjust("add", D(2025, 1, 1), values=power(name="甲事项"))
    b = adjust("add", D(2025, 1, 1), values=power(name="乙事项", category="检查"))
    adjust("change", D(2025, 3, 1), entry=a.entry, values=power(name="甲事项（变更后）"))
    adjust("cancel", D(2025, 6, 1), entry=b.entry)

    before = client.get(URL, {"on": "2025-02-28"}).json()
    assert [(r["code"], r["name"]) for r in before["results"]] == [
        ("QZ-0001", "甲事项"),
        ("QZ-0002", "乙事项"),
    ]
    assert before["count"] == 2
    assert before["on"] == "2025-02-28"
    assert before["organisation"] == "杭东市财政局"
    assert before["kind_label"] == "权责清单"
    assert before["columns"] == ["事项名称", "类别", "设定依据", "实施主体", "责任事项", "追责情形"]
    assert before["results"][1]["category_label"] == "行政检查"

    later = client.get(URL, {"on": "2025-03-01"}).json()
    assert [(r["code"], r["name"], r["valid_from"]) for r in later["results"]] == [
        ("QZ-0001", "甲事项（变更后）", "2025-03-01"),
        ("QZ-0002", "乙事项", "2025-01-01"),
    ]
    current = client.get(URL).json()
    assert [r["name"] for r in current["results"]] == ["甲事项（变更后）"]
    assert client.get(URL, {"on": "2024-12-31"}).json()["count"] == 0
    assert client.get(URL, {"on": "0001-01-01"}).json()["count"] == 0
    filtered = client.get(URL, {"on": "2025-02-01", "category": "检查"}).json()
    assert [r["name"] for r in filtered["results"]] == ["乙事项"]


def test_api_refuses_out_of_range_and_unknown_values(client, adjust):
    adjust("add", D(2025, 1, 1), values=power(name="甲事项"))
    for params in ({"on": "10000-01-01"}, {"on": "2025-13-01"}, {"page": 0}, {"category": "x"}):
        response = client.get(URL, params)
        assert response.status_code == 422, params
        assert "detail" in response.json()
    assert client.get("/api/v1/registers/113301000024900002/nosuch").status_code == 422
    missing = client.get("/api/v1/registers/NOSUCHORG/powers")
    assert missing.status_code == 404
    assert "detail" in missing.json()
