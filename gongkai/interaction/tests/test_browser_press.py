"""An editor records a 新闻发布会 as a draft, submits it, the reviewer approves it, and the
public finds it on the portal's 新闻发布会 list and page."""

import pytest

from gongkai.accounts.models import Role
from gongkai.interaction.tests.test_browser_interaction import login


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_conference_draft_review_public_page(
    live_server, org_tree, make_staff, chromium, assert_accessible
):
    from playwright.sync_api import expect

    from gongkai.interaction.models import PressConference
    from gongkai.review.chain_services import review_chain_set

    head = make_staff(Role.ADMIN, org_tree["finance"], username="head")
    make_staff(Role.EDITOR, org_tree["finance"], username="editor")
    make_staff(Role.REVIEWER, org_tree["finance"], username="reviewer", review_level=1)
    review_chain_set(
        organisation=org_tree["finance"],
        content_kind="press_conference",
        levels=1,
        acting_user=head,
    )
    base = live_server.url

    # 1. The editor records the conference: a draft, not yet on the portal.
    editor = chromium.new_context().new_page()
    login(editor, base, "editor")
    editor.goto(f"{base}/staff/interaction/press/")
    assert_accessible(editor)
    form = editor.locator("form").filter(has=editor.locator("#id_topic"))
    form.get_by_label("主题").fill("2025年财政预算执行情况新闻发布会")
    form.get_by_label("召开日期").fill("2025-07-15")
    form.get_by_label("召开时间").fill("10:00")
    form.get_by_label("地点").fill("市政府新闻发布厅")
    form.get_by_label("发布人").fill("市财政局局长 王明")
    form.get_by_label("文字实录").fill("王明：上半年全市一般公共预算收入完成年度预算的52.3%。")
    form.get_by_role("button", name="登记").click()
    editor.wait_for_url(f"{base}/staff/workflow/press_conference/**")
    conference = PressConference.objects.get()
    assert conference.status == "draft"
    anonymous = chromium.new_context().new_page()
    response = anonymous.goto(f"{base}/hudong/press/{conference.pk}/")
    assert response is not None
    assert response.status == 404

    # 2. Submitted and approved: published.
    editor.get_by_role("button", name="提交审核").click()
    editor.wait_for_url(f"{base}/staff/workflow/press_conference/{conference.pk}/")
    reviewer = chromium.new_context().new_page()
    login(reviewer, base, "reviewer")
    reviewer.goto(f"{base}/staff/workflow/")
    reviewer.get_by_role("link", name="2025年财政预算执行情况新闻发布会").click()
    reviewer.wait_for_url(f"{base}/staff/workflow/press_conference/**")
    assert_accessible(reviewer)
    reviewer.get_by_role("button", name="通过", exact=True).click()
    reviewer.wait_for_url(f"{base}/staff/workflow/")

    # 3. The public finds it from the 政民互动 section and reads the record.
    anonymous.goto(f"{base}/hudong/")
    anonymous.get_by_role("link", name="新闻发布会").click()
    anonymous.wait_for_url(f"{base}/hudong/press/")
    assert_accessible(anonymous)
    anonymous.get_by_role("link", name="2025年财政预算执行情况新闻发布会").click()
    anonymous.wait_for_url(f"{base}/hudong/press/{conference.pk}/")
    expect(anonymous.locator(".facts")).to_contain_text("2025年7月15日 10:00")
    expect(anonymous.locator(".facts")).to_contain_text("市政府新闻发布厅")
    expect(anonymous.locator(".transcript")).to_contain_text("完成年度预算的52.3%")
    assert_accessible(anonymous)
    for context in chromium.contexts:
        context.close()
