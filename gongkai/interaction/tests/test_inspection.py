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
