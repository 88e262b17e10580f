import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.accounts.models import Organisation
from gongkai.core.pdf import PdfFontsMissing
from gongkai.reports.annual import SCOPE_ALL, SCOPE_LABELS, SCOPE_OWN
from gongkai.reports.build import build_annual_report
from gongkai.reports.render import render_docx, render_html, render_pdf


class Command(BaseCommand):
    help = "生成政府信息公开工作年度报告（2021年格式），输出 JSON、DOCX、PDF 或 HTML。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="报告年度，如 2025")
        parser.add_argument("--org", required=True, help="机构代码")
        parser.add_argument(
            "--format", choices=["json", "docx", "pdf", "html"], default="json", help="输出格式"
        )
        parser.add_argument("--output", help="输出文件；省略时写到标准输出")
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument(
            "--scope",
            choices=list(SCOPE_LABELS),
            help="统计范围：level 本级政府及其部门，all 含下级政府，own 本机关"
            "（政府默认 all，部门默认 own）",
        )
        scope.add_argument(
            "--with-subordinates",
            dest="scope",
            action="store_const",
            const=SCOPE_ALL,
            help="同 --scope all：汇总所属下级机构",
        )
        scope.add_argument(
            "--own-only", dest="scope", action="store_const", const=SCOPE_OWN, help="同 --scope own"
        )

    def handle(self, *args, **options) -> None:
        year = options["year"]
        if not 2008 <= year <= 2100:
            raise CommandError(f"年度“{year}”不正确：应为 2008 至 2100 之间的四位年份")
        try:
            organisation = Organisation.objects.get(code=options["org"])
        except Organisation.DoesNotExist:
            raise CommandError(f"找不到机构代码为“{options['org']}”的机构") from None
        report = build_annual_report(organisation, year, scope=options["scope"])
        fmt = options["format"]
        if fmt == "json":
            data = json.dumps(report, ensure_ascii=False, indent=2).encode() + b"\n"
        elif fmt == "html":
            data = render_html(report).encode()
        elif fmt == "docx":
            data = render_docx(report)
        else:
            try:
                data = render_pdf(report)
            except PdfFontsMissing as exc:
                raise CommandError(str(exc)) from exc
        if options["output"]:
            Path(options["output"]).write_bytes(data)
        elif fmt in {"json", "html"}:
            self.stdout.write(data.decode(), ending="")
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
