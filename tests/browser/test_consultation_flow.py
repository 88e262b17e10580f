"""意见征集 in a real browser (issue 13): an editor drafts and opens a consultation through
review, a member of the public comments, the editor moderates, closes, groups and disposes the
comments, draws up the 意见采纳情况反馈, which a reviewer approves; then the final document is
linked and the consultation finished. The public page shows draft, comments, feedback and the
final document together."""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from gongkai.accounts.models import Organisation, Role, RoleAssignment, User
from gongkai.catalogue.models import InformationItem
from gongkai.catalogue.services import index_numbers_allocate as allocate
from gongkai.participation import rules
from gongkai.participation.models import Comment, Consultation
from gongkai.review.chain_services import review_chain_set

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _staff(username, org, role, level=0):
    user = User.objects.create_user(
        username=username, password="pass-1234-abcd", kind=User.Kind.STAFF, display_name=username
    )
    RoleAssignment.objects.create(user=user, organisation=org, role=role, review_level=level)
    return user


def _page(chromium, live_server, user=None):
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    if user is not None:
        client = Client()
        client.force_login(user)
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


def _approve(chromium, live_server, reviewer, title):
    from playwright.sync_api import expect

    context, page = _page(chromium, live_server, reviewer)
    page.goto(f"{live_server.url}/staff/workflow/")
    page.get_by_role("link", name=title).click()
    expect(page.locator("#approve-button")).to_be_visible()
    page.locator("#approve-button").click()
    page.wait_for_url(f"{live_server.url}/staff/workflow/")
    context.close()


