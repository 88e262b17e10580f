"""公开管理 in the browser (issue 15, item 7): the city's 政务公开管理员 enters the 2027 holiday
notice and a day, adds a 科室 and names a 终审 reviewer, with no Django superuser; every page
passes axe-core."""

import datetime
import re

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
def test_city_admin_runs_the_platform_without_the_superuser(
    live_server, org_tree, make_staff, page, assert_accessible
):
    from playwright.sync_api import expect

    from gongkai.accounts.models import InternalUnit, RoleAssignment
    from gongkai.workdays.models import CalendarDay, CalendarYear

    make_staff(Role.ADMIN, org_tree["city"], username="cityadmin", include_descendants=True)
    colleague = make_staff(Role.EDITOR, org_tree["finance"], username="colleague")
    CalendarYear.objects.filter(year=2027).delete()
    base = live_server.url
    login(page, base, "cityadmin")

    page.get_by_role("navigation", name="工作台导航").get_by_role("link", name="公开管理").click()
    page.wait_for_url(f"{base}/staff/manage/")
    assert_accessible(page)

    # The 2027 notice, then 国庆节 on 1 October.
    page.get_by_role("link", name="工作日历（节假日和调休）").click()
    page.goto(f"{base}/staff/manage/calendar/2027/")
    expect(page.locator("main")).to_contain_text("2027年尚未登记")
    page.get_by_label("国务院办公厅通知").fill("国务院办公厅关于2027年部分节假日安排的通知")
    page.get_by_role("button", name="保存年度通知").click()
    page.wait_for_url(f"{base}/staff/manage/calendar/2027/")
    page.locator("#id_day-day").fill("2027-10-01")
    page.get_by_label("类型").select_option("holiday")
    page.get_by_label("节日名称").fill("国庆节")
    page.get_by_role("button", name="登记", exact=True).click()
    page.wait_for_url(f"{base}/staff/manage/calendar/2027/")
    expect(page.locator("table.calendar-days")).to_contain_text("2027年10月1日")
    assert_accessible(page)
    assert CalendarDay.objects.get(date=datetime.date(2027, 10, 1)).name == "国庆节"

    # A 科室 of the 财政局, reached through the city's tree (含下级机构).
    page.goto(f"{base}/staff/manage/org/{org_tree['finance'].code}/")
    assert_accessible(page)
    page.locator("#id_unit-name").fill("预算处")
    page.get_by_role("button", name="添加科室").click()
    page.wait_for_url(f"{base}/staff/manage/org/{org_tree['finance'].code}/")
    expect(page.locator("ul.units")).to_contain_text("预算处")
    assert InternalUnit.objects.filter(organisation=org_tree["finance"], name="预算处").exists()

    # A 终审 reviewer of the 财政局.
    page.get_by_role("link", name="角色与审核人").click()
    page.wait_for_url(f"{base}/staff/manage/roles/")
    page.get_by_label("工作人员").select_option(str(colleague.pk))
    page.get_by_label(re.compile(r"^机构")).select_option(str(org_tree["finance"].pk))
    page.get_by_label("角色").select_option(Role.REVIEWER)
    page.get_by_label("审核级别").select_option("3")
    page.get_by_role("button", name="分配").click()
    page.wait_for_url(f"{base}/staff/manage/roles/")
    expect(page.locator("table.roles")).to_contain_text("审核人（终审）")
    assert_accessible(page)
    assert RoleAssignment.objects.get(user=colleague, role=Role.REVIEWER).review_level == 3
