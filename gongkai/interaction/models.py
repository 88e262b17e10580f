"""政民互动 messages (留言), their handling steps, reply deadlines and platform integrations.

No workflow lives here: ``services`` moves a message between statuses and writes a
``MessageEvent`` (and an audit row) for every step, as FOI does for its cases. The statistics
(``selectors.interaction_stats``) count ``received_date``, ``replied_date``, ``due_date`` and
``three_months_date``, so those names are a contract.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core import crypto
from gongkai.core.models import ProcessEvent
from gongkai.core.publishable import Publishable
from gongkai.core.status import ContentStatus
from gongkai.core.storage import private_storage, random_file_name
from gongkai.core.text import mask_name, mask_phone


class Channel(models.TextChoices):
    """Where a message came from (issue #12: channel and category are separate)."""

    WEBSITE = "website", _("网站")
    WECHAT = "wechat", _("微信")
    WEIBO = "weibo", _("微博")
    APP = "app", _("移动客户端")
    HOTLINE_12345 = "hotline_12345", _("12345热线")
    JSJB = "jsjb", _("接诉即办平台")
    LETTER = "letter", _("来信")
    OTHER = "other", _("其他")


class Category(models.TextChoices):
    CONSULT = "consult", _("咨询")
    SUGGESTION = "suggestion", _("建议")
    COMPLAINT = "complaint", _("投诉")
    HELP = "help", _("求助")
    REPORT = "report", _("举报")
    OTHER = "other", _("其他")


class Status(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    ASSIGNED = "assigned", _("已分办")
    IN_PROGRESS = "in_progress", _("办理中")
    REPLY_REVIEW = "reply_review", _("答复待审核")
    REPLIED = "replied", _("已答复")
    CLOSED = "closed", _("已办结")
    MERGED = "merged", _("已合并")
    REJECTED = "rejected", _("不予受理")


OPEN_STATUSES = (
    Status.REGISTERED,
    Status.ASSIGNED,
    Status.IN_PROGRESS,
    Status.REPLY_REVIEW,
)
# Merged duplicates and messages closed as abusive are not counted in the statistics: the
# original of a duplicate is, and an abusive message is not a consultation.
UNCOUNTED_STATUSES = (Status.MERGED, Status.REJECTED)


class Publication(models.TextChoices):
    PRIVATE = "private", _("不公开（留言人选择）")
    PENDING = "pending", _("待公开")
    PUBLIC = "public", _("已公开")
    REFUSED = "refused", _("不予公开")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


# The reply's place in the review chain: "" before anyone drafts a reply, then the first four
# values of the one content status (core.status) — a reply is published with its message, so
# 已发布/已撤回 belong to the message, not to the reply.
REPLY_REVIEW_CHOICES = [
    ("", _("无")),
    *[
        (state.value, state.label)
        for state in (
            ContentStatus.DRAFT,
            ContentStatus.IN_REVIEW,
            ContentStatus.RETURNED,
            ContentStatus.APPROVED,
        )
    ],
]


class DeadlineRule(models.Model):
    """An organisation's own 承诺时限 for one channel (replaces the default of ``deadlines``)."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("机构"),
        on_delete=models.CASCADE,
        related_name="message_deadline_rules",
    )
    channel = models.CharField(_("渠道"), max_length=20, choices=Channel.choices)
    reply_workdays = models.PositiveSmallIntegerField(_("答复时限（工作日）"))
    resolution_workdays = models.PositiveSmallIntegerField(
        _("办结时限（工作日）"), null=True, blank=True
    )
    first_contact_hours = models.PositiveSmallIntegerField(
        _("首次联系时限（小时）"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("留言答复时限")
        verbose_name_plural = _("留言答复时限")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "channel"], name="interaction_deadline_rule_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.channel}: {self.reply_workdays}"


class Integration(models.Model):
    """A 12345 / 接诉即办 platform that sends work orders in and receives replies back."""

    name = models.CharField(_("平台名称"), max_length=120)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("对接机构"),
        on_delete=models.PROTECT,
        related_name="message_integrations",
    )
    channel = models.CharField(
        _("默认渠道"), max_length=20, choices=Channel.choices, default=Channel.HOTLINE_12345
    )
    token_prefix = models.CharField(_("令牌前缀"), max_length=12, db_index=True)
    token_hash = models.CharField(_("令牌摘要"), max_length=128, unique=True)
    webhook_url = models.URLField(_("回调地址"), blank=True)
    secret_enc = models.TextField(_("签名密钥（加密）"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("互动平台对接")
        verbose_name_plural = _("互动平台对接")

    def __str__(self) -> str:
        return self.name

    @property
    def secret(self) -> str:
        return crypto.decrypt(self.secret_enc)

    @secret.setter
    def secret(self, value: str) -> None:
        self.secret_enc = crypto.encrypt(value)


class ReferenceSequence(models.Model):
    """Per organisation and year counter behind LY-2026-03-000123 (row-locked on allocation)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="interaction_refseq_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}: {self.last}"


class Message(models.Model):
    """One 留言 (consultation, suggestion, complaint …) and its handling."""

    reference = models.CharField(_("留言编号"), max_length=64, unique=True)
    query_code_hash = models.CharField(_("查询码摘要"), max_length=128, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("办理机构"),
        on_delete=models.PROTECT,
        related_name="messages",
    )
    handling_unit = models.ForeignKey(
        "accounts.InternalUnit",
        verbose_name=_("承办科室"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handled_messages",
    )
    channel = models.CharField(_("渠道"), max_length=20, choices=Channel.choices)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    received_at = models.DateTimeField(_("收到时间"))
    received_date = models.DateField(_("收到日期"), db_index=True)
    title = models.CharField(_("标题"), max_length=200)
    content = models.TextField(_("留言内容"))

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("留言人账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages",
    )
    name_enc = models.TextField(_("姓名（加密）"), blank=True)
    phone_enc = models.TextField(_("联系电话（加密）"), blank=True)
    email_enc = models.TextField(_("电子邮箱（加密）"), blank=True)
    wants_public = models.BooleanField(_("同意公开"), default=False)
    publication = models.CharField(
        _("公开状态"), max_length=10, choices=Publication.choices, default=Publication.PRIVATE
    )
    publication_note = models.CharField(_("不予公开理由"), max_length=300, blank=True)

    status = models.CharField(
        _("办理状态"), max_length=16, choices=Status.choices, default=Status.REGISTERED
    )
    due_date = models.DateField(_("答复期限"), null=True, blank=True)
    resolution_due_date = models.DateField(_("办结期限"), null=True, blank=True)
    three_months_date = models.DateField(_("三个月期满日"), null=True, blank=True)
    clock_start = models.DateField(_("计时起始日"), null=True, blank=True)
    first_contact_due = models.DateTimeField(_("首次联系时限"), null=True, blank=True)
    first_contact_at = models.DateTimeField(_("首次联系时间"), null=True, blank=True)
    deadline_note = models.TextField(_("期限说明"), blank=True)
    calendar_version = models.CharField(_("工作日历版本"), max_length=64, blank=True)

    reply = models.TextField(_("答复内容"), blank=True)
    reply_review = models.CharField(
        _("答复审核状态"), max_length=10, choices=REPLY_REVIEW_CHOICES, blank=True, default=""
    )
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    replied_date = models.DateField(_("答复日期"), null=True, blank=True)
    reply_author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复拟稿人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    satisfaction = models.CharField(
        _("满意度"), max_length=12, choices=Satisfaction.choices, blank=True
    )
    satisfaction_note = models.CharField(_("评价意见"), max_length=500, blank=True)
    redo_count = models.PositiveSmallIntegerField(_("重办次数"), default=0)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("合并至"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )
    close_reason = models.CharField(_("办结/不予受理理由"), max_length=500, blank=True)
    closed_date = models.DateField(_("办结日期"), null=True, blank=True)

    integration = models.ForeignKey(
        Integration,
        verbose_name=_("来源平台"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="messages",
    )
    work_order_id = models.CharField(_("工单号"), max_length=100, blank=True)
    imported = models.BooleanField(_("历史导入"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("留言")
        verbose_name_plural = _("留言")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["integration", "work_order_id"],
                condition=models.Q(integration__isnull=False),
                name="interaction_work_order_unique",
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "status"]),
            # The statistics: by organisation and window of receipt (an organisation's year is
            # one index range), channel and category, then the columns the five figures read,
            # so the database answers from the index alone (PostgreSQL's index-only scan; key
            # columns rather than INCLUDE, which SQLite lacks). make bench-interaction.
            models.Index(
                fields=[
                    "organisation",
                    "received_date",
                    "channel",
                    "category",
                    "replied_date",
                    "due_date",
                    "status",
                    "three_months_date",
                ],
                name="interaction_msg_stats_idx",
            ),
            # The public list (``selectors.public_messages``): newest reply first, with and
            # without an organisation — read in index order, no sort of every public message.
            models.Index(
                fields=["publication", "organisation", "-replied_at", "-id"],
                name="interaction_msg_public_idx",
            ),
            models.Index(
                fields=["publication", "-replied_at", "-id"],
                name="interaction_msg_public_all_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    # Personal data: stored encrypted, read through these properties only.
    @property
    def name(self) -> str:
        return crypto.decrypt(self.name_enc)

    @name.setter
    def name(self, value: str) -> None:
        self.name_enc = crypto.encrypt(value)

    @property
    def phone(self) -> str:
        return crypto.decrypt(self.phone_enc)

    @phone.setter
    def phone(self, value: str) -> None:
        self.phone_enc = crypto.encrypt(value)

    @property
    def email(self) -> str:
        return crypto.decrypt(self.email_enc)

    @email.setter
    def email(self, value: str) -> None:
        self.email_enc = crypto.encrypt(value)

    @property
    def name_masked(self) -> str:
        return mask_name(self.name)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_public(self) -> bool:
        return self.publication == Publication.PUBLIC


class MessageEvent(ProcessEvent):
    """One step in a message's life; written in the same transaction as the change."""

    class Type(models.TextChoices):
        SUBMITTED = "submitted", _("提交留言")
        RECORDED = "recorded", _("登记留言")
        RECEIVED_API = "received_api", _("平台派单")
        ASSIGNED = "assigned", _("分办")
        TRANSFERRED = "transferred", _("转办")
        STARTED = "started", _("开始办理")
        CONTACTED = "contacted", _("与留言人取得联系")
        REPLY_DRAFTED = "reply_drafted", _("拟定答复")
        REPLY_SUBMITTED = "reply_submitted", _("答复提交审核")
        REPLY_RETURNED = "reply_returned", _("答复被退回修改")
        REPLY_APPROVED = "reply_approved", _("答复审核通过")
        REPLIED = "replied", _("答复留言人")
        PUBLISHED = "published", _("公开")
        PUBLICATION_REFUSED = "publication_refused", _("不予公开")
        CLOSED = "closed", _("办结")
        FEEDBACK = "feedback", _("满意度评价")
        REDO = "redo", _("重办")
        MERGED = "merged", _("合并重复留言")
        REJECTED = "rejected", _("不予受理")
        IMPORTED = "imported", _("历史导入")
        PROMOTED = "promoted", _("转入政策问答（常见问题）")

    PUBLIC_TYPES = (
        Type.SUBMITTED,
        Type.RECORDED,
        Type.RECEIVED_API,
        Type.ASSIGNED,
        Type.TRANSFERRED,
        Type.STARTED,
        Type.CONTACTED,
        Type.REPLIED,
        Type.PUBLISHED,
        Type.PUBLICATION_REFUSED,
        Type.CLOSED,
        Type.FEEDBACK,
        Type.REDO,
        Type.MERGED,
        Type.REJECTED,
    )

    message = models.ForeignKey(
        Message, verbose_name=_("留言"), on_delete=models.CASCADE, related_name="events"
    )
    type = models.CharField(_("事件"), max_length=32, choices=Type.choices)

    class Meta(ProcessEvent.Meta):
        verbose_name = _("留言办理记录")
        verbose_name_plural = _("留言办理记录")

    def __str__(self) -> str:
        return f"{self.message_id} {self.date} {self.get_type_display()}"


class WebhookDelivery(models.Model):
    """One outbound notification to an integration's webhook, with its attempts (logged)."""

    class State(models.TextChoices):
        PENDING = "pending", _("待发送")
        DELIVERED = "delivered", _("已送达")
        FAILED = "failed", _("发送失败")

    integration = models.ForeignKey(
        Integration, verbose_name=_("平台"), on_delete=models.CASCADE, related_name="deliveries"
    )
    message = models.ForeignKey(
        Message, verbose_name=_("留言"), on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(_("事件"), max_length=32)
    payload = models.JSONField(_("内容"), default=dict)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_status = models.PositiveSmallIntegerField(_("最近响应码"), null=True, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("回调推送")
        verbose_name_plural = _("回调推送")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.integration_id} {self.event} {self.state}"


def message_attachment_path(instance: "MessageAttachment", filename: str) -> str:
    # Private storage, random name: a citizen's attachment is never public nor guessable.
    return random_file_name(f"messages/{instance.message_id}", filename)


class MessageAttachment(models.Model):
    """A file sent with a message (checked like item attachments: type by its bytes, size).
    Stored privately; only the organisation's handlers download it, audited."""

    message = models.ForeignKey(
        Message, verbose_name=_("留言"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(
        _("文件"), upload_to=message_attachment_path, storage=private_storage, max_length=300
    )
    original_name = models.CharField(_("文件名"), max_length=255)
    file_kind = models.CharField(_("文件类型"), max_length=10)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("留言附件")
        verbose_name_plural = _("留言附件")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class PressConferencePlan(models.Model):
    """新闻发布会 planned for a year by an organisation (the seeds: "计划77场，已开展65场")."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("机构"),
        on_delete=models.CASCADE,
        related_name="press_plans",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    planned_count = models.PositiveSmallIntegerField(_("计划场次"))
    themes = models.TextField(_("计划主题"), blank=True)

    class Meta:
        verbose_name = _("新闻发布会年度计划")
        verbose_name_plural = _("新闻发布会年度计划")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="interaction_press_plan_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.year}: {self.planned_count}"


class PressConference(Publishable):
    """One 新闻发布会 held: 主题, 时间, 地点, 发布人, 文字实录, picture and video links, the
    policies and interpretations it presented. Recorded as a draft, reviewed by the chain
    (先审后发, 错敏词 and privacy checks on the transcript) and published on the portal
    (``press.press_conference_publish``); a mistake in a live record is corrected by withdrawing,
    editing and resubmitting it."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("机构"),
        on_delete=models.PROTECT,
        related_name="press_conferences",
    )
    held_on = models.DateField(_("召开日期"), db_index=True)
    start_time = models.TimeField(_("召开时间"), null=True, blank=True)
    location = models.CharField(_("地点"), max_length=200, blank=True)
    topic = models.CharField(_("主题"), max_length=300)
    speakers = models.CharField(_("发布人"), max_length=500)
    transcript = models.TextField(_("文字实录"), blank=True)
    video_url = models.URLField(_("视频链接"), blank=True, max_length=500)
    image_urls = models.TextField(_("图片链接"), blank=True, help_text=_("每行一个链接"))
    policies = models.ManyToManyField(
        "catalogue.InformationItem",
        verbose_name=_("相关政策文件"),
        blank=True,
        related_name="press_conferences",
    )
    interpretations = models.ManyToManyField(
        "policies.Interpretation",
        verbose_name=_("相关政策解读"),
        blank=True,
        related_name="press_conferences",
    )

    class Meta:
        verbose_name = _("新闻发布会")
        verbose_name_plural = _("新闻发布会")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["status", "-held_on"], name="interaction_press_public_idx")]

    def __str__(self) -> str:
        return self.topic

    @property
    def image_list(self) -> list[str]:
        return [line.strip() for line in self.image_urls.splitlines() if line.strip()]


class OpinionItem(models.Model):
    """回应关切: one public-opinion item (舆情) collected, its 研判 level, the unit responsible,
    and the response published for it (an item, an interpretation or a press conference)."""

    class Level(models.TextChoices):
        GENERAL = "general", _("一般")
        SIGNIFICANT = "significant", _("较大")
        MAJOR = "major", _("重大")

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("责任机构"),
        on_delete=models.PROTECT,
        related_name="opinion_items",
    )
    unit = models.CharField(_("责任单位"), max_length=200, blank=True)
    source = models.CharField(_("来源"), max_length=200)
    link = models.URLField(_("链接"), blank=True, max_length=500)
    summary = models.TextField(_("内容摘要"))
    collected_on = models.DateField(_("收集日期"), db_index=True)
    level = models.CharField(_("研判等级"), max_length=12, choices=Level.choices)
    response_item = models.ForeignKey(
        "catalogue.InformationItem",
        verbose_name=_("回应信息"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    response_interpretation = models.ForeignKey(
        "policies.Interpretation",
        verbose_name=_("回应解读"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    response_conference = models.ForeignKey(
        PressConference,
        verbose_name=_("回应发布会"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opinion_items",
    )
    response_note = models.TextField(_("回应说明"), blank=True)
    responded_on = models.DateField(_("回应日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("舆情")
        verbose_name_plural = _("舆情台账")
        ordering = ["-collected_on", "-id"]

    def __str__(self) -> str:
        return self.summary[:50]


class ConcernResponse(Publishable):
    """回应关切: the response an organisation publishes to a public concern — the concern in
    the public's words, the response, the policies and interpretations it points to, and the
    press conference where it was given. Reviewed by the chain before it goes on the portal; the
    舆情 item it answers (staff only) is marked responded when it is published."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("发布机关"),
        on_delete=models.PROTECT,
        related_name="concern_responses",
    )
    title = models.CharField(_("标题"), max_length=300)
    concern = models.TextField(_("社会关切"))
    response = models.TextField(_("回应内容"))
    policies = models.ManyToManyField(
        "catalogue.InformationItem",
        verbose_name=_("相关政策文件"),
        blank=True,
        related_name="concern_responses",
    )
    interpretations = models.ManyToManyField(
        "policies.Interpretation",
        verbose_name=_("相关政策解读"),
        blank=True,
        related_name="concern_responses",
    )
    conference = models.ForeignKey(
        PressConference,
        verbose_name=_("回应发布会"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="concern_responses",
    )
    opinion_item = models.ForeignKey(
        OpinionItem,
        verbose_name=_("对应舆情"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="concern_responses",
    )

    class Meta:
        verbose_name = _("回应关切")
        verbose_name_plural = _("回应关切")
        ordering = ["-published_date", "-id"]
        indexes = [
            models.Index(
                fields=["status", "-published_date"], name="interaction_concern_public_idx"
            )
        ]

    def __str__(self) -> str:
        return self.title
