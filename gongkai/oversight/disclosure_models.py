"""Tables of 条例第十八条 (periodic review of non-public items) and the 第二十条 column mapping.

Imported at the end of ``review/models.py`` so Django sees them as models of the review app.
No workflow here: the rules are in ``disclosure.py``, the writes in ``services.py``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .disclosure import ARTICLE_20_CATEGORIES


class DisclosureReview(models.Model):
    """One 定期评估审查 of an item marked 依申请公开 or 不予公开 (条例第十八条)."""

    class Outcome(models.TextChoices):
        KEEP = "keep", _("维持不主动公开")
        PROPOSE = "propose", _("建议转主动公开")

    item = models.ForeignKey(
        "catalogue.InformationItem",
        verbose_name=_("政府信息"),
        on_delete=models.CASCADE,
        related_name="disclosure_reviews",
    )
    reviewed_on = models.DateField(_("评估日期"))
    outcome = models.CharField(_("评估结论"), max_length=10, choices=Outcome.choices)
    disclosure_before = models.CharField(_("评估前公开属性"), max_length=20)
    disclosure_after = models.CharField(_("评估后公开属性"), max_length=20)
    reason = models.TextField(_("理由"))
    proposal = models.ForeignKey(
        "foi.ProactiveProposal",
        verbose_name=_("转主动公开建议"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评估人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewer_name = models.CharField(_("评估人姓名"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        db_table = "review_disclosurereview"  # moved from the review app; the table kept its name
        verbose_name = _("不公开信息定期评估")
        verbose_name_plural = _("不公开信息定期评估")
        ordering = ["-reviewed_on", "-id"]
        indexes = [models.Index(fields=["item", "-reviewed_on"], name="disclosure_review_item_idx")]

    def __str__(self) -> str:
        return f"{self.item_id} {self.reviewed_on} {self.outcome}"


class Article20Category(models.Model):
    """Which columns carry one kind of information of 条例第二十条 (configured by the
    政务公开管理员; seeded with ``disclosure.DEFAULT_CATEGORY_COLUMNS``)."""

    number = models.PositiveSmallIntegerField(
        _("项"),
        unique=True,
        choices=[(n, f"{item} {text}") for n, item, text in ARTICLE_20_CATEGORIES],
    )
    columns = models.ManyToManyField(
        "catalogue.Column", verbose_name=_("承载栏目"), blank=True, related_name="+"
    )

    class Meta:
        db_table = "review_article20category"  # moved from the review app; the table kept its name
        verbose_name = _("第二十条主动公开事项")
        verbose_name_plural = _("第二十条主动公开事项")
        ordering = ["number"]

    def __str__(self) -> str:
        return self.get_number_display()


__all__ = ["Article20Category", "DisclosureReview"]
