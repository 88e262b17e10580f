"""Huey periodic tasks of review: 定时发布 and the daily 网站自查 (plain calls to services)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from gongkai.checks.item_checks import http_fetcher
from gongkai.oversight.inspection import inspection_run

from .chain_services import review_publish_due


@db_periodic_task(crontab(minute="*/5"))
def review_publish_scheduled() -> int:
    """Every five minutes: publish approved content whose 定时发布时间 has come."""
    return len(review_publish_due())


@db_periodic_task(crontab(hour="2", minute="30"))
def review_self_inspect_daily() -> int:
    """Every night at 02:30: the 网站自查 report, links fetched for real."""
    return inspection_run(fetcher=http_fetcher).total
