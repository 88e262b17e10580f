"""POST /api/v1/review/check: staff only, same JSON as check_text."""

import json

import pytest

from gongkai.accounts.models import Role
from gongkai.checks.tests.factories import WordlistEntryFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/review/check"


def post(client, body):
    return client.post(URL, data=json.dumps(body), content_type="application/json")


def test_staff_gets_findings(client, org_tree, make_staff):
    WordlistEntryFactory.create(word="共合国", category="typo", suggestion="共和国")
    client.force_login(make_staff(Role.EDITOR, org_tree["finance"]))
    response = post(client, {"text": "中华人民共合国公民张三，电话13812341234。"})
    assert response.status_code == 200
    assert response.json() == {
        "findings": [
            {
                "kind": "word",
                "start": 4,
                "end": 7,
                "match": "共合国",
                "category": "错别字",
                "suggestion": "共和国",
            },
            {
                "kind": "mobile",
                "start": 14,
                "end": 25,
                "match": "13812341234",
                "category": "手机号码",
                "suggestion": "138****1234",
            },
        ]
    }


def test_empty_text_has_no_findings(client, org_tree, make_staff):
    client.force_login(make_staff(Role.EDITOR, org_tree["finance"]))
    response = post(client, {"text": ""})
    assert (response.status_code, response.json()) == (200, {"findings": []})


def test_anonymous_gets_401(client):
    response = post(client, {"text": "13812341234"})
    assert response.status_code == 401


def test_public_user_gets_403(client, public_user):
    client.force_login(public_user)
    response = post(client, {"text": "13812341234"})
    assert response.status_code == 403
    assert response.json() == {"detail": "仅限工作人员使用。"}


def test_missing_text_is_rejected(client, org_tree, make_staff):
    client.force_login(make_staff(Role.EDITOR, org_tree["finance"]))
    assert post(client, {}).status_code == 422


def test_csrf_is_enforced_for_session_auth(org_tree, make_staff):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(make_staff(Role.EDITOR, org_tree["finance"]))
    response = post(csrf_client, {"text": "x"})
    assert response.status_code == 403


def test_endpoint_is_in_the_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/review/check"]["post"]
    assert operation["summary"] == "检查文本中的错敏词和个人信息"
    assert operation["tags"] == ["审核检查"]
