"""Government information items (政府信息), their columns, attachments and classifications."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import TimeStampedModel
from gongkai.core.publishable import Revisable
from gongkai.core.status import ContentStatus


class TopicCategory(models.Model):
    """主题分类: the national two-level list (rules note §4.5); level-1 rows have no parent."""

    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级分类"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    name = models.CharField(_("名称"), max_length=60)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("主题分类")
        verbose_name_plural = _("主题分类")
        ordering = ["sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["parent", "name"], name="topic_unique_name")]

    def __str__(self) -> str:
        if self.parent is not None:
            return f"{self.parent.name}\\{self.name}"
        return self.name

    @property
    def top(self) -> "TopicCategory":
        return self.parent if self.parent_id else self  # type: ignore[return-value]  # parent is set whenever parent_id is


class Genre(models.TextChoices):
    """体裁分类: the 15 公文文种 of 《党政机关公文处理工作条例》 plus 其他 (rules note §4.6)."""

    RESOLUTION = "resolution", _("决议")
    DECISION = "decision", _("决定")
    ORDER = "order", _("命令（令）")
    COMMUNIQUE = "communique", _("公报")
    ANNOUNCEMENT = "announcement", _("公告")
    PUBLIC_NOTICE = "public_notice", _("通告")
    OPINION = "opinion", _("意见")
    NOTICE = "notice", _("通知")
    CIRCULAR = "circular", _("通报")
    REPORT = "report", _("报告")
    REQUEST = "request", _("请示")
    REPLY = "reply", _("批复")
    MOTION = "motion", _("议案")
    LETTER = "letter", _("函")
    MINUTES = "minutes", _("纪要")
    OTHER = "other", _("其他")


class PolicyKind(models.TextChoices):
    """文件类型 in the policy library; an empty value means the item is not a policy document."""

    NONE = "", _("非政策文件")
    RULE = "rule", _("规章")
    NORMATIVE = "normative", _("行政规范性文件")
    OTHER = "other", _("其他政策文件")


class Audience(models.Model):
    """服务对象 (e.g. 企业, 公众); multi-valued on items."""

    name = models.CharField(_("名称"), max_length=40, unique=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("服务对象")
        verbose_name_plural = _("服务对象")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class Column(models.Model):
    """A catalogue column: a node of the 主动公开基本目录, a 专题专栏 or a news/notice column."""

    class Kind(models.TextChoices):
        CATALOGUE = "catalogue", _("主动公开基本目录")
        SPECIAL = "special", _("专题专栏")
        NEWS = "news", _("动态要闻")
        NOTICE = "notice", _("通知公告")
        POLICY = "policy", _("政策文件")

    name = models.CharField(_("栏目名称"), max_length=100)
    slug = models.SlugField(_("栏目标识"), max_length=80, unique=True, allow_unicode=False)
    kind = models.CharField(_("栏目类型"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级栏目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("所属机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="columns",
        help_text=_("为空表示全平台栏目。"),
    )
    description = models.TextField(_("栏目说明"), blank=True)
    update_period_days = models.PositiveIntegerField(
        _("更新周期（天）"),
        null=True,
        blank=True,
        help_text=_("网站自查：超过该天数未更新即提示；动态要闻 14 天，通知公告/政策文件 180 天。"),
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("栏目")
        verbose_name_plural = _("栏目")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class IndexSequence(models.Model):
    """The last 索引号 serial of an organisation in a year; locked while incremented."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveIntegerField()
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="index_seq_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}: {self.last_serial}"


