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

    class Scope(models.TextChoices):
        LEVEL = "level", _("本级政府及其部门")
        ALL = "all", _("含下级政府")
        OWN = "own", _("本机关")

    year = models.PositiveIntegerField(_("年度"))
    scope = models.CharField(
        _("统计范围"),
        max_length=10,
        choices=Scope.choices,
        default=Scope.OWN,
        help_text=_("政府年报可只统计本级政府及其部门，也可包含下级政府及其部门。"),
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
    # The report as submitted to review (the JSON contract, as text so that its key order is
    # kept on PostgreSQL too): what reviewers approved is what the public gets, even if live
    # figures change after publication.
    published_json = models.TextField(_("发布时的报告内容（JSON）"), blank=True, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("政府信息公开工作年度报告")
        verbose_name_plural = _("政府信息公开工作年度报告")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "scope"], name="annual_report_unique_scope"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}{self.year}年度报告（{self.get_scope_display()}）"

    @property
    def include_subordinates(self) -> bool:
        return self.scope != self.Scope.OWN
