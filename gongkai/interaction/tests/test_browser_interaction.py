"""The public files a message, staff answer it through review, and the public reply and the
statistics change."""

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
def test_message_answered_through_review_is_public_and_counted(
    live_server, org_tree, make_staff, chromium, assert_accessible
):
    from playwright.sync_api import expect

    from gongkai.interaction.models import Message
    from gongkai.review.chain_services import review_chain_set

    head = make_staff(Role.ADMIN, org_tree["finance"], username="head")
    make_staff(Role.REVIEWER, org_tree["finance"], username="reviewer", review_level=1)
    review_chain_set(
        organisation=org_tree["finance"], content_kind="message_reply", levels=1, acting_user=head
    )
    base = live_server.url
    fin = org_tree["finance"].code

    # 1. The public files a consultation.
    public = chromium.new_context().new_page()
    public.goto(f"{base}/hudong/write/?org={fin}")
    assert_accessible(public)
    public.get_by_label("留言类别").select_option("consult")
    public.get_by_label("标题").fill("咨询契税补贴申领")
    public.get_by_label("留言内容").fill("本人电话13900002222，请问契税补贴如何申领？")
    public.get_by_label("联系电话").fill("13900002222")
    public.get_by_role("button", name="提交留言").click()
    public.wait_for_url(f"{base}/hudong/done/")
    reference = public.locator(".message-reference").inner_text()
    assert len(public.locator(".message-code").inner_text()) == 8
    assert_accessible(public)
    message = Message.objects.get(reference=reference)
    assert message.organisation_id == org_tree["finance"].pk

    public.goto(f"{base}/hudong/stats/?org={fin}")
    expect(public.locator(".stat-received")).to_have_text("1")
    expect(public.locator(".stat-replied")).to_have_text("0")
    assert_accessible(public)

    # 2. Staff draft the reply and submit it; the reviewer approves it.
    staff = chromium.new_context().new_page()
    login(staff, base, "head")
    staff.goto(f"{base}/staff/interaction/")
    assert_accessible(staff)
    staff.get_by_role("link", name=reference).click()
    staff.wait_for_url(f"{base}/staff/interaction/{message.pk}/")
    expect(staff.locator("body")).to_contain_text("139****2222")
    assert "13900002222" not in staff.locator(".facts").inner_text()
    assert_accessible(staff)
    staff.get_by_label("答复内容").fill("契税补贴可在市政务服务网在线申领，无需到现场。")
    staff.get_by_role("button", name="保存答复").click()
    staff.wait_for_url(f"{base}/staff/interaction/{message.pk}/")
    staff.get_by_role("button", name="提交审核").click()
    staff.wait_for_url(f"{base}/staff/interaction/{message.pk}/")
    expect(staff.locator(".message-status")).to_have_text("答复待审核")

    reviewer = chromium.new_context().new_page()
    login(reviewer, base, "reviewer")
    reviewer.goto(f"{base}/staff/workflow/")
    reviewer.get_by_role("link", name=f"留言答复：{reference}").click()
    reviewer.wait_for_url(f"{base}/staff/workflow/message_reply/**")
    reviewer.get_by_role("button", name="通过", exact=True).click()
    reviewer.wait_for_url(f"{base}/staff/workflow/")

    staff.reload()
    expect(staff.locator(".message-status")).to_have_text("已答复")

    # 3. The public sees the message with its reply (masked) and the statistics changed.
    public.goto(f"{base}/hudong/")
    public.get_by_role("link", name="咨询契税补贴申领").click()
    public.wait_for_url(f"{base}/hudong/m/{reference}/")
    expect(public.locator(".message-reply")).to_contain_text("无需到现场")
    expect(public.locator(".message-content")).to_contain_text("139****2222")
    assert "13900002222" not in public.locator("main").inner_text()
    assert_accessible(public)
    public.goto(f"{base}/hudong/stats/?org={fin}")
    expect(public.locator(".stat-replied")).to_have_text("1")
    expect(public.locator(".stat-on-time")).to_have_text("1")
    for context in chromium.contexts:
        context.close()
