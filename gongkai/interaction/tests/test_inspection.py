"""互动回应差: the self-inspection reads the messages through ``inspection_messages``."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from gongkai.interaction.tests.factories import MessageFactory
from gongkai.oversight.inspection import (
    RULE_UNANSWERED,
    InspectionData,
    default_message_source,
    inspect,
)

pytestmark = pytest.mark.django_db


def test_consultation_unanswered_over_three_months_is_a_finding():
    today = timezone.localdate()
    old = today - timedelta(days=120)
    late = MessageFactory(title="无人答复的咨询", received_date=old)
    MessageFactory(title="按时答复", received_date=old, replied_date=old + timedelta(days=3))
    slow = MessageFactory(
        title="四个月后才答复", received_date=old, replied_date=old + timedelta(days=110)
    )
    MessageFactory(title="投诉不计", received_date=old, category="complaint")
    MessageFactory(title="刚收到", received_date=today)
    messages = default_message_source()
    assert messages is not None
    assert len(messages) == 4
    result = inspect(InspectionData(messages=messages), today=today)
    found = sorted(f.target_id for f in result.findings if f.rule == RULE_UNANSWERED)
    assert found == sorted([late.pk, slow.pk])
    assert RULE_UNANSWERED not in result.not_applicable


def test_no_messages_is_applicable_and_clean():
    result = inspect(InspectionData(messages=default_message_source()), today=date(2026, 1, 5))
    assert [f for f in result.findings if f.rule == RULE_UNANSWERED] == []
    assert RULE_UNANSWERED not in result.not_applicable


def test_no_reply_in_two_months_is_a_finding():
    from gongkai.oversight.inspection import default_reply_activity

    today = timezone.localdate()
    MessageFactory(
        received_date=today - timedelta(days=100), replied_date=today - timedelta(days=95)
    )
    activity = default_reply_activity()
    assert activity is not None
    assert activity.received_last_year == 1
    assert activity.last_reply == today - timedelta(days=95)
    data = InspectionData(messages=default_message_source(), reply_activity=activity)
    found = [f.message for f in inspect(data, today=today).findings if f.rule == RULE_UNANSWERED]
    assert len(found) == 1
    assert "近两个月" in found[0]
    assert (today - timedelta(days=95)).isoformat() in found[0]


def test_a_reply_within_two_months_clears_it():
    from gongkai.oversight.inspection import ReplyActivity

    data = InspectionData(
        messages=[], reply_activity=ReplyActivity(3, date(2026, 3, 2), "/staff/interaction/")
    )
    # 2 May − 2 months = 2 March: a reply on 2 March is not "within" (after) it; on 3 March is.
    assert [f.rule for f in inspect(data, today=date(2026, 5, 2)).findings] == [RULE_UNANSWERED]
    data.reply_activity = ReplyActivity(3, date(2026, 3, 3), "")
    assert inspect(data, today=date(2026, 5, 2)).findings == []
    # Nothing received in the year: nothing to answer.
    data.reply_activity = ReplyActivity(0, None, "")
    assert inspect(data, today=date(2026, 5, 2)).findings == []
