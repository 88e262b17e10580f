"""The Chinese error pages and the workbench home pass axe-core in a real browser."""

import pytest
from playwright.sync_api import expect

from gongkai.accounts.models import Role


@pytest.mark.browser
@pytest.mark.urls("gongkai.core.tests.urls_raising")
@pytest.mark.django_db(transaction=True)
def test_error_pages_and_dashboard_are_accessible(
    live_server, org_tree, make_staff, chromium, assert_accessible
):
    page = chromium.new_page()
    response = page.goto(f"{live_server.url}/no-such-page/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="页面不存在")).to_be_visible()
    assert_accessible(page)
    response = page.goto(f"{live_server.url}/broken-for-test/")
    assert response.status == 500
    expect(page.get_by_role("heading", name="服务器错误")).to_be_visible()
    assert_accessible(page)
    make_staff(Role.ADMIN, org_tree["finance"], username="adm")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("adm")
    page.locator("#id_password").fill("pass-1234-abcd")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/staff/")
    expect(page.get_by_role("heading", name="网站自查")).to_be_visible()
    assert_accessible(page)
