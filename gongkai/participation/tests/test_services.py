"""Consultations, comments, dispositions and the 采纳情况 gate through the services, on the real
database and the real review chain."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError

from gongkai.accounts.models import Role
from gongkai.catalogue.models import InformationItem
from gongkai.checks.models import WordlistEntry
from gongkai.core.models import AuditEntry
from gongkai.core.status import ContentStatus
from gongkai.participation import services
from gongkai.participation.models import Comment, Consultation, Extension, Feedback, OfflineInput
from gongkai.review.chain_services import review_decide, review_request_for, review_submit
from gongkai.review.testing import mark_approved

from .factories import (
    CommentFactory,
    ConsultationFactory,
    EnterpriseUserFactory,
    OfflineInputFactory,
    PublicUserFactory,
    QuestionFactory,
)

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
UTC = datetime.UTC
D = datetime.date
pytestmark = pytest.mark.django_db


def at(y, m, d, h=10, minute=0, tz=SH):
    return datetime.datetime(y, m, d, h, minute, tzinfo=tz)


@pytest.fixture
def editor(org_tree, make_staff):
    return make_staff(Role.EDITOR, org_tree["office"])


@pytest.fixture
def reviewers(org_tree, make_staff):
    return [make_staff(Role.REVIEWER, org_tree["office"], review_level=n) for n in (1, 2, 3)]


def approve(obj, reviewers):
    for reviewer in reviewers:
        review_decide(request=review_request_for(obj), decision="approve", acting_user=reviewer)


def draft_fields(**over):
    fields = {
        "title": "杭东市公共停车场收费管理办法（征求意见稿）",
        "kind": "major_decision",
        "draft_text": "第一条 为规范停车收费，制定本办法。",
        "explanation": "起草背景和主要内容。",
        "opens_on": D(2026, 12, 1),
        "closes_on": D(2026, 12, 31),
    }
    fields.update(over)
    return fields


# ------------------------------------------------------------------ period rules
def test_create_refuses_a_short_period_without_reason_and_saves_nothing(org_tree, editor):
    with pytest.raises(
        ValidationError,
        match="重大行政决策征求意见期限一般不少于30日（本次为19日）；缩短期限的，须说明理由并随征求意见一并公布（《重大行政决策程序暂行条例》第十五条）",
    ) as error:
        services.consultation_create(
            organisation=org_tree["office"],
            acting_user=editor,
            **draft_fields(closes_on=D(2026, 12, 20)),
        )
    assert "一般不少于30日（本次为19日）" in str(error.value)
    assert not Consultation.objects.exists()


def test_short_period_with_reason_is_accepted_and_the_reason_kept(org_tree, editor):
    c = services.consultation_create(
        organisation=org_tree["office"],
        acting_user=editor,
        questions=["收费标准是否合理？", "", "免费时段如何设置？"],
        **draft_fields(closes_on=D(2026, 12, 11), shortened_reason="冬季供暖保障急需出台"),
    )
    assert c.shortened_reason == "冬季供暖保障急需出台"
    assert [(q.number, q.text) for q in c.questions.all()] == [
        (1, "收费标准是否合理？"),
        (2, "免费时段如何设置？"),
    ]


def test_configured_minimum_per_kind(org_tree, editor, settings):
    settings.GONGKAI_CONSULTATION_MIN_DAYS = {"other": 10}
    c = services.consultation_create(
        organisation=org_tree["office"],
        acting_user=editor,
        **draft_fields(kind="other", closes_on=D(2026, 12, 11)),
    )
    assert c.pk
    with pytest.raises(ValidationError, match="30日"):
        services.consultation_create(
            organisation=org_tree["office"],
            acting_user=editor,
            **draft_fields(kind="market_entity", closes_on=D(2026, 12, 11)),
        )


def test_review_chain_publishes_and_a_late_approval_moves_the_opening_day(
    org_tree, editor, reviewers
):
    c = services.consultation_create(
        organisation=org_tree["office"],
        acting_user=editor,
        **draft_fields(opens_on=D(2026, 11, 1), closes_on=D(2026, 12, 31)),
    )
    review_submit(content=c, acting_user=editor)
    approve(c, reviewers)
    c.refresh_from_db()
    assert c.status == ContentStatus.PUBLISHED
    # approved on a later day than planned: the public gets the period from today
    assert c.opens_on == c.published_date
    assert c.published_date >= D(2026, 11, 29)


def test_late_approval_that_would_shorten_the_period_is_refused(org_tree, editor, reviewers):
    c = services.consultation_create(
        organisation=org_tree["office"],
        acting_user=editor,
        **draft_fields(opens_on=D(2026, 10, 1), closes_on=D(2026, 11, 5)),
    )
    mark_approved(c)
    with pytest.raises(ValidationError, match="一般不少于30日"):
        services.consultation_publish(consultation=c, acting_user=None, now=at(2026, 10, 20))
    c.refresh_from_db()
    assert c.status == ContentStatus.DRAFT
    assert c.opens_on == D(2026, 10, 1)


def test_extend_records_the_reason_and_refuses_after_closing(org_tree, editor):
    c = ConsultationFactory(organisation=org_tree["office"])
    services.consultation_extend(
        consultation=c,
        closes_on=D(2027, 1, 15),
        reason="企业反映时间不足",
        acting_user=editor,
        now=at(2026, 12, 20),
    )
    c.refresh_from_db()
    assert c.closes_on == D(2027, 1, 15)
    ext = Extension.objects.get()
    assert (ext.previous_closes_on, ext.reason) == (D(2026, 12, 31), "企业反映时间不足")
    with pytest.raises(ValidationError, match="已经截止"):
        services.consultation_extend(
            consultation=c,
            closes_on=D(2027, 2, 1),
            reason="再次延期",
            acting_user=editor,
            now=at(2027, 1, 16),
        )
    assert Extension.objects.count() == 1


# ------------------------------------------------------------------ comments
def test_comment_refused_before_and_after_the_window_in_china_time():
    c = ConsultationFactory()
    citizen = PublicUserFactory()
    # 30 Nov 15:59 UTC = 23:59 in Shanghai, the day before opening
    with pytest.raises(ValidationError, match="尚未开始"):
        services.comment_submit(
            consultation=c,
            body="意见",
            author=citizen,
            is_public=True,
            now=datetime.datetime(2026, 11, 30, 15, 59, tzinfo=UTC),
        )
    # 31 Dec 16:00 UTC = 1 Jan 00:00 in Shanghai: closed, though still 31 Dec in UTC
    with pytest.raises(ValidationError, match="已于2026-12-31截止"):
        services.comment_submit(
            consultation=c,
            body="意见",
            author=citizen,
            is_public=True,
            now=datetime.datetime(2026, 12, 31, 16, 0, tzinfo=UTC),
        )
    assert not Comment.objects.exists()
    # 31 Dec 15:59 UTC = 23:59 on the closing day: accepted
    ok = services.comment_submit(
        consultation=c,
        body="意见",
        author=citizen,
        is_public=True,
        now=datetime.datetime(2026, 12, 31, 15, 59, tzinfo=UTC),
    )
    assert ok.moderation == Comment.Moderation.PENDING


def test_comment_refused_after_early_close(org_tree, editor):
    c = ConsultationFactory(organisation=org_tree["office"])
    services.consultation_close(
        consultation=c, reason="决策事项调整", acting_user=editor, now=at(2026, 12, 20, 9)
    )
    with pytest.raises(ValidationError, match="截止"):
        services.comment_submit(
            consultation=c, body="意见", author=None, is_public=False, now=at(2026, 12, 20, 10)
        )
    assert not Comment.objects.exists()


def test_comment_on_unpublished_consultation_refused():
    c = ConsultationFactory(status=ContentStatus.IN_REVIEW)
    with pytest.raises(ValidationError, match="尚未开始"):
        services.comment_submit(
            consultation=c, body="意见", author=None, is_public=True, now=at(2026, 12, 5)
        )


def test_moderation_masks_privacy_and_flags_words():
    WordlistEntry.objects.create(word="黑幕", category="不文明用语", suggestion="")
    c = ConsultationFactory()
    q = QuestionFactory(consultation=c)
    comment = services.comment_submit(
        consultation=c,
        question=q,
        article="第二条",
        body="我的电话13812345678，身份证110101199003074514，收费有黑幕。",
        author=PublicUserFactory(),
        is_public=True,
        now=at(2026, 12, 5),
    )
    assert comment.public_body == "我的电话138****5678，身份证11*************514，收费有黑幕。"
    assert comment.flagged_words == ["黑幕"]
    assert comment.body.startswith("我的电话13812345678")
    assert (comment.question, comment.article) == (q, "第二条")


def test_rejection_needs_a_reason_and_approval_of_flagged_needs_a_note(org_tree, editor):
    c = ConsultationFactory(organisation=org_tree["office"])
    comment = CommentFactory(
        consultation=c, moderation=Comment.Moderation.PENDING, flagged_words=["黑幕"]
    )
    with pytest.raises(ValidationError, match="请选择未通过的原因"):
        services.comment_moderate(comment=comment, approve=False, acting_user=editor)
    with pytest.raises(ValidationError, match="请填写说明"):
        services.comment_moderate(
            comment=comment, approve=False, reason="other", acting_user=editor
        )
    with pytest.raises(ValidationError, match="含有错敏词"):
        services.comment_moderate(comment=comment, approve=True, acting_user=editor)
    comment.refresh_from_db()
    assert comment.moderation == Comment.Moderation.PENDING
    services.comment_moderate(
        comment=comment, approve=False, reason="sensitive", acting_user=editor
    )
    comment.refresh_from_db()
    assert (comment.moderation, comment.reject_reason) == ("rejected", "sensitive")
    assert comment.get_reject_reason_display() == "含有违法违规或不文明内容"


def test_enterprise_comments_as_legal_person_only_with_a_legal_person_account():
    c = ConsultationFactory()
    company = EnterpriseUserFactory()
    comment = services.comment_submit(
        consultation=c,
        body="建议简化申报材料",
        author=company,
        is_public=True,
        as_legal_person=True,
        now=at(2026, 12, 5),
    )
    assert comment.signature == "杭东市明远科技有限公司"
    with pytest.raises(ValidationError, match="法人账号"):
        services.comment_submit(
            consultation=c,
            body="建议",
            author=PublicUserFactory(),
            is_public=True,
            as_legal_person=True,
            now=at(2026, 12, 5),
        )
    assert Comment.objects.count() == 1


def test_hearing_record_refused_when_materials_were_late(org_tree, editor):
    c = ConsultationFactory(organisation=org_tree["office"])
    fields = {
        "notice_published_on": D(2026, 12, 1),
        "materials_sent_on": D(2026, 12, 10),
        "selection_method": "自愿报名、随机抽取",
        "participant_list": "市民代表10名",
        "opinions": 6,
    }
    with pytest.raises(ValidationError, match="7日前送达"):
        services.offline_input_record(
            consultation=c,
            method="hearing",
            held_on=D(2026, 12, 15),
            summary="听证会",
            acting_user=editor,
            **fields,
        )
    assert not OfflineInput.objects.exists()
    fields["materials_sent_on"] = D(2026, 12, 8)
    hearing = services.offline_input_record(
        consultation=c,
        method="hearing",
        held_on=D(2026, 12, 15),
        summary="听证会",
        acting_user=editor,
        **fields,
    )
    assert hearing.get_method_display() == "听证会"


# ------------------------------------------------------------------ the 采纳情况 gate
def _closed_consultation_with_opinions(org):
    c = ConsultationFactory(organisation=org)
    comments = CommentFactory.create_batch(3, consultation=c)
    other = CommentFactory(consultation=c, is_public=False)
    offline = OfflineInputFactory(consultation=c, opinions=5)
    return c, comments, other, offline


def test_feedback_counts_equal_dispositions_and_gate_finishing(org_tree, editor, reviewers):
    after = at(2027, 1, 2)
    c, comments, other, offline = _closed_consultation_with_opinions(org_tree["office"])
    with pytest.raises(ValidationError, match="未归类"):
        services.feedback_prepare(consultation=c, summary="", acting_user=editor, now=after)
    services.group_save(
        consultation=c,
        title="降低申报门槛",
        disposition="adopted",
        reason="",
        comments=comments[:2],
        offline_inputs=[offline],
        acting_user=editor,
    )
    with pytest.raises(ValidationError, match="必须说明理由"):
        services.group_save(
            consultation=c,
            title="取消审批",
            disposition="not_adopted",
            reason="",
            comments=[comments[2], other],
            acting_user=editor,
        )
    services.group_save(
        consultation=c,
        title="取消审批",
        disposition="not_adopted",
        reason="审批事项由上位法设定",
        comments=[comments[2], other],
        acting_user=editor,
    )
    feedback = services.feedback_prepare(
        consultation=c, summary="共收到意见。", acting_user=editor, now=after
    )
    assert feedback.counts == {
        "adopted": 7,  # 2 comments + 5 opinions from the 座谈会
        "partly": 0,
        "not_adopted": 2,
        "already": 0,
        "other": 0,
        "total": 9,
    }
    assert feedback.non_adoption == [
        {"title": "取消审批", "disposition": "not_adopted", "reason": "审批事项由上位法设定"}
    ]
    # finishing and linking are refused while the feedback is only a draft
    with pytest.raises(ValidationError, match="反馈经审核发布后，才能办结"):
        services.consultation_finish(consultation=c, acting_user=editor)
    item = InformationItem.objects.filter(status="published").first()
    with pytest.raises(ValidationError, match="才能关联正式文件"):
        services.consultation_link_document(consultation=c, document=item, acting_user=editor)
    review_submit(content=feedback, acting_user=editor)
    approve(feedback, reviewers[:2])
    with pytest.raises(ValidationError, match="才能办结"):
        services.consultation_finish(consultation=c, acting_user=editor)
    c.refresh_from_db()
    assert c.finished_at is None
    approve(feedback, reviewers[2:])
    feedback.refresh_from_db()
    assert feedback.status == ContentStatus.PUBLISHED
    services.consultation_finish(consultation=c, acting_user=editor)
    c.refresh_from_db()
    assert c.finished_at is not None
    assert (
        AuditEntry.objects.filter(target_type="participation.feedback", action="publish").count()
        == 1
    )


def test_feedback_refused_while_comments_still_come_in(org_tree, editor):
    c, *_ = _closed_consultation_with_opinions(org_tree["office"])
    with pytest.raises(ValidationError, match="尚未截止"):
        services.feedback_prepare(
            consultation=c, summary="", acting_user=editor, now=at(2026, 12, 31, 23)
        )
    assert not Feedback.objects.exists()


def test_stale_feedback_cannot_be_submitted(org_tree, editor):
    c = ConsultationFactory(organisation=org_tree["office"])
    comments = CommentFactory.create_batch(2, consultation=c)
    group = services.group_save(
        consultation=c,
        title="意见一",
        disposition="adopted",
        reason="",
        comments=comments,
        acting_user=editor,
    )
    feedback = services.feedback_prepare(
        consultation=c, summary="", acting_user=editor, now=at(2027, 1, 2)
    )
    services.group_save(
        consultation=c,
        title="意见一",
        disposition="already",
        reason="",
        group=group,
        acting_user=editor,
    )
    with pytest.raises(ValidationError, match="请重新生成"):
        review_submit(content=feedback, acting_user=editor)
    feedback.refresh_from_db()
    assert feedback.status == ContentStatus.DRAFT
    assert feedback.counts["adopted"] == 2
