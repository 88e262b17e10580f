"""Register (e-mail, mailed code, details) → personal center → log out → staff login →
workbench, with axe-core on each page."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from gongkai.accounts.models import Role, User


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_account_pages_walkthrough(live_server, org_tree, make_staff, chromium, assert_accessible):
    make_staff(Role.EDITOR, org_tree["finance"], username="editor")
    page = chromium.new_page()
    page.goto(f"{live_server.url}/accounts/register/")
    assert_accessible(page)
    page.get_by_label("电子邮箱").fill("office@yunfan.example.cn")
    page.get_by_role("button", name="获取验证码").click()
    expect(page.get_by_role("status")).to_contain_text("邮件已发送到 office@yunfan.example.cn")
    assert_accessible(page)
    (message,) = mail.outbox  # the delivery backend (locmem) stands in for the mail server
    match = re.search(r"邮箱验证码：(\d{6})", str(message.body))
    assert match is not None
    code = match.group(1)
    # Submitting with a missing sub-type shows the error next to the field.
    page.get_by_label("邮箱验证码").fill(code)
    page.get_by_label("法人或其他组织", exact=True).check()
    page.get_by_label("姓名/单位名称").fill("杭东市云帆科技有限公司")
    page.get_by_label("手机号码").fill("13800138000")
    page.locator("#id_password1").fill("Cloud-Sail-2026")
    page.locator("#id_password2").fill("Cloud-Sail-2026")
    page.get_by_role("button", name="注册").click()
    # expect() waits for the re-rendered form; page.content() mid-navigation returns "".
    expect(page.get_by_text("请选择法人或其他组织的类型。")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("法人或其他组织类型").select_option("business")
    page.locator("#id_password1").fill("Cloud-Sail-2026")
    page.locator("#id_password2").fill("Cloud-Sail-2026")
    page.get_by_role("button", name="注册").click()
    page.wait_for_url(f"{live_server.url}/accounts/me/")
    expect(page.get_by_role("heading", name="我的依申请公开")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="退出").click()
    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(page)
    page.get_by_label("用户名").fill("editor")
    page.locator("#id_password").fill("pass-1234-abcd")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/staff/")
    expect(page.get_by_role("heading", name="我的角色")).to_be_visible()
    assert_accessible(page)
    for context in chromium.contexts:  # the browser itself serves the whole session
        context.close()
    user = User.objects.get(username="office@yunfan.example.cn")
    assert (user.kind, user.applicant_type) == ("public", "business")
