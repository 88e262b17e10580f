"""先审后发 in a real browser: an editor drafts an item with an ID number in it, sees the
finding, masks it with one click and submits; three reviewers (初审, 复审, 终审) approve in
turn; the item appears on its public page with the number masked."""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from gongkai.accounts.models import Organisation, Role, User
from gongkai.accounts.tests.factories import OrganisationFactory, RoleAssignmentFactory, UserFactory
from gongkai.catalogue.models import InformationItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ID_NUMBER = "11010519491231002X"
MASKED = "11*************02X"


def _staff(username: str, org: Organisation, role: str, level: int = 0) -> User:
    user = UserFactory.create(
        username=username,
        password="pass-1234-abcd",
        kind=User.Kind.STAFF,
        display_name=username,
    )
    RoleAssignmentFactory.create(user=user, organisation=org, role=role, review_level=level)
    return user


def _logged_in_page(chromium, live_server, user):
    """A browser context carrying ``user``'s session (the login form has its own tests)."""
    client = Client()
    client.force_login(user)
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


def test_draft_mask_three_reviewers_published(live_server, chromium, assert_accessible):
    from playwright.sync_api import expect

    org = OrganisationFactory.create(
        code="113301000024900002", name="杭东市财政局", kind="department"
    )
    editor = _staff("bianji", org, Role.EDITOR)
    reviewers = [_staff(f"shenhe{n}", org, Role.REVIEWER, n) for n in (1, 2, 3)]
    base = live_server.url
    title = "关于公布2026年春耕补贴名单的通知"

    # 1. The editor drafts the item with an ID number in the body.
    context, page = _logged_in_page(chromium, live_server, editor)
    page.goto(f"{base}/staff/items/new/")
    page.get_by_label("信息名称").fill(title)
    page.get_by_label("成文日期").fill(timezone.localdate().isoformat())
    page.get_by_label("内容概述").fill("公布春耕补贴名单。")
    page.get_by_role("textbox", name="正文").fill(
        f"申请人张某，身份证号码{ID_NUMBER}，补贴1200元。"
    )
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"{base}/staff/items/*/")
    item = InformationItem.objects.get(title=title)
    assert item.status == "draft"

    # 2. Its review page shows the finding; one click masks the number.
    page.goto(f"{base}/staff/workflow/item/{item.pk}/")
    expect(page.locator(".findings")).to_contain_text(
        f"正文：含有身份证号码“{ID_NUMBER}”，公开前应遮蔽为“{MASKED}”"
    )
    assert_accessible(page)
    page.get_by_role("button", name="一键遮蔽个人信息").click()
    expect(page.get_by_role("status")).to_contain_text("已遮蔽 1 处个人信息。")
    expect(page.locator("#content-preview")).to_contain_text(MASKED)
    expect(page.locator(".findings li.blocking")).to_have_count(0)

    # 3. Submit for review.
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator("#workflow-state")).to_have_text("审核中（第1级·初审）")
    context.close()

    # 4. 初审, 复审, 终审 each find it in their queue and approve.
    for n, reviewer in enumerate(reviewers, start=1):
        context, page = _logged_in_page(chromium, live_server, reviewer)
        page.goto(f"{base}/staff/workflow/")
        page.get_by_role("link", name=title).click()
        expect(page.get_by_role("heading", name=f"第{n}级审核")).to_be_visible()
        if n == 1:
            assert_accessible(page)
        page.get_by_role("button", name="通过", exact=True).click()
        page.wait_for_url(f"{base}/staff/workflow/")
        context.close()

    item.refresh_from_db()
    assert item.status == "published"

    # 5. The public page shows the item, with the masked number only.
    context = chromium.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(f"{base}/items/{item.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    body = page.content()
    assert MASKED in body
    assert ID_NUMBER not in body
    context.close()
