"""``publish_approved``: the one "publish an approved piece of content" step every kind's
publish service calls (新闻发布会, 回应关切, 清单调整, 重大建设项目, 意见征集, 采纳反馈, 决策目录
and its adjustments, 政策评价, 解读, 问答): refused unless approved at the final level or
recorded as published without review, refused once live, atomic, audited."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from gongkai.core.models import AuditEntry
from gongkai.core.status import ContentStatus
from gongkai.interaction import press
from gongkai.interaction.models import PressConference
from gongkai.interaction.tests.publishing_helpers import CONFERENCE, people
from gongkai.review.chain_services import publish_approved

pytestmark = pytest.mark.django_db


def _publications(obj):
    return AuditEntry.objects.filter(
        target_type="interaction.pressconference",
        target_id=str(obj.pk),
        action=AuditEntry.Action.PUBLISH,
    )


@pytest.fixture
def conference(org_tree, make_staff):
    editor, _reviewers = people(org_tree, make_staff)
    record = press.press_conference_record(
        organisation=org_tree["finance"], data=CONFERENCE, acting_user=editor
    )
    return record, editor


def test_unapproved_content_is_refused_and_nothing_changes(conference):
    record, editor = conference
    with pytest.raises(
        ValidationError,
        match="“《杭东市老旧小区改造三年行动方案》新闻发布会”未经审核流程终审通过，不能发布",
    ):
        publish_approved(record, acting_user=editor, on=date(2025, 9, 27))
    stored = PressConference.objects.get(pk=record.pk)
    assert (stored.status, stored.published_date) == (ContentStatus.DRAFT, None)
    assert not _publications(record).exists()


def test_a_refusal_of_the_kind_rolls_back_what_it_prepared(conference):
    record, editor = conference

    def prepare(obj, day, reason):
        # A write of the kind's own part, then its refusal: both or neither.
        PressConference.objects.filter(pk=obj.pk).update(location="已改动的地点")
        raise ValidationError("抽查结果不能早于抽查计划发布")

    with pytest.raises(ValidationError, match="抽查结果不能早于抽查计划发布"):
        publish_approved(record, acting_user=editor, without_review="历史数据", prepare=prepare)
    stored = PressConference.objects.get(pk=record.pk)
    assert (stored.status, stored.location) == (ContentStatus.DRAFT, "市政府新闻发布厅")
    assert not _publications(record).exists()


def test_published_without_review_is_audited_with_the_kind_detail(conference, org_tree):
    record, editor = conference
    seen = []

    def prepare(obj, day, reason):
        seen.append((obj.status, day, reason))
        return ["location"]

    published = publish_approved(
        record,
        acting_user=editor,
        on=date(2025, 9, 27),
        without_review="  本机构在启用平台前已公开  ",
        prepare=prepare,
        detail=lambda obj: {"held_on": obj.held_on.isoformat()},
    )
    assert seen == [(ContentStatus.DRAFT, date(2025, 9, 27), "本机构在启用平台前已公开")]
    record.refresh_from_db()
    assert (record.status, record.published_date) == (ContentStatus.PUBLISHED, date(2025, 9, 27))
    assert published.pk == record.pk
    entry = _publications(record).get()
    assert entry.detail == {
        "held_on": "2025-09-26",
        "published_without_review": "本机构在启用平台前已公开",
    }
    assert entry.organisation == org_tree["finance"]
    assert entry.actor == editor
    assert entry.target_label == "《杭东市老旧小区改造三年行动方案》新闻发布会"

    with pytest.raises(ValidationError, match="该发布会已经发布"):
        publish_approved(
            record, acting_user=editor, without_review="再次发布", already="该发布会已经发布"
        )
    assert _publications(record).count() == 1


def test_keep_date_keeps_the_first_publication_date(conference):
    record, editor = conference
    publish_approved(record, acting_user=editor, on=date(2025, 9, 27), without_review="历史数据")
    press.press_conference_withdraw(conference=record, reason="更正错字", acting_user=editor)
    publish_approved(
        record, acting_user=editor, on=date(2025, 10, 8), without_review="历史数据", keep_date=True
    )
    record.refresh_from_db()
    assert (record.status, record.published_date) == (ContentStatus.PUBLISHED, date(2025, 9, 27))
