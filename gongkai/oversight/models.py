"""Tables of the oversight context: public error reports (网站找错), self-inspection runs,
and, in ``disclosure_models``, the 条例第十八条 periodic review and the 第二十条 column mapping."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ErrorReport(models.Model):
    """我为政府网站找错: a report from the public about an error on a page (rules note §5.3)."""

    class Status(models.TextChoices):
        NEW = "new", _("待处理")
        ANSWERED = "answered", _("已答复")

    page_url = models.CharField(_("页面地址"), max_length=1000)
    description = models.TextField(_("问题描述"))
    contact = models.CharField(_("联系方式"), max_length=200, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报告人账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True, db_index=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.NEW, db_index=True
    )
    answer = models.TextField(_("答复"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        db_table = "review_errorreport"  # moved from the review app; the table kept its name
        verbose_name = _("网站找错报告")
        verbose_name_plural = _("网站找错报告")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.page_url} {self.created_at:%Y-%m-%d}"


class InspectionRun(models.Model):
    """One 网站自查 report (daily and on demand)."""

    created_at = models.DateTimeField(_("检查时间"), auto_now_add=True, db_index=True)
    today = models.DateField(_("检查日期"))
    findings = models.JSONField(_("问题清单"), default=list)
    counts = models.JSONField(_("问题统计"), default=dict)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        db_table = "review_inspectionrun"  # moved from the review app; the table kept its name
        verbose_name = _("网站自查")
        verbose_name_plural = _("网站自查")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.today} {sum(self.counts.values()) if self.counts else 0}"

    @property
    def total(self) -> int:
        return len(self.findings or [])


from .disclosure_models import *  # noqa: E402, F403  (条例第十八条 review, 第二十条 mapping)
