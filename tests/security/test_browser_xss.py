"""Issue 19, security regression suite: the stored-XSS payload corpus (xss_payloads.txt) goes
in through every public form and the main staff fields, and is rendered in Debian chromium
on every screen that shows it: the public pages, the staff pages, the feeds, the sitemap and
the admin.

The browser contexts bypass the Content Security Policy, so an unescaped payload would really
run: the check does not lean on the CSP (a second line of defence), it tests the escaping.
A screen fails when

- a payload ran: a ``dialog`` opened, ``window.__xss`` got set, or the page logged to the
  console a marker of a blocked script;
- a payload's element is in the DOM: an ``on…`` attribute, a ``javascript:``/``data:`` link
  or frame, an ``<iframe>``, ``<object>``, ``<embed>``, ``<base>``, ``<math>``, ``<xss>``…

Each screen is one page load with many payloads on it (list pages are walked page by page).
"""

import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.accounts.models import Organisation, Role, RoleAssignment, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CORPUS = Path(__file__).with_name("xss_payloads.txt")


def load_payloads() -> list[str]:
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("# ")]


PAYLOADS = load_payloads()
# Three payloads to a record where a record is slow to publish (items, interpretations, Q&A):
# the fields stay under their length limits and every payload is still on the list pages.
GROUPS = [PAYLOADS[n : n + 3] for n in range(0, len(PAYLOADS), 3)]

# Runs before any page script: whatever a payload calls is recorded, never shown.
HOOK = """
window.__xss = 0;
window.alert = window.confirm = window.prompt = function () { window.__xss = 1; };
"""

# Elements and attributes a payload would bring along; the portal itself uses none of them.
FIND_INJECTED = """
() => {
  const found = [];
  const urlAttrs = ['href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'poster'];
  const foreign = ['IFRAME', 'OBJECT', 'EMBED', 'BASE', 'XSS', 'MARQUEE', 'MATH', 'FRAME',
                   'TEMPLATE'];
  const scriptish = /__xss|alert\\(|javascript:|expression\\(/i;
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toUpperCase();
    if (foreign.includes(tag)) found.push('<' + tag.toLowerCase() + '>');
    if ((tag === 'SCRIPT' || tag === 'STYLE') && scriptish.test(el.textContent))
      found.push('inline ' + tag.toLowerCase());
    if (tag === 'SCRIPT' && el.src && new URL(el.src).origin !== location.origin)
      found.push('foreign script ' + el.src);
    if (scriptish.test(el.getAttribute('style') || '')) found.push('style attribute');
    if (tag === 'META' && (el.getAttribute('http-equiv') || '').toLowerCase() === 'refresh')
      found.push('meta refresh');
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on')) found.push(tag.toLowerCase() + ' ' + name + '=' + attr.value);
      if (name === 'srcdoc') found.push(tag.toLowerCase() + ' srcdoc');
      if (urlAttrs.includes(name)) {
        let protocol = '';
        try { protocol = new URL(attr.value, location.href).protocol; } catch (e) {}
        if (['javascript:', 'data:', 'vbscript:'].includes(protocol))
          found.push(tag.toLowerCase() + ' ' + name + '=' + attr.value);
      }
    }
  }
  return found;
}
"""

# Plain text every screen of a text field must show as text, proving the payloads are there.
SHOWN = "<script>window.__xss=1</script>"


