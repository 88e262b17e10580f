"""Issue 14 contracts: ``import_documents`` lines with ``conditions``, ``match_policies`` and
``POST /api/v1/policies/match`` (same answer), on the real database."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from gongkai.catalogue.models import InformationItem
from gongkai.policies.models import PolicyConditions, PolicyIndustry

CITY = "11330100002489948X"
FINANCE = "113301000024900002"
DISTRICT = "113301060024900003"
DISTRICT_EDU = "113301060024900004"


def write(tmp_path, rows, name="docs.jsonl") -> str:
    path = tmp_path / name
    path.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8"
    )
    return str(path)


def line(external_id, title, published="2026-01-10", **extra):
    row = {
        "external_id": external_id,
        "title": title,
        "body": "正文。",
        "org": FINANCE,
        "published": published,
        "is_normative": True,
    }
    row.update(extra)
    return row


def import_lines(tmp_path, rows):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_documents", write(tmp_path, rows), stdout=out, stderr=err)
    return out.getvalue()


def match(tmp_path, profile):
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(profile, ensure_ascii=False), encoding="utf-8")
    out = io.StringIO()
    call_command("match_policies", "--profile", str(path), "--format", "json", stdout=out)
    return json.loads(out.getvalue())


PROFILE = {
    "name": "杭东芯片有限公司",
    "region": DISTRICT_EDU,
    "industry": "C3911",
    "scale": "small",
    "established": "2023-03-01",
    "qualifications": ["高新技术企业"],
    "as_of": "2026-03-01",
}


@pytest.fixture
def policies(org_tree, tmp_path):
    import_lines(
        tmp_path,
        [
            line(
                "m-all",
                "全部满足",
                published="2026-01-01",
                conditions={
                    "regions": [CITY],
                    "industries": ["C39"],
                    "scales": ["small", "micro"],
                    "min_years": 3,
                    "qualifications": ["高新技术企业"],
                    "apply_from": "2026-03-01",
                    "apply_until": "2026-03-31",
                },
            ),
            line("m-empty", "没有条件", published="2026-01-02", conditions={}),
            line(
                "m-nulls",
                "空条件",
                published="2026-01-02",
                conditions={"regions": [], "industries": None, "min_years": 0, "apply_from": ""},
            ),
            line("n-years", "差一年", conditions={"min_years": 4, "industries": ["C"]}),
            line("n-window", "申报已截止", conditions={"apply_until": "2026-02-28"}),
            line(
                "x-two",
                "差两项",
                conditions={"scales": ["large"], "qualifications": ["专精特新中小企业"]},
            ),
            line("x-repealed", "已废止", validity="废止", conditions={}),
            line("x-none", "没有兑现信息"),
            line("n-region", "仅财政局", conditions={"regions": [FINANCE]}),
        ],
    )


def test_match_policies_prints_only_the_contract_json(policies, tmp_path):
    result = match(tmp_path, PROFILE)
    assert list(result) == ["matches", "near_misses"]
    ids = [m["external_id"] for m in result["matches"]]
    # Newest 发布日期 first, the larger id first on the same day.
    assert ids == ["m-nulls", "m-empty", "m-all"]
    assert result["matches"][2]["reasons"] == [
        "地区符合：西湖区教育局属于杭东市人民政府",
        "行业符合：C3911属于C39",
        "企业规模符合：小型企业",
        "成立年限符合：已成立3年，要求不少于3年",
        "资质符合：已具备高新技术企业",
        "申报时间符合：2026-03-01至2026-03-31",
    ]
    assert result["near_misses"] == [
        {"external_id": "n-region", "title": "仅财政局", "unmet": ["regions"]},
        {"external_id": "n-window", "title": "申报已截止", "unmet": ["apply_window"]},
        {"external_id": "n-years", "title": "差一年", "unmet": ["min_years"]},
    ]


def test_the_day_before_the_anniversary_moves_the_policy_to_near_misses(policies, tmp_path):
    result = match(tmp_path, {**PROFILE, "as_of": "2026-02-28"})
    ids = [m["external_id"] for m in result["matches"]]
    assert "m-all" not in ids
    near = {m["external_id"]: m["unmet"] for m in result["near_misses"]}
    # 2026-02-28: two years and the window not yet open — two conditions, not a near miss.
    assert "m-all" not in near
    # The window closed on 2026-02-28 (last day counts): it matches that day.
    assert "n-window" in ids
    assert near["n-years"] == ["min_years"]


def test_import_stores_conditions(policies):
    row = PolicyConditions.objects.get(item__external_id="m-all")
    assert row.industries == ["C39"]
    assert row.scales == ",small,micro,"
    assert [o.code for o in row.regions.all()] == [CITY]
    assert [q.name for q in row.qualifications.all()] == ["高新技术企业"]
    assert list(PolicyIndustry.objects.filter(conditions=row).values_list("code", flat=True)) == [
        "C39"
    ]
    empty = PolicyConditions.objects.get(item__external_id="m-nulls")
    assert (empty.has_regions, empty.has_industries, empty.min_years, empty.apply_from) == (
        False,
        False,
        None,
        None,
    )
    assert not PolicyConditions.objects.filter(item__external_id="x-none").exists()


@pytest.mark.parametrize(
    ("conditions", "message"),
    [
        ({"colour": ["red"]}, "conditions 中有未知字段“colour”"),
        ({"industries": ["C01"]}, "行业代码“C01”不是GB/T 4754-2017行业代码"),
        ({"regions": ["NOPE"]}, "机构代码“NOPE”不存在"),
        ({"qualifications": ["火箭企业"]}, "资质“火箭企业”不在资质名录中"),
        ({"scales": ["huge"]}, "企业规模“huge”无效"),
        ({"min_years": "3"}, "conditions.min_years “3”无效"),
        ({"apply_from": "2026-13-01"}, "conditions.apply_from 的日期“2026-13-01”无效"),
        (
            {"apply_from": "2026-03-02", "apply_until": "2026-03-01"},
            "apply_from 2026-03-02 晚于 apply_until 2026-03-01",
        ),
        ("C39", "conditions 必须是JSON对象"),
    ],
)
def test_bad_conditions_import_nothing_and_name_the_line(org_tree, tmp_path, conditions, message):
    rows = [
        line("ok-1", "好的一行", conditions={}),
        line("bad-2", "坏的一行", conditions=conditions),
    ]
    err = io.StringIO()
    with pytest.raises(CommandError, match="1行有错误"):
        call_command("import_documents", write(tmp_path, rows), stdout=io.StringIO(), stderr=err)
    assert err.getvalue().startswith("第2行：")
    assert message in err.getvalue()
    assert InformationItem.objects.count() == 0
    assert PolicyConditions.objects.count() == 0


def test_profile_without_any_qualification_or_scale(policies, tmp_path):
    """Nothing held and no scale or founding date: the SQL prefilter and the rules agree that a
    policy asking for them fails each (m-all fails three conditions: not even a near miss)."""
    bare = {"region": CITY, "industry": "C3911", "as_of": "2026-03-01"}
    result = match(tmp_path, bare)
    assert [m["external_id"] for m in result["matches"]] == ["m-nulls", "m-empty"]
    assert result["near_misses"] == [
        {"external_id": "n-region", "title": "仅财政局", "unmet": ["regions"]},
        {"external_id": "n-window", "title": "申报已截止", "unmet": ["apply_window"]},
        {"external_id": "n-years", "title": "差一年", "unmet": ["min_years"]},
    ]
