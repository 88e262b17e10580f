"""新闻发布会 and 回应关切 as reviewed content kinds: drafted, reviewed by the chain (先审后发,
错敏词 and privacy checks), published through the content hooks (search change log,
``content_published``), withdrawn; the 舆情 item a response answers is marked responded."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from gongkai.core import content
from gongkai.core.models import AuditEntry
from gongkai.core.signals import content_published
from gongkai.core.status import ContentStatus
from gongkai.interaction import opinion, press
from gongkai.interaction.models import ConcernResponse, PressConference
from gongkai.interaction.tests.factories import OpinionItemFactory
from gongkai.interaction.tests.publishing_helpers import (
    CONCERN,
    CONFERENCE,
    approve,
    people,
    public_interpretation,
    public_policy,
)
from gongkai.review.chain_services import review_submit, review_withdraw
from gongkai.search.models import SearchChange
from gongkai.search.selectors import run_search

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def search_dir(settings, tmp_path):
    settings.GONGKAI_SEARCH_DIR = tmp_path / "search"


def _keys(q):
    return {h["key"] for h in run_search(user=None, q=q, page_size=50).hits}


def test_kinds_are_registered_with_review_search_and_navigation():
    press_kind = content.get("press_conference")
    concern_kind = content.get("concern_response")
    assert press_kind is not None
    assert concern_kind is not None
    assert press_kind.model_label == "interaction.PressConference"
    assert concern_kind.model_label == "interaction.ConcernResponse"
    assert press_kind.checks == concern_kind.checks == ("wordlist", "privacy")
    assert [a.prefix for a in press_kind.search_adapters] == ["press_conference"]
    assert [a.prefix for a in concern_kind.search_adapters] == ["concern_response"]
    assert press_kind.nav is not None
    assert press_kind.nav.url_name == "staff:interaction_press"
    assert concern_kind.nav is not None
    assert concern_kind.nav.url_name == "staff:interaction_concerns"


def test_conference_goes_draft_review_published_and_is_announced(
    org_tree, make_staff, django_capture_on_commit_callbacks
):
    editor, reviewers = people(org_tree, make_staff)
    policy = public_policy(org_tree["finance"])
    reading = public_interpretation(org_tree["finance"])
    conference = press.press_conference_record(
        organisation=org_tree["finance"],
        data={**CONFERENCE, "policies": [policy], "interpretations": [reading]},
        acting_user=editor,
    )
    assert conference.status == ContentStatus.DRAFT
    assert conference.published_date is None
    # A draft is not public: search does not find it for the public.
    assert _keys("新闻发布会") == set()
    # Publishing around the chain is refused.
    with pytest.raises(ValidationError, match="未经审核流程终审通过，不能发布"):
        press.press_conference_publish(conference=conference, acting_user=editor)

    announced = []

    def listener(sender, instance, kind, **kwargs):
        announced.append((kind, instance.pk))

    content_published.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            outcome = approve(conference, editor, reviewers)
    finally:
        content_published.disconnect(listener)
    assert outcome is not None
    assert outcome.published is True
    assert conference.status == ContentStatus.PUBLISHED
    assert conference.published_date is not None
    assert announced == [("press_conference", conference.pk)]
    assert SearchChange.objects.filter(key=f"press_conference:{conference.pk}").exists()
    assert _keys("新闻发布会") == {f"press_conference:{conference.pk}"}
    assert list(conference.policies.all()) == [policy]
    assert list(conference.interpretations.all()) == [reading]
    actions = list(
        AuditEntry.objects.filter(
            target_type="interaction.pressconference", target_id=str(conference.pk)
        )
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "submit", "approve", "approve", "approve", "publish"]


def test_published_conference_is_withdrawn_edited_and_resubmitted(org_tree, make_staff):
    editor, reviewers = people(org_tree, make_staff)
    conference = press.press_conference_record(
        organisation=org_tree["finance"], data=CONFERENCE, acting_user=editor
    )
    approve(conference, editor, reviewers)
    with pytest.raises(ValidationError, match="审核中或已发布的发布会记录不能修改"):
        press.press_conference_update(
            conference=conference, data={**CONFERENCE, "location": "别处"}, acting_user=editor
        )
    assert PressConference.objects.get().location == "市政府新闻发布厅"
    review_withdraw(content=conference, reason="实录有误", acting_user=editor)
    assert conference.status == ContentStatus.WITHDRAWN
    press.press_conference_update(
        conference=conference,
        data={**CONFERENCE, "location": "市民中心第一会议室"},
        acting_user=editor,
    )
    approve(conference, editor, reviewers)
    assert conference.status == ContentStatus.PUBLISHED
    assert conference.location == "市民中心第一会议室"


def test_privacy_finding_in_transcript_blocks_submission(org_tree, make_staff):
    editor, _reviewers = people(org_tree, make_staff)
    conference = press.press_conference_record(
        organisation=org_tree["finance"],
        data={**CONFERENCE, "transcript": "答记者问时念出了身份证号11010519491231002X。"},
        acting_user=editor,
    )
    with pytest.raises(ValidationError, match="自动检查发现阻止发布的问题"):
        review_submit(content=conference, acting_user=editor)
    assert PressConference.objects.get().status == ContentStatus.DRAFT


def test_record_refuses_unpublished_links_and_bad_image_urls(org_tree, make_staff):
    editor, _reviewers = people(org_tree, make_staff)
    draft_policy = public_policy(
        org_tree["finance"], status="draft", index_number="113301000024900002/2025-00043"
    )
    with pytest.raises(ValidationError) as caught:
        press.press_conference_record(
            organisation=org_tree["finance"],
            data={**CONFERENCE, "image_urls": "不是网址", "policies": [draft_policy]},
            acting_user=editor,
        )
    errors = caught.value.message_dict
    assert errors["image_urls"] == ["第1行“不是网址”不是有效的网址"]
    assert errors["policies"] == ["相关政策文件须已公开：杭东市老旧小区改造三年行动方案"]
    assert PressConference.objects.count() == 0


def test_concern_response_published_marks_the_opinion_item(org_tree, make_staff):
    editor, reviewers = people(org_tree, make_staff)
    item = OpinionItemFactory.create(organisation=org_tree["finance"])
    conference = press.press_conference_record(
        organisation=org_tree["finance"], data=CONFERENCE, acting_user=editor
    )
    response = opinion.concern_response_create(
        organisation=org_tree["finance"],
        data={**CONCERN, "opinion_item": item, "conference": conference},
        acting_user=editor,
    )
    assert response.status == ContentStatus.DRAFT
    item.refresh_from_db()
    assert item.responded_on is None
    approve(response, editor, reviewers)
    assert response.status == ContentStatus.PUBLISHED
    item.refresh_from_db()
    assert item.responded_on == response.published_date
    assert item.response_conference == conference
    assert item.response_note == "已发布回应关切：关于老旧小区改造资金拨付进度的回应"
    assert _keys("补助资金") == {f"concern_response:{response.pk}"}


def test_live_concern_response_is_not_edited_in_place(org_tree, make_staff):
    editor, reviewers = people(org_tree, make_staff)
    response = opinion.concern_response_create(
        organisation=org_tree["finance"], data=CONCERN, acting_user=editor
    )
    opinion.concern_response_update(
        response=response,
        data={**CONCERN, "title": "关于补助资金拨付进度的回应"},
        acting_user=editor,
    )
    approve(response, editor, reviewers)
    edits = AuditEntry.objects.filter(
        target_type="interaction.concernresponse", target_id=str(response.pk), action="edit"
    )
    assert edits.count() == 1
    with pytest.raises(ValidationError, match="审核中或已发布的回应不能修改"):
        opinion.concern_response_update(
            response=response, data={**CONCERN, "response": "改过的回应"}, acting_user=editor
        )
    live = ConcernResponse.objects.get()
    assert (live.title, live.response) == ("关于补助资金拨付进度的回应", CONCERN["response"])
    assert edits.count() == 1


def test_concern_response_refuses_other_organisations_records(org_tree, make_staff):
    editor, _reviewers = people(org_tree, make_staff)
    elsewhere = OpinionItemFactory.create(organisation=org_tree["office"])
    with pytest.raises(ValidationError) as caught:
        opinion.concern_response_create(
            organisation=org_tree["finance"],
            data={**CONCERN, "response": " ", "opinion_item": elsewhere},
            acting_user=editor,
        )
    assert caught.value.message_dict == {
        "response": ["请填写回应内容"],
        "opinion_item": ["对应舆情须是本机构台账中的舆情"],
    }
    assert ConcernResponse.objects.count() == 0


def test_held_counts_every_record_published_or_not(org_tree, make_staff):
    editor, reviewers = people(org_tree, make_staff)
    first = press.press_conference_record(
        organisation=org_tree["finance"], data=CONFERENCE, acting_user=editor
    )
    press.press_conference_record(
        organisation=org_tree["finance"],
        data={**CONFERENCE, "held_on": date(2025, 10, 9), "topic": "第二场"},
        acting_user=editor,
    )
    approve(first, editor, reviewers)
    assert press.press_figures({org_tree["finance"].pk}, 2025) == {"planned": 0, "held": 2}
