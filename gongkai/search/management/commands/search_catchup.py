import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.search.engine import get_engine
from gongkai.search.models import SearchChange


class Command(BaseCommand):
    help = "将数据库中的检索变更记录补应用到本机索引；可选清理过旧的变更记录。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--prune-days",
            type=int,
            default=0,
            help="删除早于该天数的变更记录（保留最新一条，编号不会回退）",
        )

    def handle(self, *args, prune_days: int = 0, verbosity: int = 1, **options):
        engine = get_engine()
        applied = engine.catch_up()
        state = engine.read_state()
        if verbosity:
            self.stdout.write(
                _("已应用 %(n)d 个变更；当前位置 %(pos)d，待复核空号 %(holes)d 个")
                % {"n": applied, "pos": state["applied"], "holes": len(state["holes"])}
            )
        if prune_days > 0:
            cutoff = timezone.now() - datetime.timedelta(days=prune_days)
            top = SearchChange.objects.order_by("-id").values_list("id", flat=True).first() or 0
            deleted, _details = SearchChange.objects.filter(
                created_at__lt=cutoff, id__lt=top
            ).delete()
            if verbosity:
                self.stdout.write(_("已清理 %(n)d 条变更记录") % {"n": deleted})
