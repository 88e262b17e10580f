"""A visitor describes a need in one sentence on the 政策找人 page and gets, by meaning, the demo
world's policy whose words it does not use (issue 14 item 4)."""

import pytest
from playwright.sync_api import expect

from gongkai.policies.tests.factories import PolicyItemFactory

from .test_semantic import DEMO_TITLES, NEED, PATENT_LOAN


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_visitor_describes_a_need_and_sees_policies(
    live_server, org_tree, chromium, assert_accessible
):
    for title in DEMO_TITLES:
        PolicyItemFactory(organisation=org_tree["city"], title=title, body=f"<p>{title}。</p>")
    page = chromium.new_page()
    page.goto(f"{live_server.url}/policies/match/")
    page.get_by_label("用一句话描述您的需求").fill(NEED)
    page.get_by_role("button", name="按需求查找").click()
    results = page.locator("#need-results li")
    expect(results.first).to_contain_text(PATENT_LOAN)
    expect(results.first).to_contain_text("语义相近")
    expect(results).to_have_count(len(DEMO_TITLES))
    assert_accessible(page)
    results.first.get_by_role("link").click()
    expect(page.locator("h1")).to_contain_text(PATENT_LOAN)
