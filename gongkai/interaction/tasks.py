"""Huey tasks of 政民互动: webhook deliveries and their retries (bodies call ``webhooks``)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import webhooks
from .models import WebhookDelivery


@db_task()
def webhook_deliver(delivery_id: int) -> str:
    """First try right after the step commits; later tries come from ``webhooks_retry``."""
    delivery = WebhookDelivery.objects.select_related("integration", "message__organisation").get(
        pk=delivery_id
    )
    return str(webhooks.webhook_attempt(delivery).state)


@db_periodic_task(crontab(minute="*"))
def webhooks_retry() -> int:
    """Every minute: retry the deliveries whose back-off has passed."""
    return webhooks.webhooks_retry_due()


@db_periodic_task(crontab(hour="8", minute="5"))
def message_remind_daily() -> int:
    """Every morning at 08:05: messages due today or on the next working day, and overdue."""
    from . import services

    return services.message_reminders_send()
