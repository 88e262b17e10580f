"""The handling state machine: 登记 → 分办/转办 → 办理 → 答复 (review chain) → 公开 → 办结,
满意度, 重办, merge and rejection; every step an event and an audit row."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from gongkai.accounts.models import InternalUnit, Role
from gongkai.core.models import AuditEntry
from gongkai.interaction import selectors, services
from gongkai.interaction.models import (
    DeadlineRule,
    Message,
    MessageEvent,
    Publication,
    Status,
)
from gongkai.interaction.tests.factories import china_time
from gongkai.review.chain_services import review_decide

pytestmark = pytest.mark.django_db

DATA = {
    "category": "consult",
    "title": "咨询公租房申请条件",
    "content": (
        "本人身份证号330102199001011234，电话13912345678，邮箱wang@example.cn，想申请公租房。"
    ),
    "name": "王小明",
    "phone": "13912345678",
    "email": "wang@example.cn",
    "wants_public": True,
}


@pytest.fixture
def handler(org_tree, make_staff):
    return make_staff(Role.FOI_HANDLER, org_tree["finance"], username="msg_handler")


@pytest.fixture
def reviewers(org_tree, make_staff):
    return {
        level: make_staff(
            Role.REVIEWER, org_tree["finance"], username=f"msg_rev{level}", review_level=level
        )
        for level in (1, 2, 3)
    }


def approve(message, handler, reviewers):
    request = services.message_reply_submit(message=message, acting_user=handler)
    for level in range(1, request.levels + 1):
        review_decide(request=request, decision="approve", acting_user=reviewers[level])
    message.refresh_from_db()
    return message


def types(message):
    return list(message.events.order_by("id").values_list("type", flat=True))


def test_submit_stores_contacts_encrypted_and_returns_a_query_code(org_tree):
    message, code = services.message_submit(organisation=org_tree["finance"], data=DATA)
    assert message.reference.startswith(f"LY-{timezone.localdate().year}-")
    assert message.status == Status.REGISTERED
    assert message.channel == "website"
    assert message.publication == Publication.PENDING
    stored = Message.objects.get(pk=message.pk)
    assert "13912345678" not in stored.phone_enc
    assert stored.phone == "13912345678"
    assert stored.phone_masked == "139****5678"
    assert stored.name_masked == "王**"
    assert services.message_by_query(message.reference, code) == stored
    assert services.message_by_query(message.reference, "WRONGCOD") is None
    assert types(message) == ["submitted"]
    assert AuditEntry.objects.filter(target_type="interaction.message").count() == 1


def test_submit_refuses_bad_input_and_saves_nothing(org_tree):
    with pytest.raises(services.MessageError, match="请选择留言类别"):
        services.message_submit(
            organisation=org_tree["finance"], data={**DATA, "category": "praise"}
        )
    with pytest.raises(services.MessageError, match="留言内容不能超过5000个字"):
        services.message_submit(
            organisation=org_tree["finance"], data={**DATA, "content": "字" * 5001}
        )
    assert Message.objects.count() == 0


def test_full_path_through_review_publishes_with_masking(org_tree, handler, reviewers):
    unit = InternalUnit.objects.create(organisation=org_tree["finance"], name="住房保障科")
    message, _code = services.message_submit(organisation=org_tree["finance"], data=DATA)
    message = services.message_assign(message=message, unit=unit, acting_user=handler)
    assert message.status == Status.ASSIGNED
    message = services.message_reply_draft(
        message=message, text="您好，请携带身份证到服务大厅办理。", acting_user=handler
    )
    assert message.status == Status.IN_PROGRESS
    message = approve(message, handler, reviewers)
    assert message.status == Status.REPLIED
    assert message.reply_review == "approved"
    assert message.replied_date == timezone.localdate()
    assert message.publication == Publication.PUBLIC
    assert list(selectors.public_messages()) == [message]
    assert services.mask_personal_text(message.content) == (
        "本人身份证号33*************234，电话139****5678，邮箱w***@example.cn，想申请公租房。"
    )
    message = services.message_close(message=message, acting_user=handler)
    message = services.message_feedback(message=message, satisfaction="unsatisfied", note="太慢")
    message = services.message_redo(message=message, reason="留言人不满意", acting_user=handler)
    assert message.status == Status.IN_PROGRESS
    assert message.redo_count == 1
    assert types(message) == [
        "submitted",
        "assigned",
        "reply_drafted",
        "reply_submitted",
        "reply_approved",
        "replied",
        "published",
        "closed",
        "feedback",
        "redo",
    ]
    assert AuditEntry.objects.filter(
        target_type="interaction.message", target_id=str(message.pk)
    ).count() >= len(types(message))


def test_returned_reply_goes_back_to_the_handler(org_tree, handler, reviewers):
    message, _code = services.message_submit(organisation=org_tree["finance"], data=DATA)
    message = services.message_reply_draft(message=message, text="初稿", acting_user=handler)
    request = services.message_reply_submit(message=message, acting_user=handler)
    message.refresh_from_db()
    assert message.status == Status.REPLY_REVIEW
    review_decide(request=request, decision="return", acting_user=reviewers[1], comment="补充依据")
    message.refresh_from_db()
    assert message.status == Status.IN_PROGRESS
    assert message.reply_review == "returned"
    assert message.replied_date is None
    assert message.publication == Publication.PENDING


def test_person_who_declines_publication_is_never_published(org_tree, handler, reviewers):
    message, _ = services.message_submit(
        organisation=org_tree["finance"], data={**DATA, "wants_public": False}
    )
    services.message_reply_draft(message=message, text="答复", acting_user=handler)
    message = approve(message, handler, reviewers)
    assert message.status == Status.REPLIED
    assert message.publication == Publication.PRIVATE
    assert list(selectors.public_messages()) == []


def test_staff_refusal_with_reason_keeps_it_unpublished(org_tree, handler, reviewers):
    message, _ = services.message_submit(organisation=org_tree["finance"], data=DATA)
    with pytest.raises(services.MessageError, match="请填写不予公开的理由"):
        services.message_refuse_publication(message=message, reason=" ", acting_user=handler)
    services.message_refuse_publication(message=message, reason="涉及个人隐私", acting_user=handler)
    services.message_reply_draft(message=message, text="答复", acting_user=handler)
    message = approve(message, handler, reviewers)
    assert message.publication == Publication.REFUSED
    assert message.publication_note == "涉及个人隐私"
    assert list(selectors.public_messages()) == []


def test_transfer_restarts_the_clock_at_the_new_organisation(org_tree, handler, monkeypatch):
    message, _ = services.message_submit(organisation=org_tree["finance"], data=DATA)
    Message.objects.filter(pk=message.pk).update(
        received_at=china_time(date(2025, 9, 26)), received_date=date(2025, 9, 26)
    )
    message.refresh_from_db()
    # Transferred on Sat 2025-09-27: 5 working days from then → Fri 2025-10-10.
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2025, 9, 27))
    message = services.message_transfer(
        message=message,
        to_organisation=org_tree["office"],
        reason="属于办公厅职责",
        acting_user=handler,
    )
    assert message.organisation == org_tree["office"]
    assert message.due_date == date(2025, 10, 10)
    assert message.received_date == date(2025, 9, 26)
    assert message.three_months_date == date(2025, 12, 26)
    assert message.status == Status.REGISTERED
    event = message.events.get(type="transferred")
    assert event.data["from"] == org_tree["finance"].code
    assert "属于办公厅职责" in event.note
    # The finance handler no longer handles it.
    with pytest.raises(PermissionDenied, match="您没有办理该机构留言的权限"):
        services.message_start(message=message, acting_user=handler)


def test_organisation_override_replaces_the_default(org_tree, handler):
    DeadlineRule.objects.create(
        organisation=org_tree["finance"], channel="letter", reply_workdays=2
    )
    message, _ = services.message_record(
        organisation=org_tree["finance"],
        data={**DATA, "channel": "letter"},
        received_at=china_time(date(2025, 9, 26)),
        acting_user=handler,
    )
    # Fri 9/26: Sun 9/28 调休 = 1, Mon 9/29 = 2.
    assert message.due_date == date(2025, 9, 29)
    assert "本机关设定" in message.deadline_note
    assert types(message) == ["recorded"]


def test_merge_and_reject_leave_the_statistics(org_tree, handler):
    original, _ = services.message_submit(organisation=org_tree["finance"], data=DATA)
    duplicate, _ = services.message_submit(organisation=org_tree["finance"], data=DATA)
    abusive, _ = services.message_submit(organisation=org_tree["finance"], data=DATA)
    services.message_merge(
        duplicate=duplicate, original=original, reason="同一人重复提交", acting_user=handler
    )
    services.message_reject(message=abusive, reason="内容含辱骂", acting_user=handler)
    duplicate.refresh_from_db()
    abusive.refresh_from_db()
    assert duplicate.status == Status.MERGED
    assert duplicate.merged_into == original
    assert abusive.status == Status.REJECTED
    assert abusive.publication == Publication.REFUSED
    today = timezone.localdate()
    assert selectors.interaction_stats(org_tree["finance"], today, today)["received"] == 1
    with pytest.raises(
        services.MessageError,
        # The reference carries the organisation's number, which differs between databases.
        match=r"留言 LY-2026-\d+-000003 当前状态为“不予受理”，不能执行“开始办理”",
    ):
        services.message_start(message=abusive, acting_user=handler)


def test_wrong_step_is_refused_in_chinese(org_tree, handler):
    message, _ = services.message_submit(organisation=org_tree["finance"], data=DATA)
    with pytest.raises(services.MessageError, match="不能执行“办结”"):
        services.message_close(message=message, acting_user=handler)
    assert types(message) == ["submitted"]


def test_public_user_cannot_handle(org_tree, public_user):
    message, _ = services.message_submit(organisation=org_tree["finance"], data=DATA)
    with pytest.raises(PermissionDenied, match="您没有办理该机构留言的权限"):
        services.message_start(message=message, acting_user=public_user)
    message.refresh_from_db()
    assert message.status == Status.REGISTERED
    assert MessageEvent.objects.count() == 1


def test_blocking_word_in_the_message_holds_publication(org_tree, handler, reviewers):
    from gongkai.checks.models import WordlistEntry

    WordlistEntry.objects.create(word="某敏感词", category="sensitive", is_blocking=True)
    message, _ = services.message_submit(
        organisation=org_tree["finance"],
        data={**DATA, "content": "留言里有某敏感词，请答复。"},
    )
    services.message_reply_draft(message=message, text="已收悉。", acting_user=handler)
    message = approve(message, handler, reviewers)
    assert message.status == Status.REPLIED
    assert message.publication == Publication.PENDING
    assert list(selectors.public_messages()) == []
    with pytest.raises(services.MessageError, match="某敏感词"):
        services.message_publish(message=message, acting_user=handler)
    WordlistEntry.objects.filter(word="某敏感词").delete()
    message = services.message_publish(message=message, acting_user=handler)
    assert message.publication == Publication.PUBLIC
    assert types(message)[-1] == "published"


def test_reminders_name_messages_due_by_the_next_working_day(org_tree, handler, mailoutbox):
    handler.email = "handler@example.cn"
    handler.save()
    due_soon, _ = services.message_record(
        organisation=org_tree["finance"],
        data={**DATA, "channel": "hotline_12345", "title": "明天到期"},
        received_at=china_time(date(2025, 9, 26)),
        acting_user=handler,
    )
    services.message_record(
        organisation=org_tree["finance"],
        data={**DATA, "channel": "website", "title": "还早"},
        received_at=china_time(date(2025, 9, 26)),
        acting_user=handler,
    )
    # Fri 9/26 on 12345 is due Tue 9/30; on Mon 9/29 the next working day is 9/30.
    assert due_soon.due_date == date(2025, 9, 30)
    assert services.message_reminders_send(today=date(2025, 9, 29)) == 1
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["handler@example.cn"]
    assert "明天到期" in mailoutbox[0].body
    assert "还早" not in mailoutbox[0].body
    assert services.message_reminders_send(today=date(2025, 10, 9)) == 1
    assert "（已超期）" in mailoutbox[1].body


def test_a_public_reply_becomes_a_draft_qa_entry(org_tree, handler, reviewers, make_staff):
    from gongkai.policies.models import QAEntry

    message, _ = services.message_submit(organisation=org_tree["finance"], data=DATA)
    with pytest.raises(services.MessageError, match="只有已公开并已答复的留言可以转入政策问答"):
        services.message_promote_to_qa(message=message, acting_user=handler)
    services.message_reply_draft(
        message=message, text="请拨打13900001111咨询，或到服务大厅办理。", acting_user=handler
    )
    message = approve(message, handler, reviewers)
    with pytest.raises(PermissionDenied, match="您没有在“杭东市财政局”办理此项操作的权限。"):
        services.message_promote_to_qa(message=message, acting_user=handler)
    editor = make_staff(Role.EDITOR, org_tree["finance"])
    entry = services.message_promote_to_qa(message=message, acting_user=editor)
    entry = QAEntry.objects.get(pk=entry.pk)
    assert entry.question == "咨询公租房申请条件"
    assert "139****1111" in entry.answer
    assert entry.status == "draft"
    assert types(message)[-1] == "promoted"


def test_jsjb_first_contact_within_two_hours(org_tree, handler):
    from datetime import timedelta

    received = timezone.now() - timedelta(hours=3)
    message, _ = services.message_record(
        organisation=org_tree["finance"],
        data={**DATA, "channel": "jsjb"},
        received_at=received,
        acting_user=handler,
    )
    assert message.first_contact_due == received + timedelta(hours=2)
    message = services.message_contact(
        message=message, at=received + timedelta(hours=1), note="电话联系", acting_user=handler
    )
    event = message.events.get(type="contacted")
    assert event.data["on_time"] is True
    late, _ = services.message_record(
        organisation=org_tree["finance"],
        data={**DATA, "channel": "jsjb"},
        received_at=received,
        acting_user=handler,
    )
    late = services.message_contact(message=late, acting_user=handler)
    assert late.events.get(type="contacted").data["on_time"] is False
    website, _ = services.message_record(
        organisation=org_tree["finance"],
        data={**DATA, "channel": "website"},
        received_at=received,
        acting_user=handler,
    )
    assert website.first_contact_due is None


def test_published_text_masks_a_suspected_id():
    # 33010219900101123 has check character 4: ending in 5 is a mistyped ID (issue 18), masked
    # like any ID rather than left readable.
    assert services.mask_personal_text("身份证号330102199001011235，卡号4111111111111111") == (
        "身份证号33*************235，卡号4111********1111"
    )