class Screens:
    """Chromium contexts (anonymous, staff, admin) that record every sign of a running
    payload; ``visit`` loads one screen and fails on any."""

    def __init__(self, chromium: Any, base: str) -> None:
        self.chromium = chromium
        self.base = base
        self.ran: list[str] = []
        self.visited: list[str] = []

    def context(self, user: User | None = None) -> Any:
        context = self.chromium.new_context(
            locale="zh-CN", viewport={"width": 1280, "height": 900}, bypass_csp=True
        )
        context.add_init_script(HOOK)
        if user is not None:
            client = Client()
            client.force_login(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": self.base}]
            )
        page = context.new_page()
        page.set_default_timeout(20000)
        page.on("dialog", lambda dialog: self._dialog(page, dialog))
        page.on("console", lambda message: self._console(page, message))
        return page

    def _dialog(self, page: Any, dialog: Any) -> None:
        self.ran.append(f"dialog {dialog.message!r} on {page.url}")
        dialog.dismiss()

    def _console(self, page: Any, message: Any) -> None:
        text = message.text
        if "__xss" in text or "Refused to execute inline" in text:
            self.ran.append(f"console {text!r} on {page.url}")

    def visit(self, page: Any, path: str, *, shows: str | None = SHOWN) -> None:
        from playwright.sync_api import expect

        response = page.goto(self.base + path)
        assert response is not None, path
        assert response.status == 200, (path, response.status)
        if shows is not None:
            # Escaped, the payload is plain text on the page.
            expect(page.locator("body")).to_contain_text(shows)
        page.wait_for_load_state("load")
        self.visited.append(path)
        assert page.evaluate("window.__xss") == 0, f"a payload ran on {path}"
        injected = page.evaluate(FIND_INJECTED)
        assert not injected, f"payload elements in the DOM of {path}: {injected[:10]}"
        assert not self.ran, self.ran

    def visit_source(self, page: Any, path: str, *, contains: str) -> str:
        """Feeds and sitemaps: XML shown by the browser; it must stay well-formed XML with
        the payloads as text, and nothing may run while the browser renders it."""
        response = page.goto(self.base + path)
        assert response is not None, path
        assert response.status == 200, (path, response.status)
        page.wait_for_load_state("load")
        self.visited.append(path)
        body = response.text()
        assert contains in body, path
        assert page.evaluate("window.__xss") == 0, f"a payload ran on {path}"
        assert page.evaluate(FIND_INJECTED) == []
        assert not self.ran, self.ran
        return body

    def visit_pages(
        self, page: Any, path: str, count: int, per_page: int, shows: str | None = SHOWN
    ) -> None:
        pages = -(-count // per_page)
        joiner = "&" if "?" in path else "?"
        for number in range(1, pages + 1):
            url = path if number == 1 else f"{path}{joiner}page={number}"
            self.visit(page, url, shows=shows if number == 1 else None)


def _staff(username: str, org: Organisation, *roles: str, superuser: bool = False) -> User:
    user = User.objects.create_user(
        username=username,
        password="pass-1234-abcd",
        kind=User.Kind.STAFF,
        display_name=username,
        is_staff=superuser,
        is_superuser=superuser,
    )
    for role in roles:
        RoleAssignment.objects.create(
            user=user,
            organisation=org,
            role=role,
            review_level=1 if role == Role.REVIEWER else 0,
            include_descendants=True,
        )
    return user


def _org(code: str, name: str, kind: str = "department", parent: Any = None) -> Organisation:
    from gongkai.accounts.org_import import OrganisationRow
    from gongkai.accounts.services import organisations_import

    parent_code = parent.code if parent else ""
    organisations_import(
        rows=[OrganisationRow(line=2, code=code, name=name, parent_code=parent_code, kind=kind)],
        acting_user=None,
        source="xss.csv",
    )
    return Organisation.objects.get(code=code)


# ------------------------------------------------------------------------ public forms


def _submit_public_forms(org: Organisation) -> dict[str, int]:
    """Every payload through the 找错 form, the FOI application (both applicant kinds) and the
    更正 request, as a browser would post them (the form and view, not the service)."""
    from gongkai.foi.models import Case, CorrectionRequest
    from gongkai.oversight.models import ErrorReport

    client = Client()
    for n, payload in enumerate(PAYLOADS):
        other = PAYLOADS[(n + 1) % len(PAYLOADS)]
        r = client.post(
            reverse("portal:review_report_error"),
            {"page_url": "/zfxxgk/?q=" + payload, "description": payload, "contact": other},
        )
        assert r.status_code == 302, (payload, r.content.decode()[:2000])
        kind = "natural" if n % 2 else "legal"
        data = {
            "as": kind,
            "organisation": str(org.pk),
            "applicant_type": "natural" if kind == "natural" else "business",
            "applicant_name": payload,
            "id_document_type": "resident_id" if kind == "natural" else "credit_code",
            "id_number": "110105199001011232" if kind == "natural" else "91330100MA27XYZ12C",
            "phone": "13900001111",
            "email": "",
            "address": other,
            "postcode": "",
            "info_title": payload,
            "info_doc_number": other[:120],
            "info_description": f"{payload}\n{other}",
            "provide_form": "electronic",
            "delivery_method": "online",
        }
        if kind == "legal":
            data |= {"legal_representative": other[:100], "contact_person": payload[:100]}
        r = client.post(reverse("portal:foi_apply"), data)
        assert r.status_code == 302, (payload, r.content.decode()[:3000])
        r = client.post(
            reverse("portal:foi_correction"),
            {
                "organisation": str(org.pk),
                "applicant_name": payload[:100],
                "id_number": "110105199001011232",
                "phone": "13900002222",
                "email": "",
                "record": payload,
                "correction": other,
                "evidence": payload,
            },
        )
        assert r.status_code == 302, (payload, r.content.decode()[:3000])
    counts = {
        "reports": ErrorReport.objects.count(),
        "cases": Case.objects.count(),
        "corrections": CorrectionRequest.objects.count(),
    }
    assert counts == dict.fromkeys(counts, len(PAYLOADS))
    return counts


def _register_public_accounts() -> list[User]:
    """Each payload as the 姓名/单位名称 of an account registered through both sign-up steps
    (the code read from the delivered mail)."""
    import re

    from django.core import mail

    users = []
    for n, payload in enumerate(PAYLOADS):
        client = Client()
        email = f"user{n}@example.cn"
        r = client.post(reverse("accounts:register"), {"email": email})
        assert r.status_code == 302
        match = re.search(r"邮箱验证码：(\d{6})", str(mail.outbox[-1].body))
        assert match is not None
        code = match.group(1)
        r = client.post(
            reverse("accounts:register_verify"),
            {
                "code": code,
                "category": "legal" if n % 2 else "natural",
                "legal_type": "business",
                "display_name": payload,
                "phone": "13800138000",
                "password1": "Cloud-Sail-2026!",
                "password2": "Cloud-Sail-2026!",
            },
        )
        assert r.status_code == 302, (payload, r.content.decode()[:3000])
        users.append(User.objects.get(username=email))
    return users


def _reply_with_payloads(case: Any, handler: User) -> None:
    """The handler's reply text (the 答复书 body) carries every payload."""
    from gongkai.foi import services

    today = timezone.localdate()  # the case was received today, China time
    services.case_confirm_receipt(case=case, on=today, acting_user=handler)
    services.case_assign(case=case, handler=handler, acting_user=handler)
    detail = "答复说明：" + "\n".join(PAYLOADS)
    services.case_reply(case=case, kind="2", detail=detail, acting_user=handler, pdf=False)


def _approve_and_deliver(case: Any, handler: User) -> None:
    from gongkai.foi import services
    from gongkai.review.chain_services import review_decide, review_submit

    reviewers = []
    for level in (1, 2, 3):
        reviewer = _staff(f"shenhe{level}", case.organisation)
        RoleAssignment.objects.create(
            user=reviewer, organisation=case.organisation, role=Role.REVIEWER, review_level=level
        )
        reviewers.append(reviewer)
    request = review_submit(content=services.current_reply(case), acting_user=handler)
    for reviewer in reviewers[: request.levels]:
        review_decide(request=request, decision="approve", acting_user=reviewer)
    today = timezone.localdate()
    services.case_deliver(case=case, method="online", on=today, acting_user=handler)


def test_public_form_payloads_render_inert(live_server, chromium):
    from gongkai.foi.models import Case, CorrectionRequest
    from gongkai.oversight.models import ErrorReport

    city = _org("11330100002489948X", "杭东市人民政府", "government")
    org = _org("113301000024900002", "杭东市财政局", parent=city)
    counts = _submit_public_forms(org)
    citizens = _register_public_accounts()
    admin = _staff("guanliyuan", org, Role.ADMIN, Role.FOI_HANDLER, superuser=True)
    replied = Case.objects.get(info_title=SHOWN)
    _reply_with_payloads(replied, admin)
    screens = Screens(chromium, live_server.url)

    page = screens.context(admin)
    screens.visit_pages(page, "/staff/review/error-reports/", counts["reports"], 30)
    report = ErrorReport.objects.get(description=SHOWN)
    screens.visit(page, f"/staff/review/error-reports/{report.pk}/")
    screens.visit_pages(page, "/staff/foi/", counts["cases"], 30)
    for case in Case.objects.filter(info_title__in=PAYLOADS[:2]):
        screens.visit(page, f"/staff/foi/{case.pk}/", shows=None)
    screens.visit(page, f"/staff/foi/{replied.pk}/", shows=None)
    letter = replied.documents.get(kind="reply", superseded=False)
    screens.visit(page, f"/staff/workflow/reply_letter/{letter.pk}/", shows="答复说明：")
    screens.visit(page, "/admin/accounts/user/")
    # The list masks the applicant's name (personal data): the payloads are the masked rest.
    screens.visit_pages(page, "/staff/foi/corrections/", counts["corrections"], 30, shows=None)
    correction = CorrectionRequest.objects.get(record=SHOWN)
    screens.visit(page, f"/staff/foi/corrections/{correction.pk}/")
    screens.visit(page, "/admin/foi/case/", shows=None)
    screens.visit(
        page, f"/admin/foi/case/{Case.objects.get(info_title=SHOWN).pk}/change/", shows=None
    )
    screens.visit(page, "/admin/oversight/errorreport/", shows=None)

    # The applicant's own pages: a citizen registered with a payload name sees it escaped,
    # and the delivered reply.
    _approve_and_deliver(replied, admin)
    citizen = citizens[0]
    assert citizen.display_name == SHOWN
    Case.objects.filter(pk=replied.pk).update(applicant_user=citizen)
    page = screens.context(citizen)
    screens.visit(page, "/accounts/me/")
    screens.visit(page, f"/zfxxgk/ysqgk/my/{replied.pk}/")
    # A refused form shows what was typed: reflected, it must stay text too.
    page = screens.context()
    page.goto(f"{live_server.url}/zfxxgk/ysqgk/apply/?as=natural")
    page.get_by_label("姓名").fill(SHOWN)
    page.get_by_label("所需信息的名称").fill(PAYLOADS[8])
    page.locator("form.foi-apply button[type=submit], form button[type=submit]").last.click()
    from playwright.sync_api import expect

    expect(page.locator(".errorlist").first).to_be_visible()
    assert page.evaluate("window.__xss") == 0
    assert page.evaluate(FIND_INJECTED) == []
    assert page.locator("input[value='<script>window.__xss=1</script>']").count() == 1
    assert not screens.ran, screens.ran
    for context in list(chromium.contexts):
        context.close()


# ------------------------------------------------------------------------- staff fields


def _publish_items(org: Organisation, editor: User) -> list[Any]:
    from gongkai.catalogue.models import Column
    from gongkai.catalogue.services import item_create, item_publish
    from gongkai.review.testing import mark_approved

    column = Column.objects.get(slug="tzgg")
    today = datetime.date(2026, 3, 2)
    items = []
    for n, group in enumerate(GROUPS):
        item = item_create(
            organisation=org,
            data={
                "title": " ".join(group),
                "summary": " ".join(reversed(group)),
                "body": "".join(f"<p>{payload}</p>" for payload in group),
                "keywords": group[-1][:200],
                "written_date": today,
                "genre": "notice",
                "policy_kind": "other" if n == 0 else "",
                "columns": [column],
            },
            acting_user=editor,
        )
        mark_approved(item)
        items.append(item_publish(item=item, acting_user=editor, on=today))
    return items


def _publish_policies(org: Organisation, editor: User) -> tuple[list[Any], list[Any]]:
    from gongkai.policies.services import (
        interpretation_create,
        interpretation_publish,
        qa_create,
        qa_publish,
    )
    from gongkai.review.testing import mark_approved

    interpretations, answers = [], []
    for group in GROUPS:
        obj = interpretation_create(
            organisation=org,
            title=" ".join(group),
            body="".join(f"<p>解读：{payload}</p>" for payload in group),
            interpreter=group[-1][:100],
            acting_user=editor,
        )
        mark_approved(obj)
        interpretations.append(interpretation_publish(interpretation=obj, acting_user=editor))
        entry = qa_create(
            organisation=org,
            question=" ".join(group),
            answer="答复：" + "<br>".join(group),
            acting_user=editor,
        )
        mark_approved(entry)
        answers.append(qa_publish(entry=entry, acting_user=editor))
    return interpretations, answers


def _fill_wordlist(admin: User) -> None:
    from gongkai.checks.services import wordlist_entry_save

    for n, payload in enumerate(PAYLOADS):
        wordlist_entry_save(
            word=payload[:100],
            category="sensitive" if n % 2 else "typo",
            suggestion=PAYLOADS[(n + 1) % len(PAYLOADS)],
            acting_user=admin,
        )


def test_staff_field_payloads_render_inert(live_server, chromium):
    from gongkai.catalogue.models import InformationItem

    city = _org("11330100002489948X", "杭东市人民政府", "government")
    orgs = [
        _org(f"1133010000249{n:05d}", payload[:200], parent=city)
        for n, payload in enumerate(PAYLOADS)
    ]
    org = orgs[0]  # named "<script>window.__xss=1</script>": shown on most screens below
    editor = _staff("bianji", org, Role.EDITOR, Role.REVIEWER)
    admin = _staff("guanliyuan", city, Role.ADMIN, Role.EDITOR, superuser=True)
    items = _publish_items(org, editor)
    interpretations, answers = _publish_policies(org, editor)
    _fill_wordlist(admin)
    draft_body = "".join(f"<p>{p}</p>" for p in PAYLOADS)
    from gongkai.catalogue.services import item_create

    draft = item_create(
        organisation=org,
        data={"title": "全部载荷草稿", "body": draft_body, "summary": draft_body},
        acting_user=editor,
    )
    # A second version of the draft: the review page shows the character diff of the two.
    from gongkai.catalogue.services import item_update

    reversed_body = "".join(f"<p>{p}</p>" for p in reversed(PAYLOADS))
    item_update(
        item=draft,
        data={"title": "全部载荷草稿（修改）", "body": reversed_body, "summary": reversed_body},
        acting_user=editor,
    )
    # An answer linked to a policy is shown on the policy's page.
    from gongkai.policies.services import qa_create, qa_publish
    from gongkai.review.testing import mark_approved

    linked = qa_create(
        organisation=org,
        question=PAYLOADS[1],
        answer="关联问答：" + draft_body,
        policy=items[0],
        acting_user=editor,
    )
    mark_approved(linked)
    qa_publish(entry=linked, acting_user=editor)
    # The 公开制度 page through the admin form (the admin sanitises the body on save).
    client = Client()
    client.force_login(admin)
    r = client.post(
        "/admin/catalogue/page/add/",
        {"slug": "rules", "organisation": str(org.pk), "title": SHOWN, "body": draft_body},
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    count = len(GROUPS)  # items, interpretations, Q&A
    screens = Screens(chromium, live_server.url)

    # Public pages.
    page = screens.context()
    screens.visit(page, "/")
    screens.visit(page, "/organisations/")
    screens.visit(page, f"/organisations/{org.code}/")
    screens.visit_pages(page, f"/zfxxgk/org/{org.code}/", count, 20)
    screens.visit_pages(page, "/columns/tzgg/", count, 20)
    for item in items:
        screens.visit(page, f"/items/{item.pk}/", shows=None)
    screens.visit_pages(page, "/interpretations/", count, 20)
    for obj in interpretations[:8]:
        screens.visit(page, f"/interpretations/{obj.pk}/", shows=None)
    screens.visit_pages(page, "/qa/", count, 20)
    for entry in answers[:8]:
        screens.visit(page, f"/qa/{entry.pk}/", shows=None)
    # Search highlights the query inside the stored text: the marks must not break escaping.
    screens.visit(page, "/search/?q=春耕补贴", shows="春耕补贴发放工作的通知")
    screens.visit(page, "/search/?q=script", shows="window.__xss=1")
    screens.visit(page, "/search/?q=onerror", shows="onerror")
    screens.visit(page, "/search/?q=" + quote(SHOWN), shows=None)
    screens.visit(page, "/zfxxgk/guide/", shows=None)
    screens.visit(page, "/sitemap/")
    screens.visit(page, f"/zfxxgk/rules/?org={org.code}")
    screens.visit(page, f"/items/{items[0].pk}/", shows="关联问答：")
    rss = screens.visit_source(page, "/columns/tzgg/rss.xml", contains="&lt;script&gt;")
    assert "<script>" not in rss
    screens.visit_source(page, "/columns/tzgg/atom.xml", contains="&lt;script&gt;")
    screens.visit_source(page, "/sitemap.xml", contains="sitemap")
    screens.visit_source(page, "/sitemap-items.xml", contains=f"/items/{items[1].pk}/")

    # Staff pages.
    page = screens.context(editor)
    screens.visit_pages(page, "/staff/items/", count + 1, 30)
    screens.visit(page, f"/staff/items/{items[0].pk}/")
    screens.visit(page, f"/staff/items/{draft.pk}/", shows=None)
    screens.visit(page, f"/staff/items/{draft.pk}/edit/", shows=None)
    screens.visit(page, f"/staff/workflow/item/{draft.pk}/", shows="全部载荷草稿（修改）")
    screens.visit(page, "/staff/interpretations/")
    screens.visit(page, "/staff/qa/")
    screens.visit(page, "/staff/")
    screens.visit(page, "/staff/search/?q=script", shows="window.__xss=1")
    page = screens.context(admin)
    screens.visit_pages(page, "/staff/review/wordlist/", len(PAYLOADS), 50)
    screens.visit(page, "/staff/guide/", shows=None)
    screens.visit(page, f"/staff/guide/{org.code}/", shows=None)
    screens.visit(page, "/staff/workflow/audit/", shows=None)

    # The admin.
    screens.visit(page, "/admin/accounts/organisation/")
    screens.visit(page, f"/admin/accounts/organisation/{org.pk}/change/", shows=None)
    screens.visit(page, "/admin/policies/interpretation/")
    screens.visit(page, "/admin/policies/qaentry/")
    screens.visit(page, "/admin/checks/wordlistentry/", shows=None)
    screens.visit(page, "/admin/catalogue/page/")
    screens.visit(page, "/admin/core/auditentry/", shows=None)
    assert InformationItem.objects.filter(status="published").count() == count
    assert len(screens.visited) > 40
    for context in list(chromium.contexts):
        context.close()


# Payloads that stay inert when put unescaped into a fragment of a page. Most are text that
# probes for a server that decodes entities or URL escapes, evaluates templates, or builds
# attributes or links from text; the last five probe sanitisers (one-pass tag stripping,
# markup hidden in an attribute or CDATA) or need the rest of a page (an unclosed tag that
# swallows what follows, a second <body> whose handler merges into the real one). Rendered on
# a real screen, each of them would still be caught by ``Screens.visit``.
INERT_IN_A_FRAGMENT = {
    '" onmouseover="window.__xss=1" x="',
    "' onfocus='window.__xss=1' autofocus x='",
    '" autofocus onfocus=alert(1) "',
    "javascript:window.__xss=1",
    "javascript:alert(1)//关于公布名单的通知",
    "{{ 7*7 }}{{constructor.constructor('window.__xss=1')()}}",
    "{% debug %}{{ settings.SECRET_KEY }}",
    "${alert(1)}#{alert(1)}<%= 7*7 %>",
    "{{7*7}}[[7*7]]{{request.user.password}}",
    "&lt;script&gt;window.__xss=1&lt;/script&gt;",
    "&#60;img src=x onerror=window.__xss=1&#62;",
    "%3Cscript%3Ewindow.__xss%3D1%3C%2Fscript%3E",
    "\\u003cscript\\u003ewindow.__xss=1\\u003c/script\\u003e",
    "<scr<script>ipt>window.__xss=1</scr</script>ipt>",
    '<p title="</p><img src=x onerror=window.__xss=1>">标题属性</p>',
    "<![CDATA[<script>window.__xss=1</script>]]>",
    '<img src="x" onerror="window.__xss=1"//',
    "<body onload=window.__xss=1>",
}


def test_the_detector_sees_every_markup_payload_inserted_unescaped(live_server, chromium):
    """The check is only as good as its detector: every payload that can act from a fragment
    of a page, put there without escaping, is reported; the rest are listed above."""
    screens = Screens(chromium, live_server.url)
    page = screens.context()
    screens.visit(page, "/accessibility/", shows=None)
    insert = (
        "(payload) => { const holder = document.createElement('div');"
        " document.body.appendChild(holder); holder.innerHTML = payload;"
        f" const found = ({FIND_INJECTED.strip()})(); holder.remove(); return found; }}"
    )
    unseen = {payload for payload in PAYLOADS if not page.evaluate(insert, payload)}
    assert unseen == INERT_IN_A_FRAGMENT
    assert len(PAYLOADS) >= 60
    for context in list(chromium.contexts):
        context.close()


# ------------------------------------------- look-ups, staff answers and the newer domains


def _apply_and_read_code(org: Organisation, title: str, description: str) -> tuple[Any, str]:
    """One FOI application through the public form; the query code read from the done page."""
    from gongkai.foi.models import Case

    client = Client()
    data = {
        "as": "natural",
        "organisation": str(org.pk),
        "applicant_type": "natural",
        "applicant_name": PAYLOADS[0][:100],
        "id_document_type": "resident_id",
        "id_number": "110105199001011232",
        "phone": "13900001111",
        "email": "",
        "address": description[:300],
        "postcode": "",
        "info_title": title,
        "info_doc_number": "",
        "info_description": description,
        "provide_form": "electronic",
        "delivery_method": "online",
    }
    r = client.post(reverse("portal:foi_apply"), data)
    assert r.status_code == 302, r.content.decode()[:3000]
    code = client.get(reverse("portal:foi_done")).context["code"]
    return Case.objects.latest("pk"), code


def _submit_on_page(
    screens: Screens,
    page: Any,
    path: str,
    fields: dict[str, str],
    *,
    button: str,
    shows: str | None = SHOWN,
) -> None:
    """A form filled and sent in the browser; the answer page is checked like a visit."""
    from playwright.sync_api import expect

    page.goto(screens.base + path)
    for name, value in fields.items():
        field = page.locator(f"[name={name}]")
        if field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()
    if shows is not None:
        expect(page.locator("body")).to_contain_text(shows)
    page.wait_for_load_state("load")
    screens.visited.append(path + " (POST)")
    assert page.evaluate("window.__xss") == 0, f"a payload ran after posting {path}"
    injected = page.evaluate(FIND_INJECTED)
    assert not injected, f"payload elements in the DOM after posting {path}: {injected[:10]}"
    assert not screens.ran, screens.ran


def _interaction_messages(org: Organisation) -> None:
    """Every payload as the title, content and name of a 政民互动 message, posted as a
    browser would."""
    from gongkai.interaction.models import Message

    client = Client()
    for n, payload in enumerate(PAYLOADS):
        other = PAYLOADS[(n + 1) % len(PAYLOADS)]
        r = client.post(
            reverse("portal:interaction_write"),
            {
                "organisation": org.pk,
                "category": "consult",
                "title": payload[:200],
                "content": f"{payload}\n{other}",
                "name": other[:100],
                "phone": "13912345678",
                "wants_public": "on",
            },
        )
        assert r.status_code == 302, (payload, r.content.decode()[:3000])
    assert Message.objects.count() == len(PAYLOADS)


def _consultation_comments(org: Organisation, editor: User) -> Any:
    """Every payload as a 意见征集 comment (body, clause, signature); all approved."""
    from gongkai.participation import rules, services
    from gongkai.participation.models import Comment
    from gongkai.participation.tests.factories import ConsultationFactory

    today = rules.china_date(timezone.now())
    consultation = ConsultationFactory(
        organisation=org,
        opens_on=today - datetime.timedelta(days=5),
        closes_on=today + datetime.timedelta(days=25),
    )
    client = Client()
    for n, payload in enumerate(PAYLOADS):
        r = client.post(
            f"/participation/consultations/{consultation.pk}/",
            {
                "body": payload,
                "is_public": "on",
                "author_name": PAYLOADS[(n + 1) % len(PAYLOADS)][:150],
                "article": payload[:50],
            },
        )
        assert r.status_code == 302, (payload, r.content.decode()[:3000])
    for comment in Comment.objects.filter(consultation=consultation):
        services.comment_moderate(comment=comment, approve=True, acting_user=editor, note="已核")
    assert Comment.objects.filter(moderation="approved").count() == len(PAYLOADS)
    return consultation


def test_lookups_answers_and_new_domain_forms_render_inert(live_server, chromium):
    """Issue 19: the FOI status look-up, the staff answer to a 找错 report, the staff reveal of
    personal data, and the public forms of 政民互动, 意见征集 and 政策找人 with the staff pages
    that show what they took."""
    from gongkai.oversight.models import ErrorReport

    org = _org("X1", "西湖区数据局")
    admin = _staff("xss-admin", org, Role.ADMIN, Role.EDITOR, superuser=True)
    editor = _staff("xss-editor", org, Role.EDITOR)
    # FOI: one application per group of payloads, looked up with its query code.
    looked_up = [
        _apply_and_read_code(org, " ".join(group)[:200], "\n".join(PAYLOADS)) for group in GROUPS
    ]
    _reply_with_payloads(looked_up[0][0], admin)
    _approve_and_deliver(looked_up[0][0], admin)
    # 找错: reports with payloads, each answered with payloads through the staff form.
    staff_client = Client()
    staff_client.force_login(admin)
    reports = []
    for group in GROUPS:
        r = Client().post(
            reverse("portal:review_report_error"),
            {"page_url": "/", "description": "\n".join(group), "contact": group[0]},
        )
        assert r.status_code == 302
        report = ErrorReport.objects.latest("pk")
        r = staff_client.post(
            f"/staff/review/error-reports/{report.pk}/", {"answer": "\n".join(group)}
        )
        assert r.status_code == 302, r.content.decode()[:3000]
        reports.append(report)
    assert ErrorReport.objects.exclude(answer="").count() == len(GROUPS)
    _interaction_messages(org)
    consultation = _consultation_comments(org, editor)

    screens = Screens(chromium, live_server.url)
    page = screens.context()
    for case, code in looked_up:
        _submit_on_page(
            screens,
            page,
            "/zfxxgk/ysqgk/status/",
            {"reference": case.reference, "code": code},
            button="查询",
            shows=case.reference,
        )
    screens.visit(page, f"/participation/consultations/{consultation.pk}/")
    page = screens.context(admin)
    for report in reports:
        screens.visit(page, f"/staff/review/error-reports/{report.pk}/", shows="已答复")
    for case, _code in looked_up[:3]:
        _submit_on_page(
            screens, page, f"/staff/foi/{case.pk}/", {}, button="查看完整个人信息（记入审计）"
        )
    screens.visit_pages(page, "/staff/interaction/", len(PAYLOADS), 30, shows=None)
    from gongkai.interaction.models import Message

    for message in Message.objects.order_by("pk")[:: max(1, len(PAYLOADS) // 10)]:
        screens.visit(page, f"/staff/interaction/{message.pk}/", shows=None)
    screens.visit(page, f"/staff/participation/consultations/{consultation.pk}/")
    # 政策找人: a citizen's profile named with each payload in turn; match page and 个人中心.
    citizen = User.objects.create_user(
        username="xss-citizen@example.cn", password="Cloud-Sail-2026!", kind=User.Kind.PUBLIC
    )
    page = screens.context(citizen)
    for payload in PAYLOADS[::5]:
        _submit_on_page(
            screens,
            page,
            "/policies/match/profile/",
            {
                "name": payload[:200],
                "region": str(org.pk),
                "industry": "C3911",
                "scale": "small",
                "established": "2020-01-01",
            },
            button="保存档案",
            shows=None,
        )
        screens.visit(page, "/policies/match/", shows=None)
        screens.visit(page, "/accounts/me/", shows=None)
    assert not screens.ran, screens.ran
    assert len(screens.visited) > 60
    for context in list(chromium.contexts):
        context.close()
