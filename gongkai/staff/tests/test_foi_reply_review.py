"""View tests moved from gongkai/foi/tests/test_reply_review.py (issue 11 item 7)."""

from datetime import date

import pytest

from gongkai.accounts.models import Role
from gongkai.core.models import AuditEntry
from gongkai.foi import services
from gongkai.foi.tests.test_reply_review import THIRD_PARTY_ID, _drafted, _set_chain
from gongkai.review import chain_services as cs
from gongkai.review.chain_models import ReviewRequest

pytestmark = pytest.mark.django_db


def test_staff_pages_case_queue_and_review(
    client, record_case, handler, head, reviewers, make_staff
):
    from django.urls import reverse

    case, letter = _drafted(record_case, handler, detail=f"第三人身份证号{THIRD_PARTY_ID}。")
    case_url = reverse("staff:foi_case", args=[case.pk])
    content_url = reverse("staff:workflow_content", args=["reply_letter", letter.pk])
    # The administrator no longer signs the letter off alone.
    client.force_login(head)
    page = client.get(case_url).content.decode()
    assert "审核通过</button>" not in page
    client.force_login(handler)
    page = client.get(case_url).content.decode()
    assert 'id="reply-review-state">草稿<' in page
    assert "1. 初审 → 2. 复审 → 3. 终审" in page
    assert "身份证号码" in page  # the blocking finding, before submission
    assert 'name="submit-override_reason"' in page
    submit = reverse("staff:foi_action", args=[case.pk, "submit"])
    r = client.post(submit)
    assert r.status_code == 400
    assert "自动检查发现阻止发布的问题" in r.content.decode()
    letter.refresh_from_db()
    assert letter.review_status == "draft"
    assert ReviewRequest.objects.count() == 0
    r = client.post(submit, {"submit-override_reason": "该号码为申请人本人证件号"})
    assert r.status_code == 302
    page = client.get(case_url).content.decode()
    assert 'id="reply-review-state">审核中（第1级·初审）<' in page
    assert 'id="submit-reply"' not in page
    assert "生成答复书" not in page

    # The 初审 reviewer finds it in the queue and sees the body and the findings.
    client.force_login(reviewers[1])
    queue = client.get(reverse("staff:workflow_queue")).content.decode()
    assert content_url in queue
    assert "依申请公开答复书" in queue
    assert f'<span class="letter-due">{case.due_date.isoformat()}</span>' in queue
    page = client.get(content_url).content.decode()
    assert "现予以公开" in page
    assert "身份证号码" in page
    assert 'id="approve-button"' in page
    assert 'id="override-button"' not in page
    assert f"<td>{case.reference}</td>" in page
    assert "<td>1 予以公开</td>" in page
    assert f"<td>{case.due_date.isoformat()}</td>" in page
    pdf = reverse("staff:workflow_letter_file", args=[letter.pk, "pdf"])
    r = client.get(pdf)
    assert r.status_code == 200
    assert b"".join(r.streaming_content).startswith(b"%PDF")
    assert "撤回</button>" not in page
    decide = reverse("staff:workflow_decide", args=["reply_letter", letter.pk])
    r = client.post(decide, {"decision": "return", "comment": "请删除第三人证件号"})
    assert r.status_code == 302
    client.force_login(handler)
    page = client.get(case_url).content.decode()
    assert 'id="reply-review-state">已退回<' in page
    assert "第1级审核人" in page
    assert "请删除第三人证件号" in page
    assert "生成答复书" in page  # the handler redrafts

    # Someone outside the case's organisation cannot open the letter's review page.
    stranger = make_staff(Role.REVIEWER, case.organisation.parent, review_level=1)
    client.force_login(stranger)
    assert client.get(content_url).status_code == 403
    assert client.get(pdf).status_code == 403


def test_chain_for_reply_letters_set_in_the_settings_page(
    client, record_case, handler, head, org_tree, reviewers
):
    from django.urls import reverse

    client.force_login(head)
    page = client.get(reverse("staff:workflow_chains")).content.decode()
    assert '<option value="reply_letter">依申请公开答复书</option>' in page
    r = client.post(
        reverse("staff:workflow_chains"),
        {"organisation": org_tree["finance"].pk, "content_kind": "reply_letter", "levels": "2"},
    )
    assert r.status_code == 302
    # Items keep the default; reply letters of the bureau now take two levels.
    assert cs.chain_levels(org_tree["finance"], "item") == 3
    _case, letter = _drafted(record_case, handler)
    request = cs.review_submit(content=letter, acting_user=handler)
    assert request.levels == 2
    audit = AuditEntry.objects.get(target_type="review.reviewchain")
    assert audit.detail == {"content_kind": "reply_letter", "levels": 2}


def test_my_submissions_show_a_redrafted_letter_once(
    record_case, handler, head, reviewers, org_tree, client
):
    from django.urls import reverse

    _set_chain(org_tree["finance"], 1, head)
    case, letter = _drafted(record_case, handler)
    first = cs.review_submit(content=letter, acting_user=handler)
    cs.review_decide(request=first, decision="return", acting_user=reviewers[1], comment="补充依据")
    second_letter = services.case_reply(
        case=case, outcome="1", detail="补充了依据。", on=date(2025, 10, 21), acting_user=handler
    )
    second = cs.review_submit(content=second_letter, acting_user=handler)
    client.force_login(handler)
    mine = client.get(reverse("staff:workflow_queue")).context["mine"]
    # The returned first draft was replaced: only the live request is listed.
    assert [(r.pk, r.object_id, r.state) for r in mine] == [
        (second.pk, second_letter.pk, "in_review")
    ]
    assert ReviewRequest.objects.filter(pk=first.pk, state="returned").exists()


def test_case_list_shows_where_the_letter_stands(
    record_case, handler, head, reviewers, org_tree, client
):
    from django.urls import reverse

    _set_chain(org_tree["finance"], 2, head)
    case, letter = _drafted(record_case, handler)
    client.force_login(handler)
    row = f"{case.reference}</a></td>"  # the table row, not the 即将到期 list

    def status_cell() -> str:
        page = client.get(reverse("staff:foi_cases")).content.decode()
        after = page[page.index(row) :]
        return after[: after.index("</tr>")]

    assert '<span class="letter-review">（答复书草稿）</span>' in status_cell()
    cs.review_submit(content=letter, acting_user=handler)
    assert "（答复书审核中）" in status_cell()
    request = ReviewRequest.objects.get()
    cs.review_decide(request=request, decision="approve", acting_user=reviewers[1])
    cs.review_decide(request=request, decision="approve", acting_user=reviewers[2])
    assert "（答复书已通过）" in status_cell()
