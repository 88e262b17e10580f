"""gongkai match_policies --profile FILE.json --format json — 政策找人 for one profile (issue 14).

Prints only ``{"matches": [...], "near_misses": [...]}``; a bad profile gives a Chinese error on
stderr and a non-zero exit status."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gongkai.policies.conditions import ProfileError
from gongkai.policies.selectors import match_profile_input


class Command(BaseCommand):
    help = "政策找人：列出企业档案符合条件的有效政策及理由，以及仅差一项条件的政策。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--profile", required=True, help="企业档案 JSON 文件路径")
        parser.add_argument("--format", choices=["json"], default="json", help="输出格式")

    def handle(self, *args, **options) -> None:
        path = Path(options["profile"])
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except FileNotFoundError as exc:
            raise CommandError(_("文件“%(path)s”不存在") % {"path": path}) from exc
        except UnicodeDecodeError as exc:
            raise CommandError(_("文件“%(path)s”不是UTF-8编码") % {"path": path}) from exc
        except json.JSONDecodeError as exc:
            raise CommandError(
                _("文件“%(path)s”不是有效的JSON（第%(line)d行）")
                % {"path": path, "line": exc.lineno}
            ) from exc
        try:
            result = match_profile_input(data)
        except ProfileError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps(result.as_contract(), ensure_ascii=False))
