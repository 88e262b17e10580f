"""Staff 依申请公开 pages: case list, case page, record form, actions (were in foi/tests)."""

from datetime import date

import pytest
from django.urls import reverse

from gongkai.core.models import AuditEntry
from gongkai.foi import services
from gongkai.foi.models import Case, Status
from gongkai.foi.tests.conftest import form_data

pytestmark = pytest.mark.django_db


def test_staff_list_masks_and_scopes(client, record_case, handler, other_handler):
    case = record_case(date(2025, 9, 26))
    client.force_login(handler)
    r = client.get(reverse("staff:foi_cases"))
    body = r.content.decode()
    assert case.reference in body
    assert "138****1234" in body
    assert "李*" in body
    assert "13812341234" not in body
    assert "110105199001011234" not in body
    client.force_login(other_handler)
    r = client.get(reverse("staff:foi_cases"))
    assert case.reference not in r.content.decode()
    assert client.get(reverse("staff:foi_case", args=[case.pk])).status_code == 404
    r = client.post(
        reverse("staff:foi_action", args=[case.pk, "archive"]),
    )
    assert r.status_code == 404
    assert client.post(reverse("staff:foi_personal", args=[case.pk])).status_code == 404
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.VIEW_PERSONAL).exists()


def test_public_user_cannot_open_staff_pages(client, public_user, record_case):
    case = record_case(date(2025, 9, 26))
    client.force_login(public_user)
    assert client.get(reverse("staff:foi_case", args=[case.pk])).status_code == 403


def test_case_page_and_audited_personal_view(client, record_case, handler):
    case = record_case(date(2025, 9, 26))
    client.force_login(handler)
    r = client.get(reverse("staff:foi_case", args=[case.pk]))
    body = r.content.decode()
    assert '<td class="foi-due">2025年10月30日</td>' in body
    assert "期限计算说明" in body
    assert "国庆节" in body
    assert "13812341234" not in body
    r = client.post(reverse("staff:foi_personal", args=[case.pk]))
    body = r.content.decode()
    assert "13812341234" in body
    assert "110105199001011234" in body
    entry = AuditEntry.objects.get(action=AuditEntry.Action.VIEW_PERSONAL)
    assert entry.actor == handler
    assert entry.target_id == str(case.pk)


def test_staff_record_form_per_channel(client, org_tree, handler):
    client.force_login(handler)
    data = form_data(
        org_tree["finance"],
        channel="letter",
        letter_kind="ordinary",
        arrived="2025-09-25",
        confirmed="",
    )
    r = client.post(reverse("staff:foi_record"), data)
    assert r.status_code == 200
    assert "平常信函须填写与申请人确认的日期" in r.content.decode()
    assert Case.objects.count() == 0
    data["confirmed"] = "2025-09-26"
    r = client.post(reverse("staff:foi_record"), data)
    case = Case.objects.get()
    assert r.status_code == 302
    assert case.received_date == date(2025, 9, 26)
    assert case.channel == "letter"


def test_staff_actions_through_the_page(client, record_case, handler, head, reviewers):
    case = record_case(date(2025, 9, 26))
    client.force_login(handler)
    url = lambda a: reverse("staff:foi_action", args=[case.pk, a])  # noqa: E731
    r = client.post(url("assign"), {"assign-handler": handler.pk})
    assert r.status_code == 302
    r = client.post(
        url("reply"), {"reply-on": "2025-10-20", "reply-outcome": "1", "reply-detail": "见附件。"}
    )
    assert r.status_code == 302
    # The old single sign-off is gone; delivery is refused before the chain approves.
    assert client.post(url("approve")).status_code == 404
    r = client.post(url("deliver"), {"deliver-on": "2025-10-21", "deliver-method": "email"})
    assert r.status_code == 400
    assert "尚未审核" in r.content.decode()
    page = client.get(reverse("staff:foi_case", args=[case.pk])).content.decode()
    assert 'id="submit-reply"' in page
    assert "审核通过</button>" not in page
    assert client.post(url("submit")).status_code == 302
    letter = services.current_reply(case)
    decide = reverse("staff:workflow_decide", args=["reply_letter", letter.pk])
    for level in (1, 2, 3):
        client.force_login(reviewers[level])
        assert client.post(decide, {"decision": "approve", "comment": ""}).status_code == 302
    client.force_login(handler)
    assert (
        client.post(
            url("deliver"), {"deliver-on": "2025-10-21", "deliver-method": "email"}
        ).status_code
        == 302
    )
    case.refresh_from_db()
    assert case.status == Status.REPLIED
    assert case.outcome == "1"
    doc = services.current_reply(case)
    r = client.get(reverse("staff:foi_document", args=[case.pk, doc.pk, "pdf"]))
    assert r.status_code == 200
    assert b"".join(r.streaming_content).startswith(b"%PDF")


def test_case_list_query_count_is_bounded(
    client, record_case, handler, django_assert_max_num_queries
):
    for day in (22, 23, 24, 25, 26):
        record_case(date(2025, 9, day))
    client.force_login(handler)
    client.get(reverse("staff:foi_cases"))  # warm the calendar cache
    # 16: one more for the 剩余工作日 column's calendar check and one for the roles the
    # navigation reads (issue 15), each once per page.
    with django_assert_max_num_queries(16):
        r = client.get(reverse("staff:foi_cases"))
    assert r.status_code == 200
    for day in range(1, 20):
        record_case(date(2025, 10, day) if date(2025, 10, day).weekday() < 5 else date(2025, 10, 9))
    with django_assert_max_num_queries(16):
        r = client.get(reverse("staff:foi_cases"))
    assert len(r.context["cases"]) == 24


