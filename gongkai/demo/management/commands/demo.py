"""`gongkai demo`: the named demo world, its login table, and synthetic benchmark documents."""

import json
import sys
import time
import unicodedata
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings
from django.utils.translation import gettext as _

from gongkai.accounts.models import Role
from gongkai.core.dbstats import db_optimize
from gongkai.demo.orgs import DEMO_PASSWORD, ORG_BY_KEY, PUBLIC_USERS, STAFF, SUPERUSER


def _pad(text: str, width: int) -> str:
    """Left-justify to a display width: CJK characters take two terminal columns."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(1, width - used)


def _line(username: str, name: str, org: str, label: str) -> str:
    return _pad(username, 20) + _pad(name, 22) + _pad(org, 14) + label


def logins_table() -> str:
    levels = {1: _("初审"), 2: _("复审"), 3: _("终审")}
    lines = [
        _("演示账号（密码均为 %(password)s）") % {"password": DEMO_PASSWORD},
        _line(_("用户名"), _("姓名"), _("机构"), _("角色")),
        _line(SUPERUSER[0], SUPERUSER[1], "—", _("超级管理员（管理后台 /admin/）")),
    ]
    for username, name, org_key, role, level, below, _unit in STAFF:
        label = str(Role(role).label)
        if level:
            label += f"（{levels[level]}）"
        if below:
            label += _("，含下级机构")
        org = ORG_BY_KEY[org_key].short_name
        lines.append(_line(username, name, org, label))
    for username, name, kind, _org, _phone in PUBLIC_USERS:
        label = _("公众用户（自然人）") if kind == "natural" else _("公众用户（法人或其他组织）")
        lines.append(_line(username, name, "—", label))
    return "\n".join(lines)


class Command(BaseCommand):
    help = _("生成演示数据：一个命名的演示城市，或追加用于性能测试的合成信息。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help=_("数据库已有机构时什么也不做（make run 使用）。"),
        )
        parser.add_argument(
            "--print-logins", action="store_true", help=_("只打印演示账号表，然后退出。")
        )
        parser.add_argument(
            "--documents",
            type=int,
            default=None,
            metavar="N",
            help=_("追加 N 条合成政府信息（用于基准测试）；数据库为空时先生成演示城市。"),
        )
        parser.add_argument("--seed", type=int, default=None, help=_("随机种子（默认固定）。"))
        parser.add_argument(
            "--batch-size", type=int, default=20000, help=_("每批写入条数（默认 20000）。")
        )

    def handle(self, *args, **options) -> None:
        from gongkai.demo import bulk, world

        if options["print_logins"]:
            self.stdout.write(logins_table())
            return
        documents = options["documents"]
        if documents is not None:
            if documents < 1:
                raise CommandError(_("--documents 必须是正整数，收到：%(n)s") % {"n": documents})
            if options["batch_size"] < 1:
                raise CommandError(_("--batch-size 必须是正整数"))
            if not world.world_exists():
                self.stderr.write(_("数据库为空，先生成演示城市……"))
                _warn_without_chinese_fonts(self.stderr)
                with _no_mail():
                    world.build_world()
            total = documents

            def progress(done: int, seconds: float) -> None:
                rate = done / seconds if seconds else 0.0
                sys.stderr.write(
                    _("已写入 %(done)d / %(total)d 条，用时 %(s).1f 秒（%(rate).0f 条/秒）")
                    % {"done": done, "total": total, "s": seconds, "rate": rate}
                    + "\n"
                )
                sys.stderr.flush()

            started = time.monotonic()
            written = bulk.add_documents(
                documents,
                seed=options["seed"] if options["seed"] is not None else 1,
                batch_size=options["batch_size"],
                progress=progress,
            )
            seconds = round(time.monotonic() - started, 2)
            # Without statistics the planner guesses wrong at this size (gongkai.core.dbstats).
            optimized = db_optimize()
            self.stdout.write(
                json.dumps(
                    {"count": written, "seconds": seconds, "analyze_seconds": optimized["seconds"]}
                )
            )
            return

        if world.world_exists():
            if options["if_empty"]:
                return
            raise CommandError(
                _(
                    "数据库中已有机构数据，未生成演示数据。"
                    "如需在空库上生成请先清空数据库；make run 使用 --if-empty 跳过。"
                )
            )
        _warn_without_chinese_fonts(self.stderr)
        started = time.monotonic()
        with _no_mail():
            counts = world.build_world(
                seed=options["seed"] if options["seed"] is not None else 2026
            )
        db_optimize()
        self.stdout.write(
            _(
                "已生成演示城市：%(organisations)d 个机构、%(units)d 个科室、"
                "%(staff)d 个工作人员账号、%(public_users)d 个公众账号、%(items)d 条政府信息"
                "（其中政策文件 %(policies)d 件）、%(interpretations)d 篇政策解读、"
                "%(qa_entries)d 条政策问答、%(foi_cases)d 件依申请公开申请、"
                "%(annual_reports)d 份政府信息公开工作年度报告、"
                "%(policy_evaluations)d 份政策评价报告、%(open_days)d 场政府开放日。"
            )
            % counts
            + _("用时 %(s).1f 秒。") % {"s": time.monotonic() - started}
        )


def _no_mail() -> Any:
    """The demo world walks cases and reviews through the real services, which e-mail
    applicants and reviewers: nobody is there to read them, so they go nowhere."""
    return override_settings(
        MAILERS={"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
    )


def _warn_without_chinese_fonts(stderr: Any) -> None:
    """Without a Chinese font PDFs would be unreadable: the world is built with DOCX letters
    only, and the operator is told what to install."""
    from gongkai.core.pdf import FONT_PACKAGE, cjk_fonts_available

    if not cjk_fonts_available():
        stderr.write(
            _(
                "警告：本机没有安装中文字体，演示数据中的答复书只生成 DOCX，不生成 PDF。"
                "请安装 %(package)s（apt-get install %(package)s）后重启服务。"
            )
            % {"package": FONT_PACKAGE}
        )
