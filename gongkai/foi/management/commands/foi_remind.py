from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gongkai.foi.services import foi_reminders_send


class Command(BaseCommand):
    help = "向经办人发送依申请公开到期提醒（同每日定时任务）"

    def add_arguments(self, parser):
        parser.add_argument("--today", help="按指定日期计算（YYYY-MM-DD），默认今天")

    def handle(self, *args, **options):
        today = None
        if options.get("today"):
            try:
                today = date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError(_("日期格式应为 YYYY-MM-DD")) from exc
        n = foi_reminders_send(today=today)
        self.stdout.write(_("已发送%(n)d条到期提醒") % {"n": n})
