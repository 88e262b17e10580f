"""View tests moved from gongkai/policies/tests/test_match_contract.py (issue 11 item 7)."""

import json

import pytest
from django.core.management import CommandError

from gongkai.policies.tests.test_match_contract import PROFILE, match


def test_api_gives_the_same_answer(policies, tmp_path, client):
    expected = match(tmp_path, PROFILE)
    r = client.post("/api/v1/policies/match", json.dumps(PROFILE), content_type="application/json")
    assert r.status_code == 200
    assert r.json() == expected
    schema = client.get("/api/v1/openapi.json").json()
    assert "post" in schema["paths"]["/api/v1/policies/match"]


@pytest.mark.parametrize(
    ("profile", "message"),
    [
        ({**PROFILE, "region": "NOPE"}, "profile.region 的机构代码“NOPE”不存在"),
        (
            {**PROFILE, "industry": "C01"},
            "profile.industry 的行业代码“C01”不是GB/T 4754-2017行业代码",
        ),
        ({**PROFILE, "scale": "huge"}, "profile.scale 的企业规模“huge”无效"),
        ({**PROFILE, "established": "2026-02-30"}, "profile.established 的日期“2026-02-30”无效"),
        ({**PROFILE, "colour": "red"}, "企业档案中有未知字段“colour”"),
        ({**PROFILE, "qualifications": ["火箭企业"]}, "资质“火箭企业”不在资质名录中"),
    ],
)
def test_bad_profile_is_a_chinese_error(policies, tmp_path, client, profile, message):
    with pytest.raises(CommandError, match=message):
        match(tmp_path, profile)
    r = client.post("/api/v1/policies/match", json.dumps(profile), content_type="application/json")
    assert r.status_code == 422
    assert message in r.json()["detail"]
