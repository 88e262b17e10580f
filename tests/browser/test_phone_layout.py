"""Phone layout (issue 15, item 8): every public page of the demo world at 360 and 414 px
wide has no horizontal scroll and no axe-core violations; catalogue tables become cards and
search/the policy library put results before the 筛选 panel."""

import pytest

from gongkai.portal.tests.test_copy import more_public_paths, public_paths

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def phone(chromium, request):
    context = chromium.new_context(
        locale="zh-CN", viewport={"width": request.param, "height": 800}, is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.mark.parametrize("phone", [360, 414], indirect=True)
def test_every_public_page_fits_a_phone(demo_world, live_server, phone, assert_accessible):
    overflowing = []
    for path in public_paths():
        response = phone.goto(f"{live_server.url}{path}")
        assert response is not None, path
        assert response.status == 200, path
        widths = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if widths[0] > widths[1]:
            overflowing.append(f"{path}: {widths[0]} > {widths[1]}")
        assert_accessible(phone)
    assert overflowing == []


@pytest.mark.parametrize("phone", [390], indirect=True)
def test_results_come_before_the_filter_panel(demo_world, live_server, phone):
    from playwright.sync_api import expect

    for path, heading in [("/policies/", "共40件政策文件"), ("/search/?q=企业", None)]:
        phone.goto(f"{live_server.url}{path}")
        results = phone.locator("#h-results")
        panel = phone.locator("details.filter-panel")
        expect(panel.locator("summary")).to_have_text("筛选")
        if heading:
            expect(results).to_have_text(heading)
        results_top = results.bounding_box()["y"]
        # Closed on a phone: the facets are one tap away, below the results' heading.
        assert panel.evaluate("el => el.open") is False
        assert panel.bounding_box()["y"] > results_top, path
    # A catalogue table is a list of cards at phone width: each row is as wide as the page.
    from gongkai.accounts.models import Organisation

    city = Organisation.objects.get(name="杭东市人民政府")
    phone.goto(f"{live_server.url}/zfxxgk/org/{city.code}/")
    row = phone.locator("table.catalogue tbody tr").first
    assert row.evaluate("el => getComputedStyle(el).display") == "flex"
    title_cell = row.locator("td").nth(1)
    assert title_cell.bounding_box()["width"] > 250


@pytest.mark.parametrize("phone", [360, 414], indirect=True)
def test_the_other_public_pages_fit_a_phone(demo_world, live_server, phone, assert_accessible):
    overflowing = []
    for path in more_public_paths():
        response = phone.goto(f"{live_server.url}{path}")
        assert response is not None, path
        assert response.status == 200, path
        widths = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if widths[0] > widths[1]:
            overflowing.append(f"{path}: {widths[0]} > {widths[1]}")
        assert_accessible(phone)
    assert overflowing == []
