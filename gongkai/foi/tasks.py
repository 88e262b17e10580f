"""Huey periodic tasks of 依申请公开; bodies are plain calls to services."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(hour="8", minute="0"))
def foi_remind_daily() -> int:
    """Every morning at 08:00: deadline reminders to handlers."""
    return services.foi_reminders_send()
