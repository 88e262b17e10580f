"""gongkai publish_scheduled — publish approved content whose 定时发布时间 has come."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from gongkai.review.chain_services import review_publish_due


class Command(BaseCommand):
    help = "发布已审核通过且到达定时发布时间的内容"

    def handle(self, *args, **options):
        done = review_publish_due()
        for request in done:
            self.stdout.write(_("已发布：%(title)s") % {"title": request.title})
        self.stdout.write(_("共发布 %(n)d 条") % {"n": len(done)})
