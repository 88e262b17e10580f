"""``publish_approved``: the one "publish an approved piece of content" step every kind's
publish service calls (新闻发布会, 回应关切, 清单调整, 重大建设项目, 意见征集, 采纳反馈, 决策目录
and its adjustments, 政策评价, 解读, 问答, 政府信息): refused unless approved at the final level or
recorded as published without review, refused once live, atomic, audited; and the one withdraw
step beside it (``withdraw_published``)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gongkai.catalogue.models import InformationItem
from gongkai.catalogue.services import item_create, item_publish, item_withdraw
from gongkai.core.models import AuditEntry
from gongkai.core.signals import content_published, content_withdrawn
from gongkai.core.status import ContentStatus
from gongkai.interaction import press
from gongkai.interaction.models import PressConference
from gongkai.interaction.tests.publishing_helpers import CONFERENCE, people
from gongkai.review.chain_services import (
    publish_approved,
    review_decide,
    review_submit,
    review_withdraw,
)
from gongkai.review.testing import mark_approved
from gongkai.search.models import SearchChange

pytestmark = pytest.mark.django_db


def _audit(obj, action):
    return AuditEntry.objects.filter(
        target_type=obj._meta.label_lower, target_id=str(obj.pk), action=action
    )


def _publications(obj):
    return _audit(obj, AuditEntry.Action.PUBLISH)


def _withdrawals(obj):
    return _audit(obj, AuditEntry.Action.WITHDRAW)


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


# --------------------------------------------------------------------------------------------
# Information items take the same step (``catalogue.item_publish``)
# --------------------------------------------------------------------------------------------


@pytest.fixture
def item_draft(org_tree, make_staff):
    editor, reviewers = people(org_tree, make_staff)
    item = item_create(
        organisation=org_tree["finance"],
        data={
            "title": "杭东市老旧小区改造补助资金管理办法",
            "written_date": date(2025, 9, 1),
            "summary": "补助资金的申报、拨付和监督。",
            "body": "<p>第一条 为规范老旧小区改造补助资金管理，制定本办法。</p>",
            "genre": "notice",
        },
        acting_user=editor,
    )
    return item, editor, reviewers


@pytest.fixture
def announced():
    """The content hooks sent (after commit), as (hook, kind, pk)."""
    sent = []
    listeners = {}
    for name, hook in (("published", content_published), ("withdrawn", content_withdrawn)):

        def listener(sender, instance, kind, _name=name, **kwargs):
            sent.append((_name, kind, instance.pk))

        listeners[hook] = listener
        hook.connect(listener)
    yield sent
    for hook, listener in listeners.items():
        hook.disconnect(listener)


def test_an_unapproved_item_is_refused_with_the_message_of_every_kind(item_draft, conference):
    item, editor, _reviewers = item_draft
    logged = SearchChange.objects.count()
    with pytest.raises(
        ValidationError, match="“杭东市老旧小区改造补助资金管理办法”未经审核流程终审通过，不能发布"
    ) as refused_item:
        item_publish(item=item, acting_user=editor, on=date(2025, 9, 27))
    record, _editor = conference
    with pytest.raises(ValidationError, match="未经审核流程终审通过，不能发布") as refused_other:
        publish_approved(record, acting_user=editor, on=date(2025, 9, 27))
    # One wording for every kind: only the title differs.
    assert [m.replace(item.title, "X") for m in refused_item.value.messages] == [
        m.replace(record.topic, "X") for m in refused_other.value.messages
    ]
    stored = InformationItem.objects.get(pk=item.pk)
    assert (stored.status, stored.published_date) == (ContentStatus.DRAFT, None)
    assert not _publications(item).exists()
    assert SearchChange.objects.count() == logged


def test_a_stale_item_copy_cannot_publish_again_under_the_row_lock(item_draft):
    item, editor, _reviewers = item_draft
    mark_approved(item)
    stale = InformationItem.objects.get(pk=item.pk)  # read before the publication
    item_publish(item=item, acting_user=editor, on=date(2025, 9, 27))
    assert stale.status == ContentStatus.DRAFT
    # The check reads the locked row, not the caller's copy (which still says 草稿).
    with pytest.raises(ValidationError, match="“杭东市老旧小区改造补助资金管理办法”已经发布"):
        item_publish(item=stale, acting_user=editor, on=date(2025, 10, 8))
    stored = InformationItem.objects.get(pk=item.pk)
    assert (stored.status, stored.published_date) == (ContentStatus.PUBLISHED, date(2025, 9, 27))
    assert _publications(item).count() == 1


def test_final_approval_publishes_an_item_with_its_hooks_once(
    item_draft, announced, django_capture_on_commit_callbacks
):
    item, editor, reviewers = item_draft
    key = f"item:{item.pk}"
    request = review_submit(content=item, acting_user=editor)
    logged = SearchChange.objects.filter(key=key).count()
    with django_capture_on_commit_callbacks(execute=True):
        for reviewer in reviewers:
            review_decide(request=request, decision="approve", acting_user=reviewer)
    assert announced == [("published", "item", item.pk)]
    # The status write (the model signal) and the content_published hook, one row each.
    assert SearchChange.objects.filter(key=key).count() == logged + 2
    item.refresh_from_db()
    assert (item.status, item.published_date) == (ContentStatus.PUBLISHED, timezone.localdate())
    entry = _publications(item).get()
    assert entry.detail == {
        "from": ContentStatus.IN_REVIEW,
        "published_date": timezone.localdate().isoformat(),
    }
    assert entry.actor is None  # the system publishes on the chain's behalf, as before
    assert entry.organisation == item.organisation


# --------------------------------------------------------------------------------------------
# withdraw_published: the one withdraw step (status, audit row, content_withdrawn)
# --------------------------------------------------------------------------------------------


def test_the_chain_withdraws_through_the_kind_and_announces_once(
    conference, announced, django_capture_on_commit_callbacks
):
    record, editor = conference
    publish_approved(record, acting_user=editor, on=date(2025, 9, 27), without_review="历史数据")
    with django_capture_on_commit_callbacks(execute=True):
        review_withdraw(content=record, reason="实录有误", acting_user=editor)
    assert announced == [("withdrawn", "press_conference", record.pk)]
    record.refresh_from_db()
    assert (record.status, record.published_date) == (ContentStatus.WITHDRAWN, date(2025, 9, 27))
    entry = _withdrawals(record).get()
    assert (entry.detail, entry.actor, entry.target_label) == (
        {"reason": "实录有误"},
        editor,
        "《杭东市老旧小区改造三年行动方案》新闻发布会",
    )


def test_the_item_withdraw_service_is_announced_once(
    item_draft, announced, django_capture_on_commit_callbacks
):
    item, editor, _reviewers = item_draft
    mark_approved(item)
    item_publish(item=item, acting_user=editor, on=date(2025, 9, 27))
    with django_capture_on_commit_callbacks(execute=True):
        item_withdraw(item=item, reason="  内容有误，修改后重新发布 ", acting_user=editor)
    assert announced == [("withdrawn", "item", item.pk)]
    assert item.status == ContentStatus.WITHDRAWN
    assert _withdrawals(item).get().detail == {"reason": "内容有误，修改后重新发布"}


def test_a_refused_withdrawal_changes_nothing(item_draft, announced):
    item, editor, _reviewers = item_draft
    with pytest.raises(ValidationError, match="只有已发布的信息可以撤回"):
        item_withdraw(item=item, reason="内容有误", acting_user=editor)
    assert InformationItem.objects.get(pk=item.pk).status == ContentStatus.DRAFT
    assert not _withdrawals(item).exists()
    assert announced == []
