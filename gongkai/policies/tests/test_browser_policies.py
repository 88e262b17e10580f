"""Home → 政策文件库 → a facet → a policy → its interpretation → back, axe-core on every page."""

import pytest
from playwright.sync_api import expect

from gongkai.accounts.models import Role


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_policy_library_walkthrough(live_server, world, make_staff, chromium, assert_accessible):
    make_staff(Role.EDITOR, world.office, username="office-editor")
    base = live_server.url
    page = chromium.new_page()
    page.goto(f"{base}/")
    assert_accessible(page)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="政策文件库").click()
    page.wait_for_url(f"{base}/policies/")
    expect(page.get_by_role("heading", name="共7件政策文件")).to_be_visible()
    assert_accessible(page)
    # A facet value is an ordinary link: works without JavaScript and from the keyboard.
    page.locator('a[data-facet="kind"][data-value="normative"]').click()
    page.wait_for_url(f"{base}/policies/?kind=normative")
    expect(page.get_by_role("heading", name="共4件政策文件")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=world.p2.title).click()
    page.wait_for_url(f"{base}/items/{world.p2.pk}/")
    expect(page.get_by_role("heading", level=1, name=world.p2.title)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=world.i1.title).click()
    page.wait_for_url(f"{base}/interpretations/{world.i1.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name=world.p2.title).click()
    page.wait_for_url(f"{base}/items/{world.p2.pk}/")
    page.go_back()
    page.wait_for_url(f"{base}/interpretations/{world.i1.pk}/")
    # The other public pages of this area.
    for path in (
        f"/items/{world.p3.pk}/",
        "/policies/repealed/",
        "/interpretations/",
        "/qa/",
        "/zfxxgk/",
        f"/zfxxgk/org/{world.office.code}/",
        f"/zfxxgk/topic/{world.cfs.pk}/",
        "/zfxxgk/guide/",
        "/zfxxgk/ysqgk/",
        "/organisations/",
        f"/organisations/{world.office.code}/",
        "/columns/zqjk/",
    ):
        page.goto(f"{base}{path}")
        assert_accessible(page)
    # A phone-sized viewport still shows the facets (stacked) without horizontal scrolling.
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{base}/policies/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    # Back office forms are labelled too.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill("office-editor")
    page.locator("#id_password").fill("pass-1234-abcd")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/staff/")
    for path in ("/staff/interpretations/", "/staff/interpretations/new/", "/staff/qa/",
                 "/staff/qa/new/", f"/staff/interpretations/{world.i1.pk}/"):  # fmt: skip
        page.goto(f"{base}{path}")
        assert_accessible(page)
    for context in chromium.contexts:  # the browser itself serves the whole session
        context.close()
