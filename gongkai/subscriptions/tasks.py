"""Huey tasks of subscriptions: e-mail at once after a publication, daily and weekly digests
(China time: the HUEY setting has ``utc: False``). Bodies are plain calls to services, which
record what they sent, so a re-run never mails an entry twice."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .models import Subscription


@db_task()
def inbox_deliver(item_id: int) -> int:
    """The fan-out of one publication (tens of thousands of inbox entries at scale), queued by
    the ``content_published`` receiver so it runs in the job consumer, not in the request of
    the reviewer whose approval published the item."""
    from gongkai.catalogue.models import InformationItem

    from .services import inbox_deliver_item

    item = InformationItem.objects.filter(pk=item_id).first()
    return 0 if item is None else inbox_deliver_item(item)


@db_task()
def mail_immediate() -> int:
    """Queued after each publication's inbox entries are written."""
    from .services import mail_send_due

    return mail_send_due(mode=Subscription.Delivery.IMMEDIATE)


@db_periodic_task(crontab(minute="*/10"))
def mail_immediate_retry() -> int:
    """Every ten minutes: anything an immediate run left (mail server down, consumer stopped)."""
    from .services import mail_send_due

    return mail_send_due(mode=Subscription.Delivery.IMMEDIATE)


@db_periodic_task(crontab(hour="7", minute="30"))
def mail_digest_daily() -> int:
    """Every morning at 07:30: yesterday's (and any earlier unsent) entries."""
    from .services import mail_send_due

    return mail_send_due(mode=Subscription.Delivery.DAILY)


@db_periodic_task(crontab(day_of_week="1", hour="7", minute="40"))
def mail_digest_weekly() -> int:
    """Mondays at 07:40: last week's (Monday to Sunday) and any earlier unsent entries."""
    from .services import mail_send_due

    return mail_send_due(mode=Subscription.Delivery.WEEKLY)
