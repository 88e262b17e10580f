"""Huey periodic task of oversight: the daily 网站自查 (a plain call to the service)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from gongkai.checks.item_checks import http_fetcher

from .inspection import inspection_run


@db_periodic_task(crontab(hour="2", minute="30"))
def review_self_inspect_daily() -> int:
    """Every night at 02:30: the 网站自查 report, links fetched for real."""
    return inspection_run(fetcher=http_fetcher).total
