"""gongkai interaction_stats --org CODE --from D --to D --format json — prints only the JSON of
``selectors.interaction_stats`` (the contract of issue #12)."""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.accounts.models import Organisation
from gongkai.interaction.selectors import SCOPES, interaction_stats


def _date(value: str, what: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{what}“{value}”不是有效日期（格式 YYYY-MM-DD）") from None


class Command(BaseCommand):
    help = (
        "留言办理情况统计（JSON）：按收到日期选取 --from 至 --to 的留言。"
        "默认只统计该机构本机关的留言；--scope all 含所属下级机构。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="机构代码")
        parser.add_argument("--from", dest="date_from", required=True, help="起始日期 YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", required=True, help="截止日期 YYYY-MM-DD")
        parser.add_argument("--format", choices=["json"], default="json", help="输出格式")
        parser.add_argument(
            "--scope",
            choices=list(SCOPES),
            help="统计范围：own 本机关（默认），all 含下级机构",
        )

    def handle(self, *args, **options) -> None:
        try:
            organisation = Organisation.objects.get(code=options["org"])
        except Organisation.DoesNotExist:
            raise CommandError(f"找不到机构代码为“{options['org']}”的机构") from None
        date_from = _date(options["date_from"], "起始日期")
        date_to = _date(options["date_to"], "截止日期")
        if date_to < date_from:
            raise CommandError("截止日期不能早于起始日期")
        stats = interaction_stats(organisation, date_from, date_to, options["scope"])
        self.stdout.write(json.dumps(stats, ensure_ascii=False))
