"""The read API: /api/v1/items, /api/v1/policies (facets), interpretations, OpenAPI schema."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def facet_map(data) -> dict[str, dict[str, int]]:
    return {f["key"]: {v["label"]: v["count"] for v in f["values"]} for f in data["facets"]}


def test_openapi_schema_lists_the_read_endpoints(client):
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    schema = r.json()
    assert schema["openapi"].startswith("3.")
    for path in (
        "/api/v1/items",
        "/api/v1/items/{item_id}",
        "/api/v1/policies",
        "/api/v1/policies/{policy_id}",
        "/api/v1/policies/interpretations",
        "/api/v1/policies/interpretations/{interpretation_id}",
    ):
        assert "get" in schema["paths"][path], path
        assert "200" in schema["paths"][path]["get"]["responses"]
    params = {p["name"] for p in schema["paths"]["/api/v1/policies"]["get"]["parameters"]}
    assert {"kind", "org", "year", "topic", "audience", "special", "page", "page_size"} <= params


def test_item_list_is_public_only_and_paginated(client, world):
    data = client.get("/api/v1/items?page_size=3").json()
    assert data["count"] == 8  # 7 policies + x1
    assert data["page_size"] == 3
    assert [i["title"] for i in data["results"]] == [world.p7.title, world.p4.title, world.p6.title]
    data = client.get("/api/v1/items?page=3&page_size=3").json()
    # p7, p4, p6 | x1, p3, p2 | p5, p1 (newest first)
    assert [i["title"] for i in data["results"]] == [world.p5.title, world.p1.title]
    data = client.get("/api/v1/items?page_size=1000").json()
    assert data["page_size"] == 100
    titles = {i["title"] for i in data["results"]}
    for secret in world.secret_titles:
        assert secret not in titles


def test_item_list_filters(client, world):
    def titles(qs: str) -> set[str]:
        return {i["title"] for i in client.get(f"/api/v1/items?{qs}").json()["results"]}

    assert titles(f"org={world.finance.code}") == {world.p5.title, world.p6.title, world.p7.title}
    assert titles(f"topic={world.cfs.pk}") == {
        world.p1.title, world.p2.title, world.p5.title, world.x1.title
    }  # fmt: skip
    assert titles(f"audience={world.gz.pk}&year=2025") == {
        world.p2.title, world.p3.title, world.p6.title
    }  # fmt: skip
    assert titles("policy_kind=rule") == {world.p4.title}
    assert titles("validity=repealed") == {world.p3.title}
    assert titles("column=zqjk") == {world.p1.title, world.p2.title, world.p5.title, world.x1.title}
    assert titles("column=nope") == set()
    assert titles("policy_kind=bogus") == set()


def test_item_detail_fields_and_404_for_non_public(client, world):
    world.p2.external_id = "legacy-0042"
    world.p2.save()
    r = client.get(f"/api/v1/items/{world.p2.pk}")
    assert r.status_code == 200
    d = r.json()
    assert d["id"] == world.p2.pk
    assert d["external_id"] == "legacy-0042"
    assert d["index_number"] == world.p2.index_number
    assert d["doc_number"] == "杭东政办规〔2025〕3号"
    assert d["organisation"] == {"code": world.office.code, "name": "杭东市人民政府办公厅"}
    assert d["written_date"] == "2025-05-06"
    assert d["published_date"] == "2025-05-10"
    assert d["topic"] == {
        "id": world.cfs.pk,
        "name": "财政、金融、审计",
        "path": "财政、金融、审计",
    }
    assert d["genre"] == "notice"
    assert d["genre_label"] == "通知"
    assert d["audiences"] == ["公众", "企业"]
    assert d["keywords"] == ["助企", "纾困"]
    assert d["summary"] == "十条助企措施。"
    assert d["validity"] == "valid"
    assert d["policy_kind"] == "normative"
    assert d["url"] == f"http://testserver/items/{world.p2.pk}/"
    assert d["attachments"] == []
    assert [i["title"] for i in d["interpretations"]] == [world.i1.title]
    for item in (world.n1, world.n2, world.n3):
        assert client.get(f"/api/v1/items/{item.pk}").status_code == 404
        assert client.get(f"/api/v1/policies/{item.pk}").status_code == 404
    # A replacing item is only referenced while it is public.
    assert client.get(f"/api/v1/items/{world.p3.pk}").json()["replaced_by"] == world.p6.pk
    world.p5.replaced_by = world.n2
    world.p5.save()
    assert client.get(f"/api/v1/items/{world.p5.pk}").json()["replaced_by"] is None


def test_policy_list_facets_match_the_portal(client, world):
    data = client.get("/api/v1/policies?kind=normative&year=2025&year=2026").json()
    assert data["count"] == 2
    assert [i["title"] for i in data["results"]] == [world.p7.title, world.p2.title]
    assert facet_map(data) == {
        "kind": {"规章": 1, "行政规范性文件": 2, "其他政策文件": 2},
        "org": {"杭东市人民政府办公厅": 1, "杭东市财政局": 1},
        "year": {"2026": 1, "2025": 1, "2024": 2},
        "topic": {"财政、金融、审计": 1, "科技、教育": 1},
        "audience": {"公众": 2, "企业": 2},
        "special": {"稳经济大盘": 2, "助企纾困": 1},
    }
    data = client.get(f"/api/v1/policies?org_code={world.finance.code}&kind=normative").json()
    assert [i["title"] for i in data["results"]] == [world.p7.title, world.p5.title]
    assert client.get("/api/v1/policies?org_code=NOPE").json()["count"] == 0
    # A NUL byte (found by schemathesis on PostgreSQL, which refuses it in a query): no match.
    nul = client.get("/api/v1/policies?org_code=%00")
    assert (nul.status_code, nul.json()["count"]) == (200, 0)
    data = client.get("/api/v1/policies?scope=repealed").json()
    assert {i["title"] for i in data["results"]} == {world.p3.title, world.p5.title}
    data = client.get("/api/v1/policies?scope=normative").json()
    assert data["count"] == 4
    assert [f["key"] for f in data["facets"]] == ["org", "year", "topic", "audience", "special"]
    # Not a policy: not in the policy API.
    assert client.get(f"/api/v1/policies/{world.x1.pk}").status_code == 404


def test_policy_detail_includes_public_interpretations_only(client, world):
    d = client.get(f"/api/v1/policies/{world.p2.pk}").json()
    assert [i["title"] for i in d["interpretations"]] == [world.i1.title]
    assert d["interpretations"][0]["url"] == f"http://testserver/interpretations/{world.i1.pk}/"


def test_interpretations_endpoints(client, world):
    data = client.get("/api/v1/policies/interpretations").json()
    assert [i["title"] for i in data["results"]] == [world.i1.title, world.i3.title]
    data = client.get(f"/api/v1/policies/interpretations?policy={world.p1.pk}").json()
    assert [i["title"] for i in data["results"]] == [world.i3.title]
    assert client.get(f"/api/v1/policies/interpretations?policy={world.n1.pk}").json()["count"] == 0
    d = client.get(f"/api/v1/policies/interpretations/{world.i3.pk}").json()
    assert [p["title"] for p in d["policies"]] == [world.p1.title]  # n1 is hidden
    assert d["video_url"] == "https://video.example.cn/v/1"
    d = client.get(f"/api/v1/policies/interpretations/{world.i1.pk}").json()
    assert d["image_alt"] == "助企纾困十条的十项措施示意图"
    assert client.get(f"/api/v1/policies/interpretations/{world.i2.pk}").status_code == 404


def test_api_list_query_counts_are_bounded(client, world):
    client.get("/api/v1/items")
    with CaptureQueriesContext(connection) as ctx:
        client.get("/api/v1/items?page_size=100")
    # page + audiences + attachments + count
    assert len(ctx.captured_queries) == 4
    client.get("/api/v1/policies")  # counts the world's items in (this transaction never commits)
    with CaptureQueriesContext(connection) as ctx:
        client.get("/api/v1/policies?kind=normative")
    # The maintained facet counts (one query) + the names of org, topic, audience and special
    # (one each) + page + audiences + attachments; the count comes with the facet counts, as on
    # the portal page (docs/adr/0015)
    assert len(ctx.captured_queries) == 8
