"""Deadline reminders: the foi_remind command and its daily task (the FOI pages are tested in
portal/tests, staff/tests and api/tests)."""

from datetime import date

import pytest

from gongkai.foi.models import CaseEvent

pytestmark = pytest.mark.django_db


def test_remind_command_and_task(record_case, handler, django_capture_on_commit_callbacks):
    from django.core import mail
    from django.core.management import call_command

    handler.email = "handler@example.cn"
    handler.save()
    record_case(date(2025, 9, 26))  # due 2025-10-30
    with django_capture_on_commit_callbacks(execute=True):
        call_command("foi_remind", "--today", "2025-10-23")  # 5 working days left
    assert len(mail.outbox) == 1
    assert "还剩5个工作日" in mail.outbox[0].subject
    from gongkai.foi.tasks import foi_remind_daily

    # The periodic task is the same service with today's date: the case is long overdue.
    assert foi_remind_daily.call_local() == 1
    assert CaseEvent.objects.filter(type="reminder_sent", data__key="overdue").count() == 1
