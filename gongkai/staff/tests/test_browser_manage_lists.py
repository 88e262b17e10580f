"""平台名录 and 留言答复时限 in the browser (issue 15, item 7): the city's 政务公开管理员 adds a
服务对象 and a second-level 主题分类, which the public policy library then offers as filters;
the 财政局's 政务公开管理员 sets its own 留言答复时限. No Django superuser; axe-core passes."""

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
def test_platform_lists_reach_the_library_and_a_department_sets_its_limits(
    live_server, org_tree, make_staff, page, assert_accessible
):
    from playwright.sync_api import expect

    from gongkai.catalogue.models import Audience, TopicCategory
    from gongkai.interaction.models import DeadlineRule
    from gongkai.policies.tests.conftest import make_item

    make_staff(Role.ADMIN, org_tree["city"], username="cityadmin", include_descendants=True)
    make_staff(Role.ADMIN, org_tree["finance"], username="financeadmin")
    # A transactional test elsewhere may have flushed the seeded list.
    parent, _ = TopicCategory.objects.get_or_create(name="科技、教育", parent=None)
    base = live_server.url
    login(page, base, "cityadmin")

    page.goto(f"{base}/staff/manage/")
    page.get_by_role("link", name="平台名录（主题分类、服务对象、企业资质）").click()
    page.wait_for_url(f"{base}/staff/manage/lists/topics/")
    assert_accessible(page)

    # A 服务对象.
    page.get_by_role("navigation", name="平台名录").get_by_role("link", name="服务对象").click()
    page.wait_for_url(f"{base}/staff/manage/lists/audiences/")
    page.get_by_label("名称").fill("高校毕业生")
    page.get_by_role("button", name="添加", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("已添加服务对象“高校毕业生”。")
    expect(page.locator("table.terms")).to_contain_text("高校毕业生")
    assert_accessible(page)

    # A second-level 主题分类 under 科技、教育.
    page.get_by_role("navigation", name="平台名录").get_by_role("link", name="主题分类").click()
    page.get_by_role("link", name="在“科技、教育”下添加二级分类").click()
    expect(page.get_by_label("上级分类")).to_have_value(str(parent.pk))
    page.get_by_label("名称").fill("人工智能")
    page.get_by_role("button", name="添加", exact=True).click()
    expect(page.locator("table.terms")).to_contain_text("人工智能（0份文件）")
    assert_accessible(page)

    # An editor's policy uses both; the public library offers them.
    audience = Audience.objects.get(name="高校毕业生")
    topic = TopicCategory.objects.get(name="人工智能", parent=parent)
    make_item(
        org_tree["finance"],
        "关于支持高校毕业生人工智能创业的若干措施",
        kind="normative",
        topic=topic,
        audiences=[audience],
    )
    page.goto(f"{base}/policies/")
    facet = page.locator("section.facet").filter(has=page.get_by_role("heading", name="服务对象"))
    facet.get_by_role("link", name="高校毕业生 (1)").click()
    expect(page.locator("main")).to_contain_text("关于支持高校毕业生人工智能创业的若干措施")
    page.goto(f"{base}/zfxxgk/topic/{parent.pk}/")
    expect(page.get_by_role("navigation", name="二级主题")).to_contain_text("人工智能 (1)")

    # The 财政局's administrator sets its own limit for 网站 messages.
    page.context.clear_cookies()
    login(page, base, "financeadmin")
    page.goto(f"{base}/staff/manage/")
    expect(page.get_by_role("link", name="平台名录（主题分类、服务对象、企业资质）")).to_have_count(
        0
    )
    page.get_by_role("link", name="留言答复时限").click()
    page.wait_for_url(f"{base}/staff/manage/org/{org_tree['finance'].code}/deadlines/")
    assert_accessible(page)
    page.get_by_label("渠道").select_option("website")
    page.get_by_label("答复时限（工作日）").fill("3")
    page.get_by_label("办结时限（工作日）").fill("10")
    page.get_by_role("button", name="保存时限").click()
    row = page.locator("table.deadline-rules tr").filter(
        has=page.get_by_role("rowheader", name="网站")
    )
    expect(row).to_contain_text("本机关设定（默认5个工作日）")
    expect(row).to_contain_text("10个工作日")
    assert_accessible(page)
    rule = DeadlineRule.objects.get(organisation=org_tree["finance"], channel="website")
    assert (rule.reply_workdays, rule.resolution_workdays) == (3, 10)
