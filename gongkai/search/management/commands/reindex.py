import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from gongkai.search.engine import get_engine
from gongkai.search.identity import database_identity_renew


class Command(BaseCommand):
    help = "从数据库重建全文检索索引（新建索引目录后原子切换）。"

    def add_arguments(self, parser):
        parser.add_argument("--threads", type=int, default=0, help="索引写入线程数（0 为自动）")
        parser.add_argument(
            "--new-database-identity",
            action="store_true",
            help="先给数据库换一个新标识（恢复备份后使用），使所有服务器的索引在下次查询前重建",
        )
        parser.add_argument(
            "--vectors",
            action="store_true",
            help="同时重建政策语义向量库（否则在下次按需求查找时发现过期才重建）",
        )

    def handle(self, *args, threads: int = 0, verbosity: int = 1, **options):
        if options.get("new_database_identity"):
            database_identity_renew()
        engine = get_engine()
        started = time.perf_counter()
        count = engine.rebuild(threads=threads)
        engine.catch_up()  # changes committed while the snapshot was read
        elapsed = time.perf_counter() - started
        if verbosity:
            self.stdout.write(
                _("已重建索引：%(n)d 篇文档，用时 %(s).1f 秒（%(dir)s）")
                % {"n": count, "s": elapsed, "dir": engine.base}
            )
        if options.get("vectors"):
            from gongkai.search.semantic import get_store

            started = time.perf_counter()
            embedded = get_store().rebuild()
            if verbosity:
                self.stdout.write(
                    _("已重建语义向量库：%(n)d 件有效政策，用时 %(s).1f 秒")
                    % {"n": embedded, "s": time.perf_counter() - started}
                )
