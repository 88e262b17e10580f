"""Interpretations (政策解读) and the policy Q&A knowledge base (政策问答知识库)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import TimeStampedModel
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


# ---------------------------------------------------------------------------------------------
# 政策兑现 (政策手册): who can benefit from a policy and how to apply; 政策找人 profiles (issue 14)
# ---------------------------------------------------------------------------------------------


class EnterpriseScale(models.TextChoices):
    """企业规模 (the four sizes of 《统计上大中小微型企业划分办法》)."""

    LARGE = "large", _("大型")
    MEDIUM = "medium", _("中型")
    SMALL = "small", _("小型")
    MICRO = "micro", _("微型")


class Qualification(models.Model):
    """An enterprise qualification a policy may require (高新技术企业 …); an editable list."""

    name = models.CharField(_("资质名称"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("企业资质")
        verbose_name_plural = _("企业资质")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class PolicyConditions(TimeStampedModel):
    """申报条件 and 兑现 information of one policy document (or of its 修订稿).

    An empty list or ``None`` means "no condition". ``has_*`` flags and the comma-wrapped
    ``scales`` string let the 政策找人 prefilter run in SQL (``selectors.match_candidates``).
    """

    item = models.OneToOneField(
        "catalogue.InformationItem",
        verbose_name=_("政策文件"),
        on_delete=models.CASCADE,
        related_name="conditions",
    )
    regions = models.ManyToManyField(
        "accounts.Organisation",
        verbose_name=_("适用地区（含下级机构）"),
        blank=True,
        related_name="+",
    )
    has_regions = models.BooleanField(default=False, editable=False)
    # GB/T 4754-2017 codes (section letter + 0/2/3/4 digits), kept in order as entered.
    industries = models.JSONField(_("适用行业"), default=list, blank=True)
    has_industries = models.BooleanField(default=False, editable=False)
    # ",small,micro," — empty string when any scale qualifies.
    scales = models.CharField(_("企业规模"), max_length=40, blank=True, default="")
    min_years = models.PositiveSmallIntegerField(_("最低成立年限"), null=True, blank=True)
    qualifications = models.ManyToManyField(
        Qualification, verbose_name=_("所需资质"), blank=True, related_name="+"
    )
    has_qualifications = models.BooleanField(default=False, editable=False)
    apply_from = models.DateField(_("申报开始日期"), null=True, blank=True)
    apply_until = models.DateField(_("申报截止日期"), null=True, blank=True)
    procedure = models.TextField(_("申报流程"), blank=True)
    materials = models.TextField(_("申报材料"), blank=True)
    office = models.CharField(_("受理科室"), max_length=200, blank=True)
    phone = models.CharField(_("咨询电话"), max_length=60, blank=True)
    redemption = models.TextField(_("兑现方式"), blank=True)
    amount = models.CharField(_("兑现金额"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("政策兑现信息")
        verbose_name_plural = _("政策兑现信息")

    def __str__(self) -> str:
        return str(self.item)

    @property
    def scale_list(self) -> list[str]:
        return [s for s in self.scales.split(",") if s]

    @property
    def industry_labels(self) -> list[str]:
        from .industries import code_label

        return [code_label(c) for c in self.industries]

    @property
    def scale_labels(self) -> list[str]:
        labels = dict(EnterpriseScale.choices)
        return [str(labels[s]) for s in self.scale_list if s in labels]


class PolicyIndustry(models.Model):
    """One industry code of a policy's conditions, indexed for the prefix prefilter."""

    conditions = models.ForeignKey(
        PolicyConditions, on_delete=models.CASCADE, related_name="industry_rows"
    )
    code = models.CharField(max_length=5, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conditions", "code"], name="policy_industry_unique")
        ]

    def __str__(self) -> str:
        return self.code


class MatchProfile(TimeStampedModel):
    """政策找人: an enterprise's (or a person's) profile, one per account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="match_profile"
    )
    name = models.CharField(_("企业（个人）名称"), max_length=200)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    region = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("所在地区"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    industry = models.CharField(_("行业代码"), max_length=5, blank=True)
    scale = models.CharField(
        _("企业规模"), max_length=10, choices=EnterpriseScale.choices, blank=True
    )
    established = models.DateField(_("成立日期"), null=True, blank=True)
    qualifications = models.ManyToManyField(
        Qualification, verbose_name=_("已有资质"), blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("政策找人档案")
        verbose_name_plural = _("政策找人档案")

    def __str__(self) -> str:
        return self.name


class PolicyFacetEntry(models.Model):
    """What one public policy adds to ``PolicyFacetCount``: kept so that a change or a
    withdrawal subtracts exactly what the item added before (``facet_counts``)."""

    # No foreign key: a deleted item's contribution must still be found and subtracted.
    item_id = models.BigIntegerField(primary_key=True)
    scopes = models.PositiveSmallIntegerField()
    values = models.JSONField()

    class Meta:
        verbose_name = _("政策库分面条目")
        verbose_name_plural = _("政策库分面条目")

    def __str__(self) -> str:
        return f"{self.item_id}"


class PolicyFacetCount(models.Model):
    """Maintained counts of the policy library's facets (issue 17 item 4; ADR 0015).

    Per library scope, one row per facet value (``key2`` empty: how many public policies have
    it) and one per pair of values of two facets (how many have both): enough to answer the
    library with no selection, or with a selection in one facet, without scanning the
    documents. Written only by ``facet_counts``."""

    scope = models.CharField(max_length=12)
    key = models.CharField(max_length=12)
    value = models.CharField(max_length=32)
    key2 = models.CharField(max_length=12, blank=True)
    value2 = models.CharField(max_length=32, blank=True)
    n = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("政策库分面计数")
        verbose_name_plural = _("政策库分面计数")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "key", "value", "key2", "value2"], name="policy_facet_count_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}={self.value} {self.key2}={self.value2}: {self.n}"
