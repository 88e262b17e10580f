"""The official working-day calendar: which years are known, and the exceptions to Mon–Fri.

Each November the 国务院办公厅 publishes the next year's holiday arrangement; the administrator
records it here (a ``CalendarYear`` row with the notice, and ``CalendarDay`` rows for the
holidays and 调休 working days). A year without a ``CalendarYear`` row is unknown, and deadline
computations that reach it refuse to run (rules note §7.3: fail safe).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarYear(models.Model):
    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(
        _("数据来源"),
        max_length=200,
        blank=True,
        help_text=_("例如：chinesecalendar 1.11.0，或“管理员按通知录入”"),
    )
    notice = models.TextField(
        _("放假安排通知"),
        blank=True,
        help_text=_("国务院办公厅关于该年部分节假日安排的通知：文号、日期、链接或全文"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("日历年份")
        verbose_name_plural = _("日历年份")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年"


class CalendarDay(models.Model):
    """A day that departs from Mon–Fri: a holiday (also on a weekend, to name it in
    explanations) or a weekend day that is a 调休 working day."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("节假日（放假）")
        WORKDAY = "workday", _("调休上班日")

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    name = models.CharField(
        _("节日名称"), max_length=100, blank=True, help_text=_("例如：国庆节、春节")
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("节假日及调休")
        verbose_name_plural = _("节假日及调休")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["holiday", "workday"]),
                name="workdays_calendarday_kind_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}".strip()
