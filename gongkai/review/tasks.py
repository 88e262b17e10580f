"""Huey periodic task of review: 定时发布 (a plain call to the service)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .chain_services import review_publish_due


@db_periodic_task(crontab(minute="*/5"))
def review_publish_scheduled() -> int:
    """Every five minutes: publish approved content whose 定时发布时间 has come."""
    return len(review_publish_due())
