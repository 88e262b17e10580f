"""Tables of the review context: the 错敏词 dictionary and public error reports (网站找错)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import TimeStampedModel


class WordCategory(models.TextChoices):
    """Categories of the administrator-maintained 错敏词 dictionary (issue 5, rules note §5.6)."""

    WRONG_EXPRESSION = "wrong_expression", _("错误表述")
    SENSITIVE = "sensitive", _("敏感词")
    TYPO = "typo", _("错别字")
    OTHER = "other", _("其他")


# A wrong political expression or a sensitive word is a 严重表述错误, a single-veto item of the
# national website checks (国办秘函〔2019〕19号, rules note §5.2): such hits block publication
# unless a final reviewer overrides them. Typos and other entries only warn.
BLOCKING_CATEGORIES = frozenset({WordCategory.WRONG_EXPRESSION, WordCategory.SENSITIVE})


def default_blocking(category: str) -> bool:
    return category in BLOCKING_CATEGORIES


class WordlistEntry(TimeStampedModel):
    word = models.CharField(_("词语"), max_length=100, unique=True)
    category = models.CharField(_("分类"), max_length=20, choices=WordCategory.choices)
    suggestion = models.CharField(_("建议改为"), max_length=200, blank=True)
    is_blocking = models.BooleanField(
        _("阻止发布"),
        default=False,
        help_text=_("命中后必须修改，或由终审人员填写理由后强制通过。错误表述和敏感词默认阻止。"),
    )

    class Meta:
        verbose_name = _("错敏词")
        verbose_name_plural = _("错敏词库")
        ordering = ["category", "word"]

    def __str__(self) -> str:
        return self.word


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
        verbose_name = _("网站找错报告")
        verbose_name_plural = _("网站找错报告")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.page_url} {self.created_at:%Y-%m-%d}"


from .chain_models import *  # noqa: E402, F403  (review chain, versions, self-inspection)
from .disclosure_models import *  # noqa: E402, F403  (条例第十八条 review, 第二十条 mapping)
