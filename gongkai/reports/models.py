"""Annual report drafts: the parts staff write or enter by hand; every figure else is computed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import TimeStampedModel


class AnnualReport(TimeStampedModel):
    """One organisation's (or one government's roll-up) report for one year."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交审核")
        PUBLISHED = "published", _("已发布")

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("机构"),
        on_delete=models.PROTECT,
        related_name="annual_reports",
    )
    year = models.PositiveIntegerField(_("年度"))
    include_subordinates = models.BooleanField(
        _("汇总下级机构"), default=False, help_text=_("政府年报汇总本级及所属部门的数据。")
    )
    overview = models.TextField(_("一、总体情况"), blank=True)
    problems = models.TextField(_("五、存在的主要问题及改进情况"), blank=True)
    other_matters = models.TextField(_("六、其他需要报告的事项"), blank=True)
    # 行政许可/行政处罚/行政强制 decisions and 行政事业性收费 (万元): entered by staff because the
    # platform does not hold those records; the report marks them as entered.
    licensing_decisions = models.PositiveIntegerField(
        _("行政许可本年处理决定数量"), null=True, blank=True
    )
    penalty_decisions = models.PositiveIntegerField(
        _("行政处罚本年处理决定数量"), null=True, blank=True
    )
    enforcement_decisions = models.PositiveIntegerField(
        _("行政强制本年处理决定数量"), null=True, blank=True
    )
    fees_collected_wan = models.DecimalField(
        _("行政事业性收费本年收费金额（万元）"),
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    published_item = models.ForeignKey(
        "catalogue.InformationItem",
        verbose_name=_("发布的信息"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("政府信息公开工作年度报告")
        verbose_name_plural = _("政府信息公开工作年度报告")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "include_subordinates"], name="annual_report_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}年度报告"
