"""`gongkai db_optimize`: refresh the database's planner statistics now (gongkai.core.dbstats).

The job consumer does it every night at 03:15; run it by hand after loading data some other
way (a restore, a bulk SQL load)."""

import json

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from gongkai.core.dbstats import db_optimize


class Command(BaseCommand):
    help = "更新数据库查询规划统计信息（PostgreSQL ANALYZE / SQLite PRAGMA optimize）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")

    def handle(self, *args, **options) -> None:
        result = db_optimize()
        if options["json"]:
            self.stdout.write(json.dumps(result))
            return
        self.stdout.write(
            _("已更新数据库统计信息（%(vendor)s：%(statements)s），用时 %(s).2f 秒。")
            % {
                "vendor": result["vendor"],
                "statements": "; ".join(result["statements"]),
                "s": result["seconds"],
            }
        )
