"""``gongkai calendar_import_year YEAR``: seed one year of the working-day calendar from the
``chinesecalendar`` package (after upgrading it each November), replacing that year's days."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gongkai.workdays.models import CalendarDay
from gongkai.workdays.services import calendar_year_import


class Command(BaseCommand):
    help = "从 chinesecalendar 软件包导入某一年的节假日及调休安排（覆盖该年已有记录）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", type=int, help="年份，例如 2026")
        parser.add_argument("--notice", default="", help="国务院办公厅放假安排通知的文号或链接")

    def handle(self, *args, year: int, notice: str, **options) -> None:
        try:
            calendar_year_import(year=year, notice=notice, acting_user=None)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        holidays = CalendarDay.objects.filter(date__year=year, kind="holiday").count()
        workdays = CalendarDay.objects.filter(date__year=year, kind="workday").count()
        self.stdout.write(
            _("已导入%(y)d年工作日历：节假日%(h)d天，调休上班日%(w)d天")
            % {"y": year, "h": holidays, "w": workdays}
        )
