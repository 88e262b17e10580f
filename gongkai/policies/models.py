"""Interpretations (政策解读) and the policy Q&A knowledge base (政策问答知识库)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.publishable import Revisable


class Interpretation(Revisable):
    """A 政策解读; linked many-to-many with the policies it explains (双向关联). Status, 发布日期,
    author and the 修订稿 link come from the publishable base (``core.publishable``)."""

    class Form(models.TextChoices):
        TEXT = "text", _("文字解读")
        GRAPHIC = "graphic", _("图解（一图读懂）")
        VIDEO = "video", _("视频解读")
        QA = "qa", _("简明问答")

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("解读机构"),
        on_delete=models.PROTECT,
        related_name="interpretations",
    )
    title = models.CharField(_("标题"), max_length=300)
    form = models.CharField(_("解读形式"), max_length=20, choices=Form.choices, default=Form.TEXT)
    body = models.TextField(_("正文"), blank=True)
    body_text = models.TextField(editable=False, blank=True)
    image = models.ImageField(_("图解图片"), upload_to="interpretations/", blank=True)
    image_alt = models.CharField(_("图片文字说明"), max_length=500, blank=True)
    video_url = models.URLField(_("视频链接"), blank=True)
    interpreter = models.CharField(_("解读人"), max_length=100, blank=True)
    policies = models.ManyToManyField(
        "catalogue.InformationItem",
        verbose_name=_("关联政策"),
        blank=True,
        related_name="interpretations",
    )
    published_date = models.DateField(_("发布日期"), null=True, blank=True, db_index=True)
    external_id = models.CharField(_("外部编号"), max_length=100, null=True, blank=True)

    class Meta:
        verbose_name = _("政策解读")
        verbose_name_plural = _("政策解读")
        ordering = ["-published_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["revision_of"],
                condition=models.Q(revision_of__isnull=False, revision_closed_at__isnull=True),
                name="interpretation_one_open_revision",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.is_published


class QAEntry(Revisable):
    """政策问答: a question with its authoritative answer and who answers it (publishable:
    ``core.publishable``)."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("答复机构"),
        on_delete=models.PROTECT,
        related_name="qa_entries",
    )
    unit = models.ForeignKey(
        "accounts.InternalUnit",
        verbose_name=_("答复科室"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="qa_entries",
    )
    question = models.CharField(_("问题"), max_length=500)
    answer = models.TextField(_("答复"))
    policy = models.ForeignKey(
        "catalogue.InformationItem",
        verbose_name=_("相关政策"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="qa_entries",
    )
    contact_phone = models.CharField(_("咨询电话"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("政策问答")
        verbose_name_plural = _("政策问答")
        ordering = ["-published_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["revision_of"],
                condition=models.Q(revision_of__isnull=False, revision_closed_at__isnull=True),
                name="qa_one_open_revision",
            )
        ]

    def __str__(self) -> str:
        return self.question

    @property
    def is_public(self) -> bool:
        return self.is_published
