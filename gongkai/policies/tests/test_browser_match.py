"""An enterprise fills its 政策找人 profile in the personal centre and sees the policies it
qualifies for, with the reasons, and the one it misses by one condition (issue 14)."""

import datetime

import pytest
from playwright.sync_api import expect

from gongkai.policies.models import Qualification

from .factories import PolicyConditionsFactory, PolicyItemFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_enterprise_fills_profile_and_sees_its_policies(
    live_server, org_tree, public_user, chromium, assert_accessible
):
    chip = PolicyItemFactory(organisation=org_tree["finance"], title="集成电路企业研发补助")
    PolicyConditionsFactory(
        item=chip,
        industries=["C39"],
        regions=[org_tree["city"]],
        min_years=2,
        qualifications=[Qualification.objects.get(name="高新技术企业")],
        apply_from=datetime.date(2020, 1, 1),
        office="企业服务科",
    )
    PolicyConditionsFactory(
        item=PolicyItemFactory(organisation=org_tree["finance"], title="专精特新奖励"),
        qualifications=[Qualification.objects.get(name="专精特新中小企业")],
    )
    base = live_server.url
    page = chromium.new_page()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill("citizen")
    page.locator("#id_password").fill("pass-1234-abcd")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/accounts/me/")
    expect(page.get_by_role("heading", name="政策找人")).to_be_visible()
    page.get_by_role("link", name="填写政策找人档案").click()
    page.wait_for_url(f"{base}/policies/match/profile/")
    assert_accessible(page)
    page.get_by_label("企业（个人）名称").fill("杭东芯片有限公司")
    page.get_by_label("所在地区").select_option(label="西湖区教育局")
    page.get_by_label("行业代码").fill("C3911")
    page.get_by_label("企业规模").select_option("small")
    page.get_by_label("成立日期").fill("2020-05-01")
    page.get_by_label("高新技术企业", exact=True).check()
    page.get_by_role("button", name="保存档案").click()
    page.wait_for_url(f"{base}/policies/match/")
    matches = page.locator("li.match")
    expect(matches).to_have_count(1)
    expect(matches.get_by_role("link", name="集成电路企业研发补助")).to_be_visible()
    expect(matches.get_by_text("行业符合：C3911属于C39")).to_be_visible()
    expect(matches.get_by_text("地区符合：西湖区教育局属于杭东市人民政府")).to_be_visible()
    expect(matches.get_by_text("资质符合：已具备高新技术企业")).to_be_visible()
    near = page.locator("li.near-miss")
    expect(near).to_have_count(1)
    expect(near).to_contain_text("专精特新奖励")
    expect(near).to_contain_text("尚不符合：资质")
    assert_accessible(page)
    matches.get_by_role("link", name="集成电路企业研发补助").click()
    page.wait_for_url(f"{base}/items/{chip.pk}/")
    expect(page.get_by_role("heading", name="谁能享受、怎么申报")).to_be_visible()
    expect(page.get_by_text("企业服务科")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{base}/accounts/me/")
    expect(page.get_by_text("目前有 1 项政策符合条件，1 项只差一项条件")).to_be_visible()
    for context in chromium.contexts:
        context.close()