def test_reply_template_override_used_in_letter(client, record_case, handler, head):
    from docx import Document

    from gongkai.foi.models import ReplyTemplate

    client.force_login(handler)
    assert client.get(reverse("staff:foi_templates")).status_code == 403
    client.force_login(head)
    assert client.get(reverse("staff:foi_templates")).status_code == 200
    url = reverse("staff:foi_template_edit", args=[head.roles.get().organisation_id, "4.1"])
    r = client.post(url, {"body": "经查{unknown}，没有该信息。", "legal_basis": "", "remedy": ""})
    assert "无法识别的占位符：{unknown}" in r.content.decode()
    r = client.post(
        url, {"body": "经查{organisation}，没有该信息{", "legal_basis": "", "remedy": ""}
    )
    assert "花括号不配对" in r.content.decode()
    assert not ReplyTemplate.objects.filter(organisation__isnull=False).exists()
    r = client.post(
        url,
        {
            "body": "{applicant}：经本机关（{organisation}）检索，未找到您申请的信息。",
            "legal_basis": "条例第三十六条第（四）项",
            "remedy": "可依法申请行政复议。",
        },
    )
    assert r.status_code == 302
    case = record_case(date(2025, 9, 26))
    services.case_assign(case=case, handler=handler, acting_user=handler)
    doc = services.case_reply(case=case, outcome="4.1", on=date(2025, 10, 20), acting_user=handler)
    text = "\n".join(p.text for p in Document(doc.file.path).paragraphs)
    assert "李四：经本机关（杭东市财政局）检索，未找到您申请的信息。" in text
    assert "可依法申请行政复议。" in text


def test_case_list_days_left_and_outcome_in_words(client, record_case, handler):
    """Issue 15, item 4: 剩余工作日 as a column, outcomes in words, dates in Chinese."""
    from gongkai.foi.models import Case

    open_case = record_case(date(2025, 9, 22))
    closed = record_case(date(2025, 9, 23))
    Case.objects.filter(pk=closed.pk).update(status="closed", outcome="4.1")
    client.force_login(handler)
    html = client.get(reverse("staff:foi_cases")).content.decode()
    rows = html.split("<tbody>")[1].split("</tbody>")[0]
    assert '<th scope="col">剩余工作日</th>' in html
    assert "无法提供：本机关不掌握相关政府信息" in rows
    assert "· 4.1" not in rows
    open_case.refresh_from_db()
    assert f"<td>{open_case.due_date.year}年{open_case.due_date.month}月" in rows
    # The fixed dates lie in the past: the open case is overdue, the closed one has no count.
    assert '<td class="foi-left"><strong>已超期' in rows
    assert rows.count('<td class="foi-left">—</td>') == 1


def test_assign_form_preselects_the_current_handler(client, record_case, handler):
    from gongkai.foi.models import Case

    case = record_case(date(2025, 9, 22))
    Case.objects.filter(pk=case.pk).update(handler=handler)
    client.force_login(handler)
    html = client.get(reverse("staff:foi_case", args=[case.pk]) + "?step=assign").content.decode()
    assert 'name="assign-handler"' in html
    assert f'<option value="{handler.pk}" selected>' in html


def _bar(html: str) -> list[str]:
    """The labels of the case page's action bar, in order."""
    import re

    bar = html.split('class="action-bar"')[1].split("</ul>")[0]
    return re.findall(r">([^<>]+)</(?:a|button)>", bar)


def test_case_page_offers_the_next_legal_steps_as_buttons_not_every_form(
    client, record_case, handler
):
    """Issue 15, item 4: an action bar of the steps legal now; no form is open until one is
    chosen, and the chosen step opens only its own form."""
    case = record_case(date(2025, 9, 22))
    client.force_login(handler)
    html = client.get(reverse("staff:foi_case", args=[case.pk])).content.decode()
    # Registered in person (received that day): no 确认收到; 延期 is the head's, not offered.
    assert _bar(html) == ["分办", "告知补正", "要求说明理由", "答复", "标记为疑难办件"]
    assert 'class="stacked foi-action-' not in html
    assert "请选择下一步办理事项" in html
    html = client.get(reverse("staff:foi_case", args=[case.pk]) + "?step=supplement").content
    html = html.decode()
    assert html.count('class="stacked foi-action-') == 1
    assert 'class="stacked foi-action-supplement"' in html
    assert '<h3 id="h-step">告知补正</h3>' in html
    assert '<a class="button" href="?step=supplement#step-form" aria-current="true"' in html
    # A step that is not legal in this state opens nothing.
    html = client.get(reverse("staff:foi_case", args=[case.pk]) + "?step=deliver").content
    assert b'class="stacked foi-action-' not in html


def test_a_refused_step_reopens_its_own_form_with_the_errors(client, record_case, handler):
    case = record_case(date(2025, 9, 22))
    client.force_login(handler)
    events_before = case.events.count()
    response = client.post(reverse("staff:foi_action", args=[case.pk, "supplement"]), {})
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count('class="stacked foi-action-') == 1
    assert 'class="stacked foi-action-supplement"' in html
    case.refresh_from_db()
    assert case.status == Status.REGISTERED
    assert case.events.count() == events_before


def test_an_archived_case_offers_only_an_administrative_review(client, record_case, handler):
    case = record_case(date(2025, 9, 22))
    Case.objects.filter(pk=case.pk).update(status=Status.ARCHIVED)
    client.force_login(handler)
    html = client.get(reverse("staff:foi_case", args=[case.pk])).content.decode()
    assert "已归档，只读。" in html
    # Only what may still happen to an archived case: a 复议/诉讼, its single form open.
    assert _bar(html) == ["登记复议/诉讼"]
    assert html.count('class="stacked foi-action-') == 1
    assert 'class="stacked foi-action-admin_review"' in html
