"""Staff create a 政府开放日 event, the public registers on its page, staff see the list."""

import pytest

from gongkai.accounts.models import Role


def login(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.locator("#id_password").fill("pass-1234-abcd")
    page.locator("form").filter(has=page.locator("#id_password")).get_by_role("button").click()
    page.wait_for_load_state()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_open_day_created_registered_and_listed(live_server, org_tree, make_staff, chromium):
    from playwright.sync_api import expect

    from gongkai.participation.models import OpenDayEvent

    from .factories import PublicUserFactory

    make_staff(Role.EDITOR, org_tree["office"], username="editor")
    person = PublicUserFactory(username="citizen")
    person.set_password("pass-1234-abcd")
    person.save()
    base = live_server.url

    staff = chromium.new_context().new_page()
    login(staff, base, "editor")
    staff.goto(f"{base}/staff/participation/open-days/")
    staff.get_by_label("举办机构").select_option(str(org_tree["office"].pk))
    staff.get_by_label("活动名称").fill("政务服务中心开放日")
    staff.get_by_label("活动内容").fill("参观政务服务中心。")
    staff.get_by_label("活动日期").fill("2099-05-20")
    staff.get_by_label("地点").fill("市民中心")
    staff.get_by_label("名额").fill("20")
    staff.get_by_label("报名截止日期").fill("2099-05-15")
    staff.get_by_role("button", name="创建活动").click()
    expect(staff.get_by_role("heading", name="政务服务中心开放日")).to_be_visible()
    event = OpenDayEvent.objects.get()

    public = chromium.new_context().new_page()
    login(public, base, "citizen")
    public.goto(f"{base}/participation/open-days/{event.pk}/")
    expect(public.locator("#seats")).to_contain_text("名额20人，剩余20人")
    public.get_by_label("姓名").fill("赵六")
    public.get_by_label("联系电话").fill("13900000009")
    public.get_by_role("button", name="报名").click()
    expect(public.get_by_text("您已报名本次活动。")).to_be_visible()

    staff.goto(f"{base}/staff/participation/open-days/{event.pk}/")
    expect(staff.get_by_role("heading", name="报名名单（1/20人）")).to_be_visible()
    expect(staff.locator("tbody tr")).to_have_count(1)
    expect(staff.locator("tbody tr td").nth(1)).to_have_text("13900000009")
