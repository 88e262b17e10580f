"""公开管理 in the browser (issue 15, item 7): the 政务公开管理员 of the city's 财政局 creates
a 下级机构, a 科室 and a staff account in it, makes the account an editor there and gives it a
temporary password; the new colleague logs in with it and must first choose their own."""

import re

import pytest

from gongkai.accounts.models import Role

from .test_browser_manage import login


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_department_admin_opens_a_subordinate_and_its_first_account(
    live_server, org_tree, make_staff, page, chromium, assert_accessible
):
    from playwright.sync_api import expect

    from gongkai.accounts.models import Organisation, RoleAssignment, User

    make_staff(Role.ADMIN, org_tree["finance"], username="czadmin")
    base = live_server.url
    login(page, base, "czadmin")
    page.goto(f"{base}/staff/manage/")

    # The 下级机构, from the 财政局's row of 我管理的机构.
    page.get_by_role("link", name="新建下级机构").click()
    page.wait_for_url(re.compile(r"/staff/manage/organisations/new/\?parent="))
    assert_accessible(page)
    page.get_by_label("机构代码").fill("113301000024900088")
    page.get_by_label("机构名称").fill("杭东市财政票据管理中心")
    page.get_by_label("机构类型").select_option("other")
    page.get_by_role("button", name="新建机构").click()
    page.wait_for_url(f"{base}/staff/manage/org/113301000024900088/")
    expect(page.locator("ul.messages")).to_contain_text("已新建机构“杭东市财政票据管理中心”")
    centre = Organisation.objects.get(code="113301000024900088")
    assert centre.parent == org_tree["finance"]

    # Its first 科室.
    page.locator("#id_unit-name").fill("票据科")
    page.get_by_role("button", name="添加科室").click()
    expect(page.locator("ul.units")).to_contain_text("票据科")

    # The account, in that 科室.
    page.get_by_role("navigation", name="公开管理导航").get_by_role(
        "link", name="工作人员账号"
    ).click()
    page.wait_for_url(f"{base}/staff/manage/staff/")
    page.get_by_role("link", name="新建工作人员账号").first.click()
    page.wait_for_url(f"{base}/staff/manage/staff/new/")
    assert_accessible(page)
    page.get_by_label("用户名").fill("pjzx_editor")
    page.get_by_label("姓名/名称").fill("钱小红")
    page.get_by_label("所在科室").select_option(label="杭东市财政票据管理中心 票据科")
    page.get_by_role("button", name="新建账号").click()
    expect(page.locator("ul.messages")).to_contain_text("已新建账号“pjzx_editor”")
    account = User.objects.get(username="pjzx_editor")
    assert page.url == f"{base}/staff/manage/staff/{account.pk}/"
    assert_accessible(page)

    # An editor of the new centre, the account already chosen on the roles page.
    page.get_by_role("link", name="分配角色").click()
    page.wait_for_url(f"{base}/staff/manage/roles/?user={account.pk}")
    expect(page.get_by_label("工作人员")).to_have_value(str(account.pk))
    page.get_by_label(re.compile(r"^机构")).select_option(str(centre.pk))
    page.get_by_label("角色").select_option(Role.EDITOR)
    page.get_by_role("button", name="分配").click()
    page.wait_for_url(f"{base}/staff/manage/roles/")
    expect(page.locator("table.roles")).to_contain_text("钱小红")
    assert RoleAssignment.objects.filter(
        user=account, organisation=centre, role=Role.EDITOR
    ).exists()

    # A temporary password, shown once.
    page.goto(f"{base}/staff/manage/staff/{account.pk}/")
    page.get_by_role("button", name="生成临时密码").click()
    shown = page.locator("code.temporary-password")
    expect(shown).to_have_text(re.compile(r"^\w{4}-\w{4}-\w{4}-\w{4}$"))
    assert_accessible(page)
    temporary = shown.inner_text()

    # The colleague logs in with it and is sent to choose their own password first.
    colleague = chromium.new_context().new_page()
    colleague.goto(f"{base}/accounts/login/")
    colleague.get_by_label("用户名").fill("pjzx_editor")
    colleague.locator("#id_password").fill(temporary)
    colleague.locator("form").filter(has=colleague.locator("#id_password")).get_by_role(
        "button"
    ).click()
    colleague.wait_for_url(f"{base}/accounts/password/")
    expect(colleague.locator("ul.messages")).to_contain_text(
        "您正在使用管理员设置的临时密码，请先修改密码。"
    )
    colleague.locator("#id_old_password").fill(temporary)
    colleague.locator("#id_new_password1").fill("Piaoju-Keep-2026")
    colleague.locator("#id_new_password2").fill("Piaoju-Keep-2026")
    colleague.get_by_role("button", name="修改密码").click()
    colleague.wait_for_url(f"{base}/accounts/password/done/")
    colleague.goto(f"{base}/staff/")
    expect(colleague.locator("h1")).to_be_visible()
    assert colleague.url == f"{base}/staff/"
    assert User.objects.get(pk=account.pk).password_must_change is False
    colleague.context.close()