def test_consultation_from_draft_to_feedback(live_server, chromium, assert_accessible):
    from playwright.sync_api import expect

    org = Organisation.objects.create(
        code="113301000024900002", name="杭东市财政局", kind="department"
    )
    admin = _staff("guanli", org, Role.ADMIN)
    editor = _staff("bianji", org, Role.EDITOR)
    reviewer = _staff("shenhe", org, Role.REVIEWER, 1)
    for kind in ("consultation", "consultation_feedback"):
        review_chain_set(organisation=org, content_kind=kind, levels=1, acting_user=admin)
    today = rules.china_date(timezone.now())
    (number,) = allocate(organisation=org, on_date=today)
    final = InformationItem.objects.create(
        index_number=number,
        organisation=org,
        title="杭东市政府采购促进中小企业发展办法",
        written_date=today,
        published_date=today,
        status="published",
        policy_kind="normative",
    )
    base = live_server.url
    title = "杭东市政府采购促进中小企业发展办法（征求意见稿）"

    # 1. The editor drafts the consultation (30 days) and submits it for review.
    context, page = _page(chromium, live_server, editor)
    page.goto(f"{base}/staff/participation/consultations/new/")
    page.get_by_label("征集机构").select_option(str(org.pk))
    page.get_by_label("标题").fill(title)
    page.get_by_label("文件类型").select_option("market_entity")
    page.get_by_label("征求意见稿").fill("第一条 为支持中小企业参与政府采购，制定本办法。")
    page.get_by_label("起草说明").fill("落实《优化营商环境条例》，起草本办法。")
    page.get_by_label("征集问题").fill("预留份额比例是否合适？")
    page.get_by_label("开始日期").fill(today.isoformat())
    page.get_by_label("截止日期").fill((today + datetime.timedelta(days=30)).isoformat())
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    c = Consultation.objects.get(title=title)
    page.goto(f"{base}/staff/workflow/consultation/{c.pk}/")
    page.locator("#submit-review").click()
    expect(page.get_by_role("status")).to_be_visible()
    context.close()
    _approve(chromium, live_server, reviewer, title)
    c.refresh_from_db()
    assert c.status == "published"

    # 2. The public comments on the open consultation.
    context, page = _page(chromium, live_server)
    page.goto(f"{base}/participation/consultations/")
    page.get_by_role("link", name=title).click()
    expect(page.locator("#window-status")).to_have_text("正在征集，剩余31天（含今天）")
    assert_accessible(page)
    page.get_by_label("针对问题").select_option(label="1. 预留份额比例是否合适？")
    page.get_by_label("意见内容").fill("建议预留份额提高到40%，联系电话13912345678。")
    page.get_by_label("署名").fill("赵六")
    page.get_by_label("同意公开我的意见").check()
    page.get_by_role("button", name="提交意见").click()
    expect(page.get_by_role("status")).to_contain_text("意见已提交")
    context.close()
    comment = Comment.objects.get()
    assert comment.moderation == "pending"

    # 3. The editor approves the comment, closes early, groups it and draws up the feedback.
    context, page = _page(chromium, live_server, editor)
    page.goto(f"{base}/staff/participation/consultations/{c.pk}/")
    page.get_by_label("审核结果").select_option("approve")
    page.get_by_role("button", name="保存审核结果").click()
    expect(page.get_by_role("status")).to_contain_text("意见审核结果已保存")
    page.locator("summary", has_text="提前截止").click()
    page.get_by_label("提前截止的理由").fill("上级文件已出台，须尽快衔接")
    page.get_by_role("button", name="提前截止").click()
    expect(page.get_by_role("status")).to_contain_text("征集已提前截止")
    page.get_by_role("textbox", name="意见归类").fill("提高预留份额")
    page.get_by_label("处理意见").select_option("partly")
    page.get_by_label("理由").fill("预留份额提高到35%，与省里规定一致")
    page.get_by_label(f"#{comment.pk} ").check()
    page.get_by_role("button", name="保存分组").click()
    expect(page.get_by_role("status")).to_contain_text("意见分组和处理意见已保存")
    page.get_by_role("button", name="办结征集").click()
    expect(page.get_by_role("alert").first).to_contain_text("反馈经审核发布后，才能办结征集")
    page.goto(f"{base}/staff/participation/consultations/{c.pk}/")
    page.get_by_label("总体情况").fill("感谢各界的宝贵意见。")
    page.get_by_role("button", name="生成采纳情况反馈").click()
    expect(page.locator("#feedback-status")).to_have_text("草稿")
    page.get_by_role("link", name="提交审核 / 审核记录").nth(1).click()
    page.locator("#submit-review").click()
    expect(page.get_by_role("status")).to_be_visible()
    context.close()
    _approve(chromium, live_server, reviewer, f"关于《{title}》征求意见采纳情况的反馈")

    # 4. Linking the final document and finishing are now allowed.
    context, page = _page(chromium, live_server, editor)
    page.goto(f"{base}/staff/participation/consultations/{c.pk}/")
    expect(page.locator("#feedback-status")).to_have_text("已发布")
    page.get_by_label("正式文件索引号").fill(final.index_number)
    page.get_by_role("button", name="关联正式文件").click()
    expect(page.get_by_role("status")).to_contain_text("正式文件已关联")
    page.get_by_role("button", name="办结征集").click()
    expect(page.get_by_role("status")).to_contain_text("征集已办结")
    context.close()

    # 5. The public page: draft, comment (masked), feedback with counts, final document.
    context, page = _page(chromium, live_server)
    page.goto(f"{base}/participation/consultations/{c.pk}/")
    expect(page.locator("#window-status")).to_have_text("征集已结束")
    expect(page.get_by_role("region", name="征求意见稿")).to_contain_text(
        "为支持中小企业参与政府采购"
    )
    expect(page.get_by_role("region", name="公开的意见")).to_contain_text(
        "建议预留份额提高到40%，联系电话139****5678。"
    )
    feedback = page.get_by_role("region", name="意见采纳情况反馈")
    expect(feedback).to_contain_text("感谢各界的宝贵意见。")
    expect(feedback).to_contain_text("提高预留份额：预留份额提高到35%，与省里规定一致")
    expect(feedback.locator("tbody td").nth(1)).to_have_text("1")  # 部分采纳 1
    expect(page.get_by_role("region", name="正式文件")).to_contain_text(final.title)
    assert_accessible(page)
    context.close()
