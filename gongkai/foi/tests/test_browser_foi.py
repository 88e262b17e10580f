"""The public files an application, staff confirm and answer it, the applicant reads the answer."""

import pytest

from gongkai.accounts.models import Role, User
from gongkai.accounts.tests.factories import UserFactory


def login(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.locator("#id_password").fill("pass-1234-abcd")
    page.locator("form").filter(has=page.locator("#id_password")).get_by_role("button").click()
    page.wait_for_load_state()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_apply_answer_and_read_the_reply(
    live_server, org_tree, make_staff, tmp_path, chromium, assert_accessible
):
    from playwright.sync_api import expect

    from gongkai.foi.models import Case

    UserFactory.create(
        username="citizen", password="pass-1234-abcd", kind=User.Kind.PUBLIC, display_name="张三"
    )
    head = make_staff(Role.ADMIN, org_tree["finance"], username="head")
    make_staff(Role.REVIEWER, org_tree["finance"], username="reviewer", review_level=1)
    from gongkai.review.chain_services import review_chain_set

    # The bureau reviews its reply letters in one level (终审).
    review_chain_set(
        organisation=org_tree["finance"], content_kind="reply_letter", levels=1, acting_user=head
    )
    base = live_server.url

    # 1. The applicant files an application online.
    public = chromium.new_context(accept_downloads=True).new_page()
    login(public, base, "citizen")
    public.goto(f"{base}/zfxxgk/ysqgk/apply/")
    assert_accessible(public)
    public.get_by_label("受理机关").select_option(label="杭东市财政局")
    public.get_by_label("申请人类型").select_option("natural")
    public.get_by_label("姓名/名称").fill("张三")
    public.get_by_label("身份证明类型").select_option("resident_id")
    public.get_by_label("证件号码").fill("110105199001011232")
    public.get_by_label("联系电话").fill("13900001111")
    public.get_by_label("电子邮箱").fill("zhangsan@example.cn")
    public.get_by_label("所需信息的名称").fill("2025年部门预算公开表")
    public.get_by_label("电子数据").check()
    public.get_by_label("网上获取").check()
    public.get_by_role("button", name="提交申请").click()
    public.wait_for_url(f"{base}/zfxxgk/ysqgk/done/")
    assert_accessible(public)
    reference = public.locator(".foi-reference").inner_text()
    code = public.locator(".foi-code").inner_text()
    case = Case.objects.get(reference=reference)
    assert case.status == "submitted"
    assert "请立即抄录" in public.content()

    # 2. Staff confirm receipt, assign, answer, submit the letter for review, the reviewer
    #    approves it, and the handler delivers it.
    staff = chromium.new_context(accept_downloads=True).new_page()
    login(staff, base, "head")
    staff.goto(f"{base}/staff/foi/")
    assert_accessible(staff)
    assert "139****1111" in staff.content()
    assert "13900001111" not in staff.content()
    staff.get_by_role("link", name=reference).first.click()
    staff.wait_for_url(f"{base}/staff/foi/{case.pk}/")
    assert_accessible(staff)
    # Issue 15, item 4: the action bar offers only the steps legal now; a lone next step
    # (确认收到 of an online application) opens its form at once, others open on a click.
    bar = staff.locator(".foi-steps")
    expect(bar.get_by_role("link")).to_have_text(["确认收到"])
    expect(staff.locator("form.stacked[class*='foi-action-']")).to_have_count(1)
    staff.get_by_role("button", name="确认收到").click()
    staff.wait_for_url(f"{base}/staff/foi/{case.pk}/")
    expect(bar.get_by_role("link", name="分办")).to_be_visible()
    expect(bar.get_by_role("link", name="确认收到")).to_have_count(0)
    expect(staff.locator("form.stacked[class*='foi-action-']")).to_have_count(0)
    bar.get_by_role("link", name="分办", exact=True).click()
    staff.wait_for_url(f"{base}/staff/foi/{case.pk}/?step=assign#step-form")
    expect(staff.locator("form.stacked[class*='foi-action-']")).to_have_count(1)
    assert_accessible(staff)
    staff.locator("#id_assign-handler").select_option(label="政务公开管理员1")
    staff.get_by_role("button", name="分办").click()
    staff.wait_for_url(f"{base}/staff/foi/{case.pk}/")
    bar.get_by_role("link", name="答复", exact=True).click()
    staff.wait_for_url(f"{base}/staff/foi/{case.pk}/?step=reply#step-form")
    staff.locator("#id_reply-outcome").select_option("1")
    staff.locator("#id_reply-detail").fill("请查阅附件《2025年部门预算公开表》。")
    staff.get_by_role("button", name="生成答复书").click()
    staff.wait_for_url(f"{base}/staff/foi/{case.pk}/")
    expect(staff.locator("#reply-review-state")).to_have_text("草稿")
    expect(staff.get_by_role("button", name="登记送达")).to_have_count(0)
    staff.get_by_role("button", name="提交审核").click()
    staff.wait_for_url(f"{base}/staff/foi/{case.pk}/")
    expect(staff.locator("#reply-review-state")).to_have_text("审核中（第1级·终审）")
    assert_accessible(staff)

    reviewer = chromium.new_context().new_page()
    login(reviewer, base, "reviewer")
    reviewer.goto(f"{base}/staff/workflow/")
    reviewer.get_by_role("link", name=f"答复书：{reference}").click()
    reviewer.wait_for_url(f"{base}/staff/workflow/reply_letter/**")
    expect(reviewer.locator("#content-preview")).to_contain_text("2025年部门预算公开表")
    assert_accessible(reviewer)
    reviewer.get_by_role("button", name="通过", exact=True).click()
    reviewer.wait_for_url(f"{base}/staff/workflow/")
    assert "终审通过，经办人可以送达答复书" in reviewer.content()

    staff.goto(f"{base}/staff/foi/{case.pk}/")
    expect(staff.locator("#reply-review-state")).to_have_text("已通过")
    bar.get_by_role("link", name="送达", exact=True).click()
    staff.wait_for_url(f"{base}/staff/foi/{case.pk}/?step=deliver#step-form")
    staff.locator("#id_deliver-method").select_option("online")
    staff.get_by_role("button", name="登记送达").click()
    staff.wait_for_url(f"{base}/staff/foi/{case.pk}/")
    assert staff.locator(".foi-status").inner_text() == "已答复"
    case.refresh_from_db()
    assert case.received_date is not None
    assert case.outcome == "1"
    assert case.due_date is not None  # the seeded calendar was there
    assert_accessible(staff)

    # 3. The applicant sees the answer in the personal center and downloads the letter.
    public.goto(f"{base}/accounts/me/")
    assert "予以公开" in public.locator(".foi-my-cases").inner_text()
    public.get_by_role("link", name=reference).click()
    public.wait_for_url(f"{base}/zfxxgk/ysqgk/my/{case.pk}/")
    assert_accessible(public)
    assert "予以公开" in public.locator(".foi-outcome").inner_text()
    with public.expect_download() as info:
        public.get_by_role("link", name="下载答复书（PDF）").click()
    target = tmp_path / "reply.pdf"
    info.value.save_as(target)
    assert target.read_bytes().startswith(b"%PDF")

    # 4. Anyone with the reference and query code sees the status, without personal data.
    anon = chromium.new_context().new_page()
    anon.goto(f"{base}/zfxxgk/ysqgk/status/")
    anon.get_by_label("申请编号").fill(reference)
    anon.get_by_label("查询码").fill(code)
    anon.get_by_role("button", name="查询").click()
    result = anon.locator(".foi-result").inner_text()
    assert "已答复" in result
    assert "予以公开" in result
    assert "张三" not in anon.content()
    assert "13900001111" not in anon.content()
    assert_accessible(anon)
    for context in chromium.contexts:  # the browser itself serves the whole session
        context.close()
