"""A citizen's walk through the demo world: home → 政策文件库 → a facet → a policy → its
interpretation → back to the policy, with axe-core on every page; and the 长者模式 switch
working without JavaScript.
"""

import re

import pytest

from gongkai.catalogue.models import InformationItem

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_walk_home_library_facet_policy_interpretation_and_back(
    demo_world, live_server, page, assert_accessible
):
    from playwright.sync_api import expect

    base = live_server.url
    # The demo's six 规章 all have 文号 杭东市人民政府令第…号; take the newest one that has a
    # published interpretation (the demo interprets its oldest policies first).
    policy = (
        InformationItem.objects.filter(policy_kind="rule", interpretations__status="published")
        .order_by("-published_date", "-id")
        .first()
    )
    assert policy is not None
    interpretation = policy.interpretations.filter(status="published").order_by("id").first()
    assert interpretation is not None

    # 1. Home page.
    page.goto(f"{base}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="最新公开信息")).to_be_visible()
    assert_accessible(page)

    # 2. Policy library from the main navigation: all 40 demo policies.
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="政策文件库").click()
    page.wait_for_url(f"{base}/policies/")
    expect(page.get_by_role("heading", level=1, name="政策文件库")).to_be_visible()
    expect(page.get_by_role("heading", name="共40件政策文件")).to_be_visible()
    expect(page.get_by_role("heading", name="文件类型")).to_be_visible()
    assert_accessible(page)

    # 3. A facet filter is a plain link: 文件类型 = 规章 leaves the six 规章.
    rule_facet = page.locator('a[data-facet="kind"][data-value="rule"]')
    expect(rule_facet).to_contain_text("(6)")
    rule_facet.click()
    page.wait_for_url(re.compile(r"/policies/\?kind=rule$"))
    expect(page.get_by_role("heading", name="共6件政策文件")).to_be_visible()
    expect(page.locator('a[data-facet="kind"][data-value="rule"]')).to_have_attribute(
        "aria-current", "true"
    )
    assert_accessible(page)

    # 4. The policy page: title, metadata block with its 索引号 and 文号, the interpretation.
    page.get_by_role("link", name=policy.title, exact=True).first.click()
    page.wait_for_url(f"{base}/items/{policy.pk}/")
    expect(page.get_by_role("heading", level=1, name=policy.title)).to_be_visible()
    expect(page.get_by_text(policy.index_number).first).to_be_visible()
    expect(page.get_by_text(policy.doc_number).first).to_be_visible()
    assert_accessible(page)

    # 5. Its interpretation (双向关联: the policy page links to it …).
    page.get_by_role("link", name=interpretation.title, exact=True).first.click()
    page.wait_for_url(f"{base}/interpretations/{interpretation.pk}/")
    expect(page.get_by_role("heading", level=1, name=interpretation.title)).to_be_visible()
    expect(page.get_by_role("heading", name="解读的政策文件")).to_be_visible()
    assert_accessible(page)

    # 6. … and the interpretation links back to the policy.
    page.get_by_role("link", name=policy.title, exact=True).first.click()
    page.wait_for_url(f"{base}/items/{policy.pk}/")
    expect(page.get_by_role("heading", level=1, name=policy.title)).to_be_visible()

    # The browser's own back button returns to the interpretation.
    page.go_back()
    page.wait_for_url(f"{base}/interpretations/{interpretation.pk}/")
    expect(page.get_by_role("heading", level=1, name=interpretation.title)).to_be_visible()


def test_superseded_policy_shows_banner_and_successor(
    demo_world, live_server, page, assert_accessible
):
    from playwright.sync_api import expect

    old = InformationItem.objects.filter(validity="repealed", replaced_by__isnull=False).first()
    assert old is not None
    assert old.replaced_by is not None
    page.goto(f"{live_server.url}/items/{old.pk}/")
    expect(page.get_by_role("heading", level=1, name=old.title)).to_be_visible()
    expect(page.locator(".banner").first).to_contain_text("废止")
    assert_accessible(page)
    page.locator(".banner").get_by_role("link", name="查看替代文件").click()
    page.wait_for_url(f"{live_server.url}/items/{old.replaced_by.pk}/")
    expect(page.get_by_role("heading", level=1, name=old.replaced_by.title)).to_be_visible()

    # Every 失效/废止/已修改 document of the demo world links to its successor (issue 15 item 14).
    for item in InformationItem.objects.filter(status="published").exclude(validity="valid"):
        page.goto(f"{live_server.url}/items/{item.pk}/")
        name = {"amended": "查看修改文件", "expired": "查看现行文件"}.get(
            item.validity, "查看替代文件"
        )
        link = page.locator(".banner").get_by_role("link", name=name)
        expect(link).to_have_attribute("href", f"/items/{item.replaced_by_id}/")


def test_large_text_switch_works_without_javascript(demo_world, live_server, page_without_js):
    from playwright.sync_api import expect

    page = page_without_js
    page.goto(f"{live_server.url}/policies/?kind=rule")
    body = page.locator("body")
    expect(body).not_to_have_class(re.compile(r"\blarge-text\b"))
    switch = page.get_by_role("button", name="长者模式（大字高对比）")
    expect(switch).to_have_attribute("aria-pressed", "false")

    switch.click()  # a plain form POST; the server answers with a redirect back
    page.wait_for_url(re.compile(r"/policies/\?kind=rule$"))
    expect(body).to_have_class(re.compile(r"\blarge-text\b"))
    expect(page.get_by_role("button", name="标准模式")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("heading", name="共6件政策文件")).to_be_visible()
    font_size = page.evaluate("getComputedStyle(document.body).fontSize")
    assert font_size == "20px"  # 125 % of the 16 px root size

    page.get_by_role("button", name="标准模式").click()
    page.wait_for_url(re.compile(r"/policies/\?kind=rule$"))
    expect(body).not_to_have_class(re.compile(r"\blarge-text\b"))


def test_demo_world_pages_have_no_axe_violations(demo_world, live_server, page, assert_accessible):
    """The richer demo content (pictures, videos, Q&A, long catalogues) stays accessible."""
    from gongkai.accounts.models import Organisation
    from gongkai.policies.models import Interpretation
    from gongkai.reports.models import AnnualReport

    graphic = Interpretation.objects.filter(form="graphic").first()
    video = Interpretation.objects.filter(form="video").first()
    qa = Interpretation.objects.filter(form="qa").first()
    city = Organisation.objects.get(name="杭东市人民政府")
    report = AnnualReport.objects.get(organisation=city, scope="all", year=2025)  # tables 二–四
    assert graphic
    assert video
    assert qa
    paths = [
        "/interpretations/",
        f"/interpretations/{graphic.pk}/",
        f"/interpretations/{video.pk}/",
        f"/interpretations/{qa.pk}/",
        "/qa/",
        "/policies/normative/",
        "/policies/repealed/",
        "/zfxxgk/",
        f"/zfxxgk/org/{city.code}/",
        "/organisations/",
        f"/organisations/{city.code}/",
        "/columns/wjjdp/",
        "/columns/dtyw/",
        "/zfxxgk/annual-reports/",
        f"/items/{report.published_item_id}/",
    ]
    for path in paths:
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None, path
        assert response.status == 200, path
        assert_accessible(page)
