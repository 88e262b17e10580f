"""gongkai self_inspect [--no-links] — run the 网站自查 now and store the report."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from gongkai.checks.item_checks import http_fetcher
from gongkai.oversight.inspection import RULES, inspection_run, rule_labels


class Command(BaseCommand):
    help = "运行网站自查（栏目更新、空白栏目、错误链接、留言答复、元数据、政策解读）"

    def add_arguments(self, parser):
        parser.add_argument("--no-links", action="store_true", help=_("不检查链接是否可访问"))

    def handle(self, *args, **options):
        run = inspection_run(fetcher=None if options["no_links"] else http_fetcher)
        labels = rule_labels()
        for rule in RULES:
            if rule in run.counts.get("not_applicable", []):
                self.stdout.write(_("%(rule)s：不适用") % {"rule": labels[rule]})
            else:
                self.stdout.write(f"{labels[rule]}：{run.counts.get(rule, 0)}")
        self.stdout.write(_("共发现问题 %(n)d 个") % {"n": run.total})
