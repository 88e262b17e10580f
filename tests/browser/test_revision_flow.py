"""修订稿 in a real browser: an editor corrects a published item (adding an ID number by
mistake); the public page keeps the approved text while the revision is masked, submitted and
approved; only then does the public page show the correction (ADR 0005)."""

import pytest
from django.utils import timezone

from gongkai.accounts.models import Role
from gongkai.accounts.tests.factories import OrganisationFactory
from gongkai.catalogue.models import InformationItem
from gongkai.catalogue.services import item_create
from gongkai.review import chain_services as cs
from gongkai.review.tests.factories import ReviewChainFactory

from .test_review_flow import ID_NUMBER, MASKED, _logged_in_page, _staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_correction_of_a_live_item_goes_public_only_after_approval(
    live_server, chromium, assert_accessible
):
    from playwright.sync_api import expect

    org = OrganisationFactory.create(
        code="113301000024900002", name="杭东市财政局", kind="department"
    )
    editor = _staff("bianji", org, Role.EDITOR)
    reviewer = _staff("shenhe1", org, Role.REVIEWER, 1)
    ReviewChainFactory.create(organisation=org, content_kind="item", levels=1)
    title = "关于公布2026年春耕补贴名单的通知"
    item = item_create(
        organisation=org,
        data={
            "title": title,
            "written_date": timezone.localdate(),
            "summary": "公布春耕补贴名单。",
            "body": "<p>补贴名单见附件。</p>",
            "genre": "notice",
        },
        acting_user=editor,
    )
    request = cs.review_submit(content=item, acting_user=editor)
    cs.review_decide(request=request, decision="approve", acting_user=reviewer)
    base = live_server.url

    # 1. The editor corrects the live item: the first save creates the revision.
    context, page = _logged_in_page(chromium, live_server, editor)
    page.goto(f"{base}/staff/items/{item.pk}/")
    expect(page.get_by_role("note").first).to_contain_text("本信息已发布：修改会生成修订稿")
    page.get_by_role("link", name="修改（生成修订稿）").click()
    expect(page.locator("p.banner")).to_contain_text("本信息已发布。保存后生成修订稿")
    assert_accessible(page)
    page.get_by_role("textbox", name="正文").fill(f"补贴名单见附件。联系人身份证号码{ID_NUMBER}。")
    page.get_by_role("button", name="保存").click()
    revision = InformationItem.objects.get(revision_of=item)
    page.wait_for_url(f"{base}/staff/items/{revision.pk}/")
    expect(page.locator("p.banner")).to_contain_text("修订稿（待审核）")
    assert_accessible(page)

    # 2. The public still sees the approved text.
    public = chromium.new_context(locale="zh-CN").new_page()
    public.goto(f"{base}/items/{item.pk}/")
    expect(public.locator("main")).to_contain_text("补贴名单见附件。")
    assert "联系人" not in public.content()

    # 3. The revision's review page shows the finding; mask, submit.
    page.goto(f"{base}/staff/workflow/item/{revision.pk}/")
    expect(page.locator(".findings")).to_contain_text(f"含有身份证号码“{ID_NUMBER}”")
    page.get_by_role("button", name="一键遮蔽个人信息").click()
    expect(page.get_by_role("status")).to_contain_text("已遮蔽 1 处个人信息。")
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator("#workflow-state")).to_have_text("审核中（第1级·终审）")
    context.close()
    public.goto(f"{base}/items/{item.pk}/")
    assert "联系人" not in public.content()

    # 4. The reviewer approves the revision from the queue.
    context, page = _logged_in_page(chromium, live_server, reviewer)
    page.goto(f"{base}/staff/workflow/")
    page.get_by_role("link", name=f"修订稿：{title}").click()
    page.get_by_role("button", name="通过", exact=True).click()
    page.wait_for_url(f"{base}/staff/workflow/")
    context.close()

    # 5. Now the public page shows the correction, masked.
    public.goto(f"{base}/items/{item.pk}/")
    body = public.content()
    assert f"联系人身份证号码{MASKED}" in body
    assert ID_NUMBER not in body
    revision.refresh_from_db()
    assert revision.revision_closed_at is not None
