"""An enterprise subscribes to a keyword; staff publish a matching policy through the review
chain; the enterprise's 个人中心 inbox shows it (issue 14)."""

import datetime

import pytest
from playwright.sync_api import expect

from gongkai.accounts.models import Role
from gongkai.catalogue.models import InformationItem
from gongkai.policies.tests.factories import PolicyItemFactory
from gongkai.review.chain_services import review_decide, review_request_for, review_submit


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_enterprise_subscribes_and_its_inbox_shows_a_new_policy(
    live_server, org_tree, public_user, make_staff, chromium, assert_accessible
):
    base = live_server.url
    page = chromium.new_page()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill("citizen")
    page.locator("#id_password").fill("pass-1234-abcd")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/accounts/me/")
    page.goto(f"{base}/subscriptions/")
    page.wait_for_url(f"{base}/subscriptions/")
    assert_accessible(page)
    page.get_by_role("radio", name="关键词").check()
    page.locator("#id_keyword").fill("集成电路")
    page.get_by_role("button", name="订阅", exact=True).click()
    expect(page.get_by_text("关键词：集成电路")).to_be_visible()

    editor = make_staff(Role.EDITOR, org_tree["finance"])
    reviewers = [
        make_staff(Role.REVIEWER, org_tree["finance"], review_level=level) for level in (1, 2, 3)
    ]
    item = PolicyItemFactory(
        organisation=org_tree["finance"],
        title="支持集成电路产业发展的若干政策",
        status=InformationItem.Status.DRAFT,
        policy_kind="other",
        written_date=datetime.date(2026, 1, 2),
        doc_number="杭财〔2026〕9号",
        summary="支持集成电路产业。",
    )
    review_submit(content=item, acting_user=editor)
    for reviewer in reviewers:
        review_decide(request=review_request_for(item), decision="approve", acting_user=reviewer)

    page.goto(f"{base}/accounts/me/")
    inbox = page.locator("section.personal-subscriptions")
    expect(inbox.get_by_role("link", name="支持集成电路产业发展的若干政策")).to_be_visible()
    expect(inbox.get_by_text("您订阅的关键词：集成电路")).to_be_visible()
    assert_accessible(page)
    for context in chromium.contexts:
        context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_mail_choice_saved_search_and_unsubscribe_page(
    live_server, org_tree, public_user, chromium, assert_accessible
):
    from gongkai.subscriptions import mail as sub_mail
    from gongkai.subscriptions.models import MailAddress, Subscription

    base = live_server.url
    page = chromium.new_page()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill("citizen")
    page.locator("#id_password").fill("pass-1234-abcd")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/accounts/me/")
    page.goto(f"{base}/policies/?org={org_tree['finance'].pk}")
    page.get_by_role("button", name="订阅当前筛选条件").click()
    expect(page.get_by_text("已订阅当前检索条件")).to_be_visible()
    expect(
        page.get_by_text(f"保存的检索条件：发布机构：{org_tree['finance'].name}")
    ).to_be_visible()
    page.get_by_label("推送方式").select_option("daily")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_text("推送方式已保存。")).to_be_visible()
    page.get_by_label("电子邮箱").fill("citizen@example.cn")
    page.get_by_role("button", name="发送确认邮件").click()
    expect(page.get_by_text("确认邮件已发送到 citizen@example.cn")).to_be_visible()
    assert_accessible(page)
    subscription = Subscription.objects.get(user=public_user)
    assert subscription.delivery == "daily"
    assert MailAddress.objects.get(user=public_user).confirmed_at is None

    # several values of a facet, chosen in the personal centre
    topics = page.get_by_role("group", name="政策主题（可多选）")
    topics.get_by_label("科技、教育").check()
    topics.get_by_label("劳动、人事、监察").check()
    audiences = page.get_by_role("group", name="服务对象（可多选）")
    audiences.get_by_label("企业").check()
    audiences.get_by_label("公众").check()
    page.get_by_label("检索关键词").fill("补贴")
    page.get_by_role("button", name="订阅组合条件").click()
    expect(page.get_by_text("已订阅当前检索条件")).to_be_visible()
    expect(
        page.get_by_text(
            "保存的检索条件：政策主题：科技、教育、劳动、人事、监察；服务对象：公众、企业；关键词：补贴"
        )
    ).to_be_visible()
    assert_accessible(page)
    combined = Subscription.objects.get(user=public_user, facet_count=3)
    assert combined.search_values.count() == 5

    other = chromium.new_context().new_page()  # no login: the signed link is enough
    other.goto(f"{base}/subscriptions/unsubscribe/{sub_mail.unsubscribe_token(subscription.pk)}/")
    assert_accessible(other)
    other.get_by_role("button", name="确认退订").click()
    expect(other.get_by_text("已退订")).to_be_visible()
    subscription.refresh_from_db()
    assert subscription.delivery == "inbox"
    for context in chromium.contexts:
        context.close()
