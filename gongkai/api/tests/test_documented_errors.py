"""Answers the schemathesis gate found undocumented or wrong (issue 19, security gates): each
is now a documented status with the Chinese ``{"detail"}`` shape."""

import json

import pytest

pytestmark = pytest.mark.django_db

DEADLINE = "/api/v1/foi/deadline"


def post_json(client, url, body):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post(url, data=data, content_type="application/json")


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (
            {"received": "2025-09-26", "events": [{"type": "extended", "days": 1, "date": None}]},
            "第1个事件的日期应为YYYY-MM-DD格式的日期，收到的是null",
        ),
        ({"received": "2025-09-26", "events": None}, "events应为事件数组"),
        (
            {"received": "2025-09-26", "events": [{"type": {}, "date": "2025-09-26"}]},
            "第1个事件的类型{}无法识别，应为supplement_requested、supplement_received、"
            "pause_started、pause_ended、extended之一",
        ),
    ],
)
def test_deadline_refuses_null_and_non_text_values_in_chinese(client, body, detail):
    r = post_json(client, DEADLINE, body)
    assert r.status_code == 422
    assert r.json() == {"detail": detail}


def test_deadline_extension_without_date_is_still_accepted(client):
    r = post_json(
        client, DEADLINE, {"received": "2025-09-26", "events": [{"type": "extended", "days": 1}]}
    )
    assert r.status_code == 200
    assert r.json()["due"] == "2025-10-31"


def test_unparseable_body_is_a_chinese_422(client):
    r = post_json(client, "/api/v1/foi/cases/status", "\x00")
    assert r.status_code == 422
    assert r.json() == {"detail": "请求体不是有效的JSON"}


def test_review_check_without_login_is_a_chinese_401(client):
    r = post_json(client, "/api/v1/review/check", {"text": "abc"})
    assert r.status_code == 401
    assert r.json() == {"detail": "请先登录"}


def test_annual_report_year_is_bounded(client, org_tree):
    org = next(iter(org_tree.values()))
    r = client.get(f"/api/v1/reports/annual/99999?org={org.code}")
    assert r.status_code == 422
    assert r.json() == {"detail": "路径参数“year”不能大于 2100"}


def test_every_operation_documents_its_error_answers(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    documented = {
        (method.upper(), path): set(operation["responses"])
        for path, methods in paths.items()
        for method, operation in methods.items()
    }
    assert documented[("GET", "/api/v1/search")] == {"200", "422"}
    assert documented[("GET", "/api/v1/reports/annual/{year}")] == {"200", "404", "422"}
    assert documented[("POST", "/api/v1/foi/cases/status")] == {"200", "404", "422", "429"}
    assert documented[("POST", "/api/v1/review/check")] == {"200", "401", "403", "422"}
    assert documented[("POST", "/api/v1/foi/deadline")] == {"200", "422"}
    error = paths["/api/v1/search"]["get"]["responses"]["422"]["content"]["application/json"]
    assert error["schema"] == {"$ref": "#/components/schemas/ErrorOut"}
