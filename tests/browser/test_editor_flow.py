"""The 正文 editor in a real browser (issue 15 item 1, ADR 0013): an editor types a heading, a
list and a table, pastes a passage copied from Word, saves; the body is stored clean (no Word
styles), goes through review and appears on the public page as headings, lists and a table.
And pick, don't type (item 2): an interpretation's policy is found by its 文号 and chosen."""

import pytest
from django.utils import timezone

from gongkai.accounts.models import Role
from gongkai.accounts.tests.factories import OrganisationFactory
from gongkai.catalogue.models import InformationItem
from gongkai.catalogue.tests.factories import InformationItemFactory
from gongkai.catalogue.tests.word_sample import WORD_HTML
from gongkai.policies.models import Interpretation
from gongkai.review import chain_services as cs
from gongkai.review.tests.factories import ReviewChainFactory

from .test_review_flow import _logged_in_page, _staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _paste_html(page, html: str) -> None:
    page.get_by_role("textbox", name="正文").evaluate(
        """(el, html) => {
            const data = new DataTransfer();
            data.setData('text/html', html);
            data.setData('text/plain', el.innerText);
            el.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true,
                cancelable: true}));
        }""",
        html,
    )


def test_editor_heading_list_table_and_word_paste_reach_the_public_page(
    live_server, chromium, assert_accessible
):
    from playwright.sync_api import expect

    org = OrganisationFactory.create(
        code="113301000024900002", name="杭东市财政局", kind="department"
    )
    editor = _staff("bianji", org, Role.EDITOR)
    reviewer = _staff("shenhe1", org, Role.REVIEWER, 1)
    ReviewChainFactory.create(organisation=org, content_kind="item", levels=1)
    base = live_server.url
    title = "杭东市小微企业稳岗补贴实施办法"
    errors: list[str] = []

    context, page = _logged_in_page(chromium, live_server, editor)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    # The editor's modules are large; the shared CI machine can take a while on first load.
    page.goto(f"{base}/staff/items/new/", timeout=60000)
    page.get_by_label("信息名称").fill(title)
    page.get_by_label("成文日期").fill(timezone.localdate().isoformat())
    page.get_by_label("内容概述").fill("明确小微企业稳岗补贴的申报条件和标准。")
    body = page.get_by_role("textbox", name="正文")
    expect(body).to_be_visible()
    # The toolbar speaks Chinese.
    expect(page.locator(".prose-menubar [title='加粗']")).to_have_count(1)
    # … and so does the block-style dropdown (no "Heading 2" or "Paragraph").
    options = page.locator(".prose-menubar__option")
    expect(options).to_have_text(["二级标题", "三级标题", "四级标题", "正文段落"])
    assert_accessible(page)

    # Markdown-like typing makes a heading and a bullet list.
    body.click()
    page.keyboard.type("## 第一章　总则")
    page.keyboard.press("Enter")
    page.keyboard.type("- 适用于本市小微企业")
    page.keyboard.press("Enter")
    page.keyboard.type("补贴按季度发放")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    # A passage copied from Word: the list becomes a real <ol>, the styles go.
    _paste_html(page, WORD_HTML)
    expect(body.locator("ol li")).to_have_count(2)
    # Then a table through the toolbar and its dialog.
    page.keyboard.press("Enter")
    page.locator(".prose-menubar [title='插入表格']").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("行数").fill("2")
    dialog.get_by_label("列数").fill("2")
    dialog.get_by_role("button", name="插入表格").click()
    page.keyboard.type("企业规模")
    page.keyboard.press("Tab")
    page.keyboard.type("补贴标准")
    page.keyboard.press("Tab")
    page.keyboard.type("小型")
    page.keyboard.press("Tab")
    page.keyboard.type("每人500元")
    expect(body.locator("td")).to_have_count(4)

    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"{base}/staff/items/*/")
    item = InformationItem.objects.get(title=title)
    stored = item.body
    assert "<h2>第一章　总则</h2>" in stored
    assert "<ul><li><p>适用于本市小微企业</p></li><li><p>补贴按季度发放</p></li></ul>" in stored
    assert "<h2>第二章　申报条件</h2>" in stored
    assert "<ol><li><p>在本市登记注册</p></li><li><p>依法纳税</p></li></ol>" in stored
    assert "<strong>咨询电话</strong>：0571-12345678" in stored
    for word_trace in ("mso", "Mso", "o:p", "style=", "class=", "1.", "font"):
        assert word_trace not in stored, word_trace
    assert "<td><p>每人500元</p></td>" in stored
    # The editor's modules ran under the CSP (nonce'd import map); its inline *styles* (table
    # column widths) are refused by style-src 'self' and only lose their minimum widths.
    assert not [e for e in errors if "script-src" in e], errors
    context.close()

    # Review, then the public page shows the structure.
    request = cs.review_submit(content=item, acting_user=editor)
    cs.review_decide(request=request, decision="approve", acting_user=reviewer)
    public = chromium.new_context(locale="zh-CN").new_page()
    public.goto(f"{base}/items/{item.pk}/")
    text = public.locator(".body-text")
    expect(text.get_by_role("heading", level=2, name="第一章　总则")).to_be_visible()
    expect(text.get_by_role("heading", level=2, name="第二章　申报条件")).to_be_visible()
    expect(text.locator("ol > li")).to_have_text(["在本市登记注册", "依法纳税"])
    expect(text.locator("ul > li")).to_have_text(["适用于本市小微企业", "补贴按季度发放"])
    expect(text.get_by_role("cell", name="每人500元")).to_be_visible()
    public.context.close()


def test_interpretation_picks_its_policy_by_doc_number(live_server, chromium, assert_accessible):
    from playwright.sync_api import expect

    org = OrganisationFactory.create(
        code="113301000024900002", name="杭东市财政局", kind="department"
    )
    editor = _staff("bianji", org, Role.EDITOR)
    policy = InformationItemFactory.create(
        organisation=org,
        title="杭东市小微企业稳岗补贴实施办法",
        doc_number="杭财规〔2026〕3号",
        policy_kind="normative",
        written_date=timezone.localdate(),
        index_number="113301000024900002/2026-00003",
    )
    InformationItemFactory.create(
        organisation=org,
        title="杭东市财政局2026年部门预算",
        policy_kind="",
        index_number="113301000024900002/2026-00004",
    )
    base = live_server.url
    context, page = _logged_in_page(chromium, live_server, editor)
    page.goto(f"{base}/staff/interpretations/new/", timeout=60000)
    page.locator("#id_title").fill("《杭东市小微企业稳岗补贴实施办法》政策解读")
    page.get_by_role("textbox", name="正文").click()
    page.keyboard.type("一、起草背景。为稳定就业，制定本办法。")
    search = page.get_by_role("combobox", name="搜索政策文件（标题、文号或索引号）")
    # Typed with ASCII brackets, as a keyboard gives them.
    search.fill("杭财规[2026]3")
    option = page.locator(".pick-list").get_by_role("option")
    expect(option).to_have_count(1)
    expect(option).to_contain_text("杭东市小微企业稳岗补贴实施办法")
    expect(option).to_contain_text("杭东市财政局")
    assert_accessible(page)
    search.press("ArrowDown")
    search.press("Enter")
    expect(page.get_by_label("关联政策（索引号）")).to_have_value(policy.index_number)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", name="已关联政策")).to_be_visible()
    interpretation = Interpretation.objects.get()
    assert list(interpretation.policies.all()) == [policy]
    assert "<p>一、起草背景。为稳定就业，制定本办法。</p>" in interpretation.body
    context.close()
