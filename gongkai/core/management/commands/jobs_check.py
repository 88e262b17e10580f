import json
import os
import secrets

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from huey.exceptions import HueyException

from gongkai.core.tasks import jobs_ping


class Command(BaseCommand):
    help = "向任务队列放入一个测试任务，等待任务消费者（gongkai run_huey）执行并回答"

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=15.0, help="最多等待的秒数（默认 15）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出消费者的回答")

    def handle(self, *args, **options):
        token = secrets.token_hex(8)
        result = jobs_ping(token)
        try:
            answer = result.get(blocking=True, timeout=options["timeout"])
        except HueyException as exc:
            # Nobody took it: do not leave a stale job for the next consumer that starts.
            result.revoke()
            raise CommandError(
                _(
                    "任务消费者在 %(s)s 秒内没有执行测试任务：请确认 gongkai run_huey 正在运行，"
                    "且与本进程使用同一个 REDIS_URL"
                )
                % {"s": f"{options['timeout']:g}"}
            ) from exc
        if not isinstance(answer, dict) or answer.get("token") != token:
            raise CommandError(_("任务消费者的回答不正确：%(a)r") % {"a": answer})
        answer["same_process"] = answer["pid"] == os.getpid()
        if options["json"]:
            self.stdout.write(json.dumps(answer, ensure_ascii=False))
        elif answer["same_process"]:
            self.stdout.write(_("测试任务已在本进程内执行（队列为立即执行模式）"))
        else:
            self.stdout.write(
                _("任务消费者已执行测试任务（主机 %(host)s，进程 %(pid)s，数据库 %(db)s）")
                % {"host": answer["host"], "pid": answer["pid"], "db": answer["database"]}
            )
