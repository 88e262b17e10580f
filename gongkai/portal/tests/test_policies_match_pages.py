"""View tests moved from gongkai/policies/tests/test_match_pages.py (issue 11 item 7)."""

import datetime

from gongkai.policies.models import MatchProfile
from gongkai.policies.tests.factories import (
    PolicyConditionsFactory,
    PolicyItemFactory,
)
from gongkai.policies.tests.test_match_pages import text


def test_policy_page_shows_who_can_benefit_and_how(client, org_tree):
    item = PolicyItemFactory(organisation=org_tree["finance"])
    row = PolicyConditionsFactory(
        item=item,
        industries=["C39"],
        scales=",small,",
        min_years=3,
        apply_from=datetime.date(2026, 3, 1),
        apply_until=datetime.date(2026, 3, 31),
        office="企业服务科",
        phone="0571-87001234",
        amount="最高50万元",
        regions=[org_tree["district"]],
    )
    html = text(client.get(f"/items/{item.pk}/"))
    assert "谁能享受、怎么申报" in html
    assert "<dd>西湖区人民政府（含下级）</dd>" in html.replace("杭东市西湖区", "西湖区")
    assert "<dd>C39（国民经济行业分类 GB/T 4754-2017，含下级分类）</dd>" in html
    assert "<dd>小型</dd>" in html
    assert "成立满3年" in html
    assert "2026年3月1日至2026年3月31日" in html
    assert "<dd>企业服务科</dd>" in html
    assert "<dd>最高50万元</dd>" in html
    assert row.pk
    plain = PolicyItemFactory(organisation=org_tree["finance"])
    assert "谁能享受、怎么申报" not in text(client.get(f"/items/{plain.pk}/"))


def test_profile_in_personal_centre_and_match_page(client, org_tree, public_user):
    PolicyConditionsFactory(
        item=PolicyItemFactory(organisation=org_tree["finance"], title="芯片企业补贴"),
        industries=["C39"],
        regions=[org_tree["city"]],
    )
    PolicyConditionsFactory(
        item=PolicyItemFactory(organisation=org_tree["finance"], title="大企业奖励"),
        scales=",large,",
    )
    client.force_login(public_user)
    me = text(client.get("/accounts/me/"))
    assert "填写政策找人档案" in me
    r = client.post(
        "/policies/match/profile/",
        {
            "name": "杭东芯片有限公司",
            "region": org_tree["district_edu"].pk,
            "industry": "c3911",
            "scale": "small",
            "established": "2020-01-01",
        },
    )
    assert r.status_code == 302
    profile = MatchProfile.objects.get(user=public_user)
    assert profile.industry == "C3911"
    html = text(client.get("/policies/match/"))
    assert "芯片企业补贴" in html
    assert "行业符合：C3911属于C39" in html
    assert "地区符合：西湖区教育局属于杭东市人民政府" in html
    assert "大企业奖励" in html
    assert "尚不符合：企业规模" in html
    me = text(client.get("/accounts/me/"))
    assert "目前有 1 项政策符合条件，1 项只差一项条件" in me


def test_anonymous_one_off_match(client, org_tree):
    PolicyConditionsFactory(
        item=PolicyItemFactory(organisation=org_tree["finance"], title="小微企业补贴"),
        scales=",small,micro,",
    )
    html = text(client.get("/policies/match/", {"region": org_tree["city"].pk, "scale": "micro"}))
    assert "小微企业补贴" in html
    assert "企业规模符合：微型企业" in html
