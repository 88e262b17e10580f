"""Public 找错 form → staff text check and masking → wordlist → answering the report, with
axe-core on each page."""

import pytest
from playwright.sync_api import expect

from gongkai.accounts.models import Role
from gongkai.checks.tests.factories import WordlistEntryFactory
from gongkai.oversight.models import ErrorReport


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_review_pages_walkthrough(live_server, org_tree, make_staff, chromium, assert_accessible):
    make_staff(Role.ADMIN, org_tree["office"], username="gkadmin")
    WordlistEntryFactory.create(word="共合国", category="typo", suggestion="共和国")
    page = chromium.new_page()
    # A citizen reports an error from the footer link of the home page.
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="我为政府网站找错").click()
    expect(page.get_by_label("出错页面地址")).to_have_value("/")
    assert_accessible(page)
    page.get_by_label("问题描述").fill("首页“共合国”写错了。")
    page.get_by_role("button", name="提交").click()
    page.wait_for_url(f"{live_server.url}/report-error/thanks/")
    assert_accessible(page)
    report = ErrorReport.objects.get()
    assert (report.page_url, report.status) == ("/", "new")

    # The administrator checks a text, masks it, then answers the report.
    page.goto(f"{live_server.url}/accounts/login/?next=/staff/review/")
    page.get_by_label("用户名").fill("gkadmin")
    page.locator("#id_password").fill("pass-1234-abcd")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/staff/review/")
    assert_accessible(page)
    page.get_by_label("待检查文本").fill("中华人民共合国公民，身份证号11010519491231002X")
    page.get_by_role("button", name="检查", exact=True).click()
    expect(page.get_by_text("发现 2 处问题")).to_be_visible()
    expect(page.locator("mark", has_text="11010519491231002X")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="一键遮蔽个人信息").click()
    expect(page.get_by_label("待检查文本")).to_have_value(
        "中华人民共合国公民，身份证号11*************02X"
    )
    expect(page.get_by_text("发现 1 处问题")).to_be_visible()

    page.get_by_role("link", name="查看和维护错敏词库").click()
    expect(page.get_by_role("cell", name="共合国", exact=True)).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/staff/review/error-reports/")
    assert_accessible(page)
    page.get_by_role("link", name=str(report.pk), exact=True).click()
    assert_accessible(page)
    page.get_by_label("答复内容").fill("已改正，感谢您的反馈。")
    page.get_by_role("button", name="保存答复").click()
    page.wait_for_url(f"{live_server.url}/staff/review/error-reports/")
    expect(page.get_by_text("共收到 1 条，待处理 0 条，已答复 1 条。")).to_be_visible()
    for context in chromium.contexts:  # the browser itself serves the whole session
        context.close()
    report.refresh_from_db()
    assert (report.status, report.answer) == ("answered", "已改正，感谢您的反馈。")
