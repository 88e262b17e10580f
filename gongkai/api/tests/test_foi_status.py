"""The 依申请公开 status API (moved from foi/tests/test_views.py)."""

from datetime import date

import pytest

pytestmark = pytest.mark.django_db


def test_status_api(client, online_case):
    case, code = online_case(date(2025, 9, 25))
    r = client.post(
        "/api/v1/foi/cases/status",
        {"reference": case.reference, "code": "AAAAAAAA"},
        content_type="application/json",
    )
    assert r.status_code == 404
    assert r.json() == {"detail": "申请编号或查询码不正确"}
    r = client.post(
        "/api/v1/foi/cases/status",
        {"reference": case.reference, "code": code.lower()},
        content_type="application/json",
    )
    assert r.status_code == 200
    data = r.json()
    assert data["status"] == "submitted"
    assert data["status_label"] == "待确认收到"
    assert [step["event"] for step in data["timeline"]] == ["网上提交申请"]
    assert "李四" not in r.content.decode()
    assert "13812341234" not in r.content.decode()
