"""Tables of structured disclosure.

清单: an ``Entry`` (事项) is the identity of one line of one organisation's list; its content
lives in ``EntryVersion`` rows, each valid from one date to the next (``valid_to`` exclusive,
empty while current). Every change is an ``Adjustment`` (动态调整: 新增, 取消, 下放, 变更) —
the reviewed content: once the review chain publishes it, it closes the current version and/or
opens the next one from its 调整日期. So the list as it was on any date is the versions valid
on that date (``selectors.list_as_of``).

整改台账: a ``Rectification`` is one problem to fix (from 第三方测评, 上级通报 or our own 网站自查),
closed (销号) only by a 政务公开管理员.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.status import ContentStatus

from .assessment import Measure
from .kinds import Action, ListKind, PowerCategory
from .projects import Phase, Stage


class EntryFields(models.Model):
    """The content columns of a list entry (which apply depends on the list kind, ``kinds``)."""

    name = models.CharField(_("事项名称"), max_length=300)
    category = models.CharField(_("类别"), max_length=10, choices=PowerCategory.choices, blank=True)
    basis = models.TextField(_("设定依据"), blank=True)
    implementer = models.CharField(_("实施主体"), max_length=200, blank=True)
    duties = models.TextField(_("责任事项"), blank=True)
    accountability = models.TextField(_("追责情形"), blank=True)
    standard = models.TextField(_("收费标准"), blank=True)
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        abstract = True


class Entry(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("机构"),
        on_delete=models.PROTECT,
        related_name="register_entries",
    )
    list_kind = models.CharField(_("清单类型"), max_length=20, choices=ListKind.choices)
    code = models.CharField(_("事项编码"), max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("清单事项")
        verbose_name_plural = _("清单事项")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "list_kind", "code"], name="register_entry_code_unique"
            )
        ]

    def __str__(self) -> str:
        return self.code


class Adjustment(EntryFields):
    """One 动态调整 of a list: reviewed, and applied to the list when published."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("机构"),
        on_delete=models.PROTECT,
        related_name="register_adjustments",
    )
    list_kind = models.CharField(_("清单类型"), max_length=20, choices=ListKind.choices)
    action = models.CharField(_("调整类型"), max_length=10, choices=Action.choices)
    entry = models.ForeignKey(
        Entry,
        verbose_name=_("调整的事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adjustments",
    )
    effective_date = models.DateField(_("调整日期"))
    reason = models.TextField(_("调整理由"))
    legal_basis = models.TextField(_("调整依据"))
    delegated_to = models.CharField(_("下放至"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=ContentStatus.choices, default=ContentStatus.DRAFT
    )
    published_date = models.DateField(_("发布日期"), null=True, blank=True)
    applied_at = models.DateTimeField(_("生效写入时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("清单动态调整")
        verbose_name_plural = _("清单动态调整")
        indexes = [models.Index(fields=["organisation", "list_kind", "status"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()}：{self.name}"


class EntryVersion(EntryFields):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="versions")
    adjustment = models.OneToOneField(
        Adjustment, null=True, blank=True, on_delete=models.PROTECT, related_name="version"
    )
    valid_from = models.DateField(_("起始日期"))
    valid_to = models.DateField(_("截止日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("清单事项版本")
        verbose_name_plural = _("清单事项版本")
        ordering = ["entry_id", "valid_from", "id"]
        indexes = [models.Index(fields=["entry", "valid_from"])]

    def __str__(self) -> str:
        return self.name


class Rectification(models.Model):
    """整改台账: one problem, its 牵头/配合 units, deadline, measures, evidence and 销号."""

    class Source(models.TextChoices):
        THIRD_PARTY = "third_party", _("第三方测评")
        SUPERIOR = "superior", _("上级通报")
        SELF_INSPECTION = "self_inspection", _("网站自查")

    class State(models.TextChoices):
        OPEN = "open", _("整改中")
        DONE = "done", _("已整改待销号")
        CLOSED = "closed", _("已销号")

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("机构"),
        on_delete=models.PROTECT,
        related_name="rectifications",
    )
    source = models.CharField(_("问题来源"), max_length=20, choices=Source.choices)
    source_ref = models.CharField(_("来源编号"), max_length=100, blank=True)
    source_label = models.CharField(_("来源说明"), max_length=300, blank=True)
    problem = models.TextField(_("问题描述"))
    found_on = models.DateField(_("发现日期"))
    lead_unit = models.CharField(_("牵头单位"), max_length=200)
    supporting_units = models.CharField(_("配合单位"), max_length=500, blank=True)
    deadline = models.DateField(_("整改期限"))
    period_workdays = models.PositiveSmallIntegerField(
        _("整改时限（工作日）"), null=True, blank=True
    )
    measures = models.TextField(_("整改措施"), blank=True)
    evidence = models.TextField(_("整改佐证"), blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.OPEN)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("销号人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改台账")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "source_ref"],
                condition=~models.Q(source_ref=""),
                name="rectification_source_ref_unique",
            )
        ]

    def __str__(self) -> str:
        return self.problem[:60]


class Project(models.Model):
    """A 重大建设项目 (国办发〔2017〕94号): basic data, reviewed and published like other content;
    its information by stage is in ``ProjectStageItem`` rows (each reviewed on its own)."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("发布机构"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    name = models.CharField(_("项目名称"), max_length=300)
    owner = models.CharField(_("项目单位"), max_length=200)
    location = models.CharField(_("建设地点"), max_length=300)
    district = models.CharField(_("所属区县"), max_length=100)
    industry = models.CharField(_("所属行业"), max_length=100)
    investment = models.DecimalField(_("总投资（万元）"), max_digits=14, decimal_places=2)
    phase = models.CharField(_("建设进程"), max_length=20, choices=Phase.choices)
    year = models.PositiveSmallIntegerField(_("年份"))
    involves_land = models.BooleanField(_("涉及征收土地"), default=False)
    summary = models.TextField(_("建设内容"), blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=ContentStatus.choices, default=ContentStatus.DRAFT
    )
    published_date = models.DateField(_("发布日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("重大建设项目")
        verbose_name_plural = _("重大建设项目")
        indexes = [models.Index(fields=["status", "phase", "year"])]

    def __str__(self) -> str:
        return self.name


class ProjectStageItem(models.Model):
    """One piece of a project's information at one stage: a link or an uploaded file."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="stage_items"
    )
    stage = models.CharField(_("阶段"), max_length=20, choices=Stage.choices)
    title = models.CharField(_("信息名称"), max_length=300)
    item_date = models.DateField(_("日期"))
    url = models.URLField(_("链接"), max_length=1000, blank=True)
    file = models.FileField(_("附件"), upload_to="projects/%Y/", blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=ContentStatus.choices, default=ContentStatus.DRAFT
    )
    published_date = models.DateField(_("发布日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("项目阶段信息")
        verbose_name_plural = _("项目阶段信息")
        ordering = ["item_date", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def organisation(self) -> Any:
        return self.project.organisation

    @property
    def organisation_id(self) -> int:
        return self.project.organisation_id


class PublishableBase(models.Model):
    """Review state of the small published records below (双随机一公开, 建议提案)."""

    status = models.CharField(
        _("状态"), max_length=20, choices=ContentStatus.choices, default=ContentStatus.DRAFT
    )
    published_date = models.DateField(_("发布日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class SpotCheckMatter(PublishableBase):
    """随机抽查事项清单: one matter an organisation checks by 双随机 (random object, random
    inspector), with its basis, the objects and the way it is checked."""

    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("机构"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("抽查事项"), max_length=300)
    basis = models.TextField(_("抽查依据"))
    targets = models.CharField(_("抽查对象"), max_length=300)
    method = models.CharField(_("抽查方式"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("随机抽查事项")
        verbose_name_plural = _("随机抽查事项清单")

    def __str__(self) -> str:
        return self.name


class SpotCheckPlan(PublishableBase):
    """A yearly 双随机 plan (抽查计划); its results are published per plan."""

    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("机构"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("计划名称"), max_length=300)
    body = models.TextField(_("计划内容"), blank=True)

    class Meta:
        verbose_name = _("抽查计划")
        verbose_name_plural = _("抽查计划")

    def __str__(self) -> str:
        return self.title


class SpotCheckResult(PublishableBase):
    """One published result of a plan: 对象, 事项, 结果, 处理."""

    plan = models.ForeignKey(
        SpotCheckPlan, verbose_name=_("抽查计划"), on_delete=models.CASCADE, related_name="results"
    )
    target = models.CharField(_("抽查对象"), max_length=300)
    matter = models.CharField(_("抽查事项"), max_length=300)
    checked_on = models.DateField(_("抽查日期"))
    result = models.CharField(_("抽查结果"), max_length=300)
    handling = models.TextField(_("处理情况"), blank=True)

    class Meta:
        verbose_name = _("抽查结果")
        verbose_name_plural = _("抽查结果")
        ordering = ["checked_on", "id"]

    def __str__(self) -> str:
        return f"{self.target}：{self.result}"

    @property
    def organisation(self) -> Any:
        return self.plan.organisation


class Proposal(PublishableBase):
    """建议提案办理: a 人大代表建议 or 政协提案 assigned to an organisation (主办) with 协办
    organisations, a deadline and the reply (复文), reviewed, then published in full, as a
    summary, or not (with the reason)."""

    class Kind(models.TextChoices):
        NPC = "npc", _("人大代表建议")
        CPPCC = "cppcc", _("政协提案")

    class Mode(models.TextChoices):
        FULL = "full", _("全文公开")
        SUMMARY = "summary", _("摘要公开")
        NONE = "none", _("不公开")

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("主办单位"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    co_organisations = models.ManyToManyField(
        "accounts.Organisation", verbose_name=_("协办单位"), blank=True, related_name="+"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    number = models.CharField(_("编号"), max_length=50)
    title = models.CharField(_("标题"), max_length=300)
    proposer = models.CharField(_("提出人"), max_length=200)
    received_on = models.DateField(_("交办日期"))
    deadline = models.DateField(_("办理期限"))
    reply = models.TextField(_("复文"), blank=True)
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)
    mode = models.CharField(_("公开方式"), max_length=10, choices=Mode.choices, default=Mode.FULL)
    summary = models.TextField(_("复文摘要"), blank=True)
    not_published_reason = models.TextField(_("不公开理由"), blank=True)

    class Meta:
        verbose_name = _("建议提案")
        verbose_name_plural = _("建议提案")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "number"], name="proposal_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class WorkTask(models.Model):
    """政务公开工作台账: one task of the year's 工作要点, with lead and supporting units."""

    class State(models.TextChoices):
        ONGOING = "ongoing", _("推进中")
        DONE = "done", _("已完成")

    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("机构"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("工作任务"), max_length=500)
    source = models.CharField(_("任务来源"), max_length=300, blank=True)
    lead_unit = models.CharField(_("牵头单位"), max_length=200)
    supporting_units = models.CharField(_("配合单位"), max_length=500, blank=True)
    deadline = models.DateField(_("完成时限"), null=True, blank=True)
    progress = models.TextField(_("进展情况"), blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.ONGOING)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("工作任务")
        verbose_name_plural = _("政务公开工作台账")

    def __str__(self) -> str:
        return self.title


class TrainingRecord(models.Model):
    """One 政务公开业务培训 (the self-inspection asks for at least one a year)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("机构"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("培训日期"))
    topic = models.CharField(_("培训主题"), max_length=300)
    audience = models.CharField(_("培训对象"), max_length=300)
    participants = models.PositiveIntegerField(_("参训人数"), null=True, blank=True)
    materials = models.TextField(_("培训材料"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("培训记录")
        verbose_name_plural = _("培训记录")

    def __str__(self) -> str:
        return self.topic


class AssessmentTemplate(models.Model):
    """A 考核/测评 checklist: its items, their weights and maximum scores."""

    name = models.CharField(_("指标体系名称"), max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("考核指标体系")
        verbose_name_plural = _("考核指标体系")

    def __str__(self) -> str:
        return self.name


class AssessmentItem(models.Model):
    template = models.ForeignKey(AssessmentTemplate, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("指标"), max_length=200)
    measure = models.CharField(_("计分方式"), max_length=30, choices=Measure.choices)
    max_score = models.DecimalField(_("满分"), max_digits=6, decimal_places=1)
    weight = models.DecimalField(_("权重"), max_digits=4, decimal_places=2, default=1)
    target = models.DecimalField(_("标准值"), max_digits=6, decimal_places=1, null=True, blank=True)

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["template_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["template", "order"], name="assessment_item_order")
        ]

    def __str__(self) -> str:
        return self.title


class Assessment(models.Model):
    """One organisation's self-assessment of one year."""

    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("机构"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    template = models.ForeignKey(AssessmentTemplate, on_delete=models.PROTECT, related_name="+")
    computed_at = models.DateTimeField(_("自动计分时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("考核自评")
        verbose_name_plural = _("考核自评")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="assessment_org_year")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"


class AssessmentScore(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(AssessmentItem, on_delete=models.PROTECT, related_name="+")
    figure = models.CharField(_("平台数据"), max_length=100, blank=True)
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=1, null=True, blank=True)
    note = models.TextField(_("评分说明"), blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("考核得分")
        verbose_name_plural = _("考核得分")
        ordering = ["item__order"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="assessment_score_item")
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.score}"
