"""Tables of the review chain (先审后发), content versions and self-inspection runs.

Imported at the end of ``review/models.py`` so Django sees them as models of the review app.
No workflow here: the rules are in ``workflow.py``, the writes in ``chain_services.py``.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.status import ContentStatus

from . import workflow


class ContentKind(models.TextChoices):
    """What a chain applies to (issue 5 item 1)."""

    ITEM = "item", _("政府信息")
    INTERPRETATION = "interpretation", _("政策解读")
    QA = "qa", _("政策问答")
    REPLY_LETTER = "reply_letter", _("依申请公开答复书")
    MESSAGE_REPLY = "message_reply", _("留言答复")
    CONSULTATION_FEEDBACK = "consultation_feedback", _("意见征集反馈")


def kind_label(kind: str) -> str:
    """A kind's label, also for kinds registered outside ``ContentKind`` (ADR 0006)."""
    from gongkai.core import content as content_registry

    if kind in ContentKind.values:
        return str(ContentKind(kind).label)
    registered = content_registry.get(kind)
    return str(registered.label) if registered is not None else kind


class ReviewChain(models.Model):
    """How many levels review a kind of content in an organisation (none = platform default)."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("机构"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="review_chains",
        help_text=_("为空表示全平台默认设置。"),
    )
    content_kind = models.CharField(_("内容类型"), max_length=30, choices=ContentKind.choices)
    levels = models.PositiveSmallIntegerField(
        _("审核级数"),
        default=3,
        validators=[
            MinValueValidator(workflow.MIN_LEVELS),
            MaxValueValidator(workflow.MAX_LEVELS),
        ],
        help_text=_("1 至 3 级：初审（起草科室负责人）、复审（办公室）、终审（分管领导）。"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("审核流程")
        verbose_name_plural = _("审核流程")
        ordering = ["organisation_id", "content_kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "content_kind"],
                condition=models.Q(organisation__isnull=False),
                name="review_chain_unique_org_kind",
            ),
            models.UniqueConstraint(
                fields=["content_kind"],
                condition=models.Q(organisation__isnull=True),
                name="review_chain_unique_default_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(levels__gte=workflow.MIN_LEVELS)
                & models.Q(levels__lte=workflow.MAX_LEVELS),
                name="review_chain_levels_range",
            ),
        ]

    def __str__(self) -> str:
        org = self.organisation.name if self.organisation is not None else _("全平台")
        return f"{org} · {self.kind_label} · {self.levels}"

    @property
    def kind_label(self) -> str:
        return kind_label(self.content_kind)


class ReviewRequest(models.Model):
    """The review of one piece of content. One row per content object, reused on resubmission
    (``round`` counts submissions), so concurrent submits cannot create two live reviews."""

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("内容模型"), on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("内容编号"))
    content = GenericForeignKey("content_type", "object_id")
    content_kind = models.CharField(_("内容类型"), max_length=30, choices=ContentKind.choices)
    title = models.CharField(_("标题"), max_length=300, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("所属机构"),
        on_delete=models.PROTECT,
        related_name="review_requests",
    )
    levels = models.PositiveSmallIntegerField(_("审核级数"), default=3)
    level = models.PositiveSmallIntegerField(_("当前级别"), default=0)
    state = models.CharField(
        _("状态"),
        max_length=20,
        # A request's state is the content's status (core.status): one enum for both.
        choices=ContentStatus.choices,
        default=ContentStatus.DRAFT,
        db_index=True,
    )
    round = models.PositiveIntegerField(_("提交次数"), default=0)
    override_request = models.TextField(_("申请强制通过理由"), blank=True)
    version = models.ForeignKey(
        "review.ContentVersion",
        verbose_name=_("送审版本"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("审核申请")
        verbose_name_plural = _("审核申请")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="review_request_one_per_content"
            )
        ]
        indexes = [models.Index(fields=["state", "organisation", "level"])]

    def __str__(self) -> str:
        return f"{self.kind_label} {self.title}"

    @property
    def kind_label(self) -> str:
        return kind_label(self.content_kind)

    @property
    def position(self) -> workflow.Position:
        return workflow.Position(self.state, self.level)

    @property
    def position_label(self) -> str:
        return workflow.position_label(self.position, self.levels)


class ReviewDecision(models.Model):
    class Decision(models.TextChoices):
        APPROVE = workflow.APPROVE, _("通过")
        RETURN = workflow.RETURN, _("退回")
        OVERRIDE = workflow.OVERRIDE, _("强制通过")

    request = models.ForeignKey(
        ReviewRequest,
        verbose_name=_("审核申请"),
        on_delete=models.CASCADE,
        related_name="decisions",
    )
    round = models.PositiveIntegerField(_("提交次数"))
    level = models.PositiveSmallIntegerField(_("审核级别"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewer_name = models.CharField(_("审核人姓名"), max_length=150, blank=True)
    decision = models.CharField(_("审核意见"), max_length=20, choices=Decision.choices)
    comment = models.TextField(_("意见说明"), blank=True)
    findings = models.JSONField(_("检查结果"), default=list, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("审核记录")
        verbose_name_plural = _("审核记录")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.request} L{self.level} {self.get_decision_display()}"


class ContentVersion(models.Model):
    """A snapshot of every field of the content at a save or a submission."""

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("内容模型"), on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("内容编号"))
    content = GenericForeignKey("content_type", "object_id")
    number = models.PositiveIntegerField(_("版本号"))
    snapshot = models.JSONField(_("内容快照"), default=dict)
    note = models.CharField(_("说明"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("保存人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("保存时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("内容版本")
        verbose_name_plural = _("内容版本")
        ordering = ["content_type", "object_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "number"], name="content_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} v{self.number}"


__all__ = [
    "ContentKind",
    "ContentVersion",
    "ReviewChain",
    "ReviewDecision",
    "ReviewRequest",
]