class InformationItem(Revisable):
    """One piece of government information with the metadata of the 政府信息公开目录.

    Publishable (``core.publishable``): status, 发布日期, 创建人 and the 修订稿 link come from
    the base; the item keeps its own verbose names and indexes on them, and adds what only it
    has — 定时发布时间 and 公开属性.
    """

    class Disclosure(models.TextChoices):
        PROACTIVE = "proactive", _("主动公开")
        ON_REQUEST = "on_request", _("依申请公开")
        WITHHELD = "withheld", _("不予公开")

    class Validity(models.TextChoices):
        VALID = "valid", _("有效")
        EXPIRED = "expired", _("失效")
        REPEALED = "repealed", _("废止")
        AMENDED = "amended", _("已修改")

    # Unique among live items only (constraint below): a 修订稿 carries its live item's 索引号.
    index_number = models.CharField(_("索引号"), max_length=64, db_index=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("发布机构"),
        on_delete=models.PROTECT,
        related_name="items",
    )
    unit = models.ForeignKey(
        "accounts.InternalUnit",
        verbose_name=_("起草科室"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="items",
    )
    title = models.CharField(_("信息名称"), max_length=300)
    doc_number = models.CharField(_("文号"), max_length=100, blank=True)
    written_date = models.DateField(_("成文日期"), null=True, blank=True)
    published_date = models.DateField(_("发布日期"), null=True, blank=True, db_index=True)
    scheduled_at = models.DateTimeField(_("定时发布时间"), null=True, blank=True)
    topic = models.ForeignKey(
        TopicCategory,
        verbose_name=_("主题分类"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
    )
    genre = models.CharField(_("体裁分类"), max_length=20, choices=Genre.choices, blank=True)
    audiences = models.ManyToManyField(
        Audience, verbose_name=_("服务对象"), blank=True, related_name="items"
    )
    keywords = models.CharField(_("关键词"), max_length=200, blank=True)
    summary = models.TextField(_("内容概述"), blank=True)
    body = models.TextField(_("正文"), blank=True)
    body_text = models.TextField(_("正文纯文本"), blank=True, editable=False)
    disclosure = models.CharField(
        _("公开属性"), max_length=20, choices=Disclosure.choices, default=Disclosure.PROACTIVE
    )
    disclosure_reason = models.TextField(_("不公开理由"), blank=True)
    validity = models.CharField(
        _("有效性"), max_length=20, choices=Validity.choices, default=Validity.VALID
    )
    validity_date = models.DateField(_("有效性变更日期"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("替代或修改文件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
    )
    policy_kind = models.CharField(
        _("文件类型"), max_length=20, choices=PolicyKind.choices, blank=True, default=""
    )
    # 行政规范性文件 (国办发〔2018〕37号): 统一登记、统一编号, a set 施行日期 and 有效期.
    effective_date = models.DateField(_("施行日期"), null=True, blank=True)
    expiry_date = models.DateField(_("有效期至"), null=True, blank=True)
    registration_number = models.CharField(_("统一登记号"), max_length=64, blank=True)
    columns = models.ManyToManyField(
        Column, verbose_name=_("所属栏目"), blank=True, related_name="items"
    )
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=ContentStatus.choices,
        default=ContentStatus.DRAFT,
        db_index=True,
    )
    external_id = models.CharField(_("外部编号"), max_length=100, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # 修订稿 (ADR 0005): a working copy of a published item through which its corrections go
    # through review; never published itself, its content replaces the live item's on approval.
    revision_of = models.ForeignKey(
        "self",
        verbose_name=_("修订的信息"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.CASCADE,
        related_name="revisions",
    )

    class Meta:
        verbose_name = _("政府信息")
        verbose_name_plural = _("政府信息")
        ordering = ["-published_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["index_number"],
                condition=models.Q(revision_of__isnull=True),
                name="item_index_number_unique",
            ),
            models.UniqueConstraint(
                fields=["revision_of"],
                condition=models.Q(revision_of__isnull=False, revision_closed_at__isnull=True),
                name="item_one_open_revision",
            ),
            models.UniqueConstraint(
                fields=["external_id"],
                condition=models.Q(external_id__isnull=False),
                name="item_external_id_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(disclosure="proactive") | ~models.Q(disclosure_reason=""),
                name="item_non_public_needs_reason",
            ),
        ]
        indexes = [
            models.Index(
                fields=["status", "disclosure", "-published_date"], name="item_public_idx"
            ),
            models.Index(fields=["organisation", "status"], name="item_org_status_idx"),
            models.Index(fields=["policy_kind", "status"], name="item_policy_idx"),
            # Covers the policy-library facet counts, so they never read the item rows
            # (with their long bodies): 15 s → 3.5 s at 200,000 items on SQLite.
            models.Index(
                fields=[
                    "status",
                    "disclosure",
                    "policy_kind",
                    "published_date",
                    "organisation",
                    "topic",
                    "validity",
                ],
                name="item_public_facet_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.disclosure == self.Disclosure.PROACTIVE

    @property
    def is_policy(self) -> bool:
        return bool(self.policy_kind)

    @property
    def validity_banner_text(self) -> str:
        """The 失效/废止/已修改 notice for the item page ("" while 有效); see selectors."""
        from .selectors import validity_banner

        banner = validity_banner(self)
        return banner.text if banner else ""


def attachment_path(instance: "Attachment", filename: str) -> str:
    return f"attachments/{instance.sha256[:2]}/{instance.sha256}/{filename}"


class Attachment(models.Model):
    class FileKind(models.TextChoices):
        PDF = "pdf", "PDF"
        OFD = "ofd", "OFD"
        DOCX = "docx", "Word"
        DOC = "doc", "Word 97-2003"
        XLSX = "xlsx", "Excel"
        XLS = "xls", "Excel 97-2003"
        PNG = "png", "PNG"
        JPEG = "jpeg", "JPEG"
        GIF = "gif", "GIF"

    item = models.ForeignKey(
        InformationItem,
        verbose_name=_("信息"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("文件名"), max_length=255)
    file_kind = models.CharField(_("文件类型"), max_length=10, choices=FileKind.choices)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    extracted_text = models.TextField(_("提取文本"), blank=True)
    is_original = models.BooleanField(
        _("原文"),
        default=False,
        help_text=_("发文机关印发文件的PDF或OFD版式原文，在信息页面正文旁提供下载。"),
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.original_name


class Page(TimeStampedModel):
    """Editable static pages of the 政府信息公开专栏, such as 公开指南 and 公开制度."""

    slug = models.SlugField(_("页面标识"), max_length=60)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("所属机构"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="pages",
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)

    class Meta:
        verbose_name = _("专栏页面")
        verbose_name_plural = _("专栏页面")
        constraints = [
            models.UniqueConstraint(fields=["slug", "organisation"], name="page_unique_slug")
        ]

    def __str__(self) -> str:
        return self.title
