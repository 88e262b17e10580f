"""Staff pages of 新闻发布会 and 回应关切: recorded as drafts, edited, sent to the review page;
navigation entries from the content registry."""

import pytest
from django.urls import reverse

from gongkai.accounts.models import Role
from gongkai.core.status import ContentStatus
from gongkai.interaction.models import ConcernResponse, PressConference
from gongkai.interaction.tests.factories import OpinionItemFactory
from gongkai.interaction.tests.publishing_helpers import people, public_policy
from gongkai.review.chain_services import review_submit

pytestmark = pytest.mark.django_db

RECORD = {
    "form": "record",
    "topic": "2025年财政预算执行情况新闻发布会",
    "held_on": "2025-07-15",
    "start_time": "10:00",
    "location": "市政府新闻发布厅",
    "speakers": "市财政局局长 王明",
    "transcript": "王明：上半年全市一般公共预算收入完成年度预算的52.3%。",
    "video_url": "",
    "image_urls": "",
    "policy_refs": "",
}


def test_record_form_saves_a_draft_and_opens_its_review_page(client, org_tree, make_staff):
    editor, _reviewers = people(org_tree, make_staff)
    policy = public_policy(org_tree["finance"])
    client.force_login(editor)
    response = client.post(
        "/staff/interaction/press/", {**RECORD, "policy_refs": policy.index_number}
    )
    conference = PressConference.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/workflow/press_conference/{conference.pk}/"
    assert conference.status == ContentStatus.DRAFT
    assert conference.start_time.strftime("%H:%M") == "10:00"
    assert list(conference.policies.all()) == [policy]
    review_page = client.get(response["Location"]).content.decode()
    assert "王明：上半年全市一般公共预算收入完成年度预算的52.3%。" in review_page
    assert reverse("staff:interaction_press_edit", args=[conference.pk]) in review_page
    listing = client.get("/staff/interaction/press/").content.decode()
    assert "2025年财政预算执行情况新闻发布会" in listing
    assert "<td>草稿</td>" in listing


def test_unknown_policy_index_is_named_and_nothing_saved(client, org_tree, make_staff):
    editor, _reviewers = people(org_tree, make_staff)
    policy = public_policy(org_tree["finance"])
    client.force_login(editor)
    response = client.post(
        "/staff/interaction/press/",
        {**RECORD, "policy_refs": f"{policy.index_number}\nNO-SUCH-INDEX"},
    )
    assert response.status_code == 200
    assert "第1行" not in response.content.decode()
    assert "第2行：索引号“NO-SUCH-INDEX”不存在或未公开" in response.content.decode()
    assert PressConference.objects.count() == 0


def test_edit_page_saves_a_draft_and_refuses_one_in_review(client, org_tree, make_staff):
    editor, _reviewers = people(org_tree, make_staff)
    client.force_login(editor)
    client.post("/staff/interaction/press/", RECORD)
    conference = PressConference.objects.get()
    url = reverse("staff:interaction_press_edit", args=[conference.pk])
    data = {k: v for k, v in RECORD.items() if k != "form"}
    response = client.post(url, {**data, "location": "市民中心一楼报告厅"})
    assert response.status_code == 302
    conference.refresh_from_db()
    assert conference.location == "市民中心一楼报告厅"
    review_submit(content=conference, acting_user=editor)
    response = client.post(url, {**data, "location": "别处"})
    assert "审核中或已发布的发布会记录不能修改" in response.content.decode()
    conference.refresh_from_db()
    assert conference.location == "市民中心一楼报告厅"


def test_concern_response_drafted_from_the_ledger(client, org_tree, make_staff):
    editor, _reviewers = people(org_tree, make_staff)
    item = OpinionItemFactory.create(organisation=org_tree["finance"])
    client.force_login(editor)
    ledger = client.get("/staff/interaction/opinion/").content.decode()
    link = f"/staff/interaction/concerns/?org={org_tree['finance'].code}&amp;item={item.pk}"
    assert link in ledger
    form = client.get(link.replace("&amp;", "&")).content.decode()
    assert f'<option value="{item.pk}" selected>' in form
    response = client.post(
        link.replace("&amp;", "&"),
        {
            "title": "关于老旧小区改造资金的回应",
            "concern": "群众关注改造资金何时拨付。",
            "response": "资金已于9月下达。",
            "opinion_item": item.pk,
            "policy_refs": "",
        },
    )
    saved = ConcernResponse.objects.get()
    assert response["Location"] == f"/staff/workflow/concern_response/{saved.pk}/"
    assert saved.opinion_item == item
    assert saved.status == ContentStatus.DRAFT
    assert saved.created_by == editor


def test_navigation_offers_the_kinds_to_editors_only(client, org_tree, make_staff):
    editor, _reviewers = people(org_tree, make_staff)
    handler = make_staff(Role.FOI_HANDLER, org_tree["finance"])
    client.force_login(editor)
    page = client.get("/staff/interaction/press/").content.decode()
    assert '<a href="/staff/interaction/press/">新闻发布会</a>' in page
    assert '<a href="/staff/interaction/concerns/">回应关切</a>' in page
    client.force_login(handler)
    page = client.get("/staff/interaction/").content.decode()
    assert '<a href="/staff/interaction/press/">新闻发布会</a>' not in page
