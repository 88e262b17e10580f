"""Public participation: 意见征集 (consultations on drafts, comments, offline input, dispositions,
the 意见采纳情况反馈) and the 重大行政决策事项目录. Tables, choices and constraints only; the
rules are in ``rules.py``, the writes in ``services.py``."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import TimeStampedModel
from gongkai.core.status import ContentStatus

from . import rules


class ConsultationKind(models.TextChoices):
    MAJOR_DECISION = rules.MAJOR_DECISION, _("重大行政决策")
    MARKET_ENTITY = rules.MARKET_ENTITY, _("与市场主体生产经营活动密切相关的文件")
    NORMATIVE = rules.NORMATIVE, _("行政规范性文件")
    OTHER = rules.OTHER, _("其他")


class Consultation(TimeStampedModel):
    """A draft put out for public comment (条例第十五条), published through review."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("征集机构"),
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    title = models.CharField(_("标题"), max_length=300)
    kind = models.CharField(
        _("文件类型"), max_length=20, choices=ConsultationKind.choices, default=rules.OTHER
    )
    draft_text = models.TextField(_("征求意见稿"))
    explanation = models.TextField(_("起草说明"))
    target_group = models.CharField(
        _("征求对象"), max_length=200, blank=True, help_text=_("例如：社会公众、辖区企业。")
    )
    how_to_comment = models.TextField(
        _("意见反馈方式"), blank=True, help_text=_("网上提交以外的方式，例如信函、电子邮件。")
    )
    opens_on = models.DateField(_("开始日期"))
    closes_on = models.DateField(_("截止日期"))
    shortened_reason = models.TextField(
        _("缩短期限的理由"), blank=True, help_text=_("期限短于法定最短期限时必填，随征集公布。")
    )
    closed_at = models.DateTimeField(_("提前截止时间"), null=True, blank=True)
    closed_early_reason = models.TextField(_("提前截止的理由"), blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=ContentStatus.choices, default=ContentStatus.DRAFT
    )
    published_date = models.DateField(_("发布日期"), null=True, blank=True)
    finished_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    final_document = models.ForeignKey(
        "catalogue.InformationItem",
        verbose_name=_("正式文件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultations",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("意见征集")
        verbose_name_plural = _("意见征集")
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gt=models.F("opens_on")),
                name="consultation_closes_after_opening",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status == ContentStatus.PUBLISHED


class Question(models.Model):
    """One question the consultation asks (comments may answer it)."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="questions"
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    text = models.CharField(_("问题"), max_length=500)

    class Meta:
        verbose_name = _("征集问题")
        verbose_name_plural = _("征集问题")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "number"], name="question_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"


class ConsultationAttachment(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("附件名称"), max_length=200)
    file = models.FileField(_("文件"), upload_to="consultations/")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("征集附件")
        verbose_name_plural = _("征集附件")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class Extension(models.Model):
    """A recorded change of the closing day (延期), with its reason."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="extensions"
    )
    previous_closes_on = models.DateField(_("原截止日期"))
    closes_on = models.DateField(_("新截止日期"))
    reason = models.TextField(_("延期理由"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("延期记录")
        verbose_name_plural = _("延期记录")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.previous_closes_on} → {self.closes_on}"


class Disposition(models.TextChoices):
    ADOPTED = rules.ADOPTED, _("采纳")
    PARTLY = rules.PARTLY, _("部分采纳")
    NOT_ADOPTED = rules.NOT_ADOPTED, _("不予采纳")
    ALREADY = rules.ALREADY, _("已有规定")
    OTHER = rules.OTHER_DISPOSITION, _("其他")


class CommentGroup(models.Model):
    """Similar opinions handled together, with one disposition and its reason."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="groups")
    title = models.CharField(_("意见归类"), max_length=300)
    disposition = models.CharField(_("处理意见"), max_length=20, choices=Disposition.choices)
    reason = models.TextField(_("理由"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("意见分组")
        verbose_name_plural = _("意见分组")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class Comment(models.Model):
    """One online comment, on a question or an article of the draft, public or private."""

    class Moderation(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已通过")
        REJECTED = "rejected", _("未通过")

    class RejectReason(models.TextChoices):
        SENSITIVE = "sensitive", _("含有违法违规或不文明内容")
        IRRELEVANT = "irrelevant", _("与征集内容无关")
        ADVERTISING = "advertising", _("广告或重复灌水")
        PRIVACY = "privacy", _("含有他人个人隐私")
        OTHER = "other", _("其他")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="comments"
    )
    question = models.ForeignKey(
        Question,
        verbose_name=_("针对问题"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    article = models.CharField(_("针对条款"), max_length=50, blank=True)
    body = models.TextField(_("意见内容"))
    public_body = models.TextField(_("公开内容"), blank=True, help_text=_("个人信息已遮盖。"))
    is_public = models.BooleanField(_("同意公开"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultation_comments",
    )
    author_name = models.CharField(_("署名"), max_length=150, blank=True)
    as_legal_person = models.BooleanField(_("以法人名义"), default=False)
    legal_person_name = models.CharField(_("单位名称"), max_length=200, blank=True)
    moderation = models.CharField(
        _("审核状态"), max_length=20, choices=Moderation.choices, default=Moderation.PENDING
    )
    flagged_words = models.JSONField(_("命中错敏词"), default=list, blank=True)
    reject_reason = models.CharField(
        _("未通过原因"), max_length=20, choices=RejectReason.choices, blank=True
    )
    reject_note = models.TextField(_("未通过说明"), blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    group = models.ForeignKey(
        CommentGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("意见")
        verbose_name_plural = _("意见")
        ordering = ["submitted_at", "id"]

    def __str__(self) -> str:
        return f"{self.consultation_id}#{self.pk}"

    @property
    def signature(self) -> str:
        if self.as_legal_person and self.legal_person_name:
            return self.legal_person_name
        if not self.author_name:
            return str(_("匿名"))
        return self.author_name[:1] + "**"


class OfflineInput(models.Model):
    """座谈会, 听证会, 实地走访, 问卷 (条例第十四条): recorded with a summary; its opinions count
    in the feedback like online comments."""

    class Method(models.TextChoices):
        SYMPOSIUM = "symposium", _("座谈会")
        HEARING = "hearing", _("听证会")
        VISIT = "visit", _("实地走访")
        SURVEY = "survey", _("问卷调查")
        LETTER = "letter", _("书面征求意见")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="offline_inputs"
    )
    method = models.CharField(_("方式"), max_length=20, choices=Method.choices)
    held_on = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    participants = models.PositiveIntegerField(_("参加人数"), default=0)
    opinions = models.PositiveIntegerField(_("收集意见条数"), default=0)
    summary = models.TextField(_("情况摘要"))
    # 听证会 only (条例第十六条)
    notice_published_on = models.DateField(_("听证公告发布日期"), null=True, blank=True)
    materials_sent_on = models.DateField(_("听证材料送达日期"), null=True, blank=True)
    selection_method = models.TextField(_("参加人遴选办法"), blank=True)
    participant_list = models.TextField(_("参加人名单"), blank=True)
    group = models.ForeignKey(
        CommentGroup,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="offline_inputs",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("线下征求意见")
        verbose_name_plural = _("线下征求意见")
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.held_on}"


class Feedback(TimeStampedModel):
    """意见采纳情况反馈: computed from the dispositions (never typed), published through review.

    ``counts`` and ``non_adoption`` are a snapshot taken by ``feedback_prepare``; the adapter
    refuses to submit or publish a snapshot that no longer equals the dispositions.
    """

    consultation = models.OneToOneField(
        Consultation, on_delete=models.CASCADE, related_name="feedback"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=300)
    summary = models.TextField(_("总体情况"), blank=True)
    counts = models.JSONField(_("采纳情况统计"), default=dict)
    non_adoption = models.JSONField(_("未采纳意见及理由"), default=list)
    offline_summary = models.JSONField(_("线下征求意见情况"), default=list)
    status = models.CharField(
        _("状态"), max_length=20, choices=ContentStatus.choices, default=ContentStatus.DRAFT
    )
    published_date = models.DateField(_("发布日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("意见采纳情况反馈")
        verbose_name_plural = _("意见采纳情况反馈")

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status == ContentStatus.PUBLISHED


# ---------------------------------------------------------------- 重大行政决策事项目录
class DecisionDirectory(TimeStampedModel):
    """The yearly 重大行政决策事项目录 of one government (条例第三条)."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("决策机关"),
        on_delete=models.PROTECT,
        related_name="decision_directories",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    # Published through the review chain (content kind ``decision_directory``).
    status = models.CharField(
        _("状态"), max_length=20, choices=ContentStatus.choices, default=ContentStatus.DRAFT
    )
    published_date = models.DateField(_("公布日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("重大行政决策事项目录")
        verbose_name_plural = _("重大行政决策事项目录")
        ordering = ["-year", "organisation_id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="directory_one_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"

    @property
    def title(self) -> str:
        return _("%(org)s%(year)d年度重大行政决策事项目录") % {
            "org": self.organisation.name,
            "year": self.year,
        }

    @property
    def is_public(self) -> bool:
        return self.status == ContentStatus.PUBLISHED


class Decision(models.Model):
    """One 重大行政决策事项 in a directory."""

    directory = models.ForeignKey(
        DecisionDirectory, on_delete=models.CASCADE, related_name="decisions"
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("决策事项"), max_length=300)
    owner = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("承办单位"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    legal_basis = models.TextField(_("决策依据"))
    planned_time = models.CharField(_("计划完成时间"), max_length=100)
    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("意见征集"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
    )
    decision_document = models.ForeignKey(
        "catalogue.InformationItem",
        verbose_name=_("决策文件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    interpretation = models.ForeignKey(
        "policies.Interpretation",
        verbose_name=_("政策解读"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    removed = models.BooleanField(_("已调出目录"), default=False)

    class Meta:
        verbose_name = _("重大行政决策事项")
        verbose_name_plural = _("重大行政决策事项")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["directory", "number"], name="decision_number")
        ]

    def __str__(self) -> str:
        return self.title


class DecisionStage(models.Model):
    """One procedure stage of a decision, in the order of ``rules.STAGES``."""

    class Stage(models.TextChoices):
        PARTICIPATION = "participation", _("公众参与")
        EXPERT = "expert", _("专家论证")
        RISK = "risk", _("风险评估")
        LEGALITY = "legality", _("合法性审查")
        COLLECTIVE = "collective", _("集体讨论决定")
        ANNOUNCEMENT = "announcement", _("决策公布")
        INTERPRETATION = "interpretation", _("解读")
        EVALUATION = "evaluation", _("执行评估")

    class State(models.TextChoices):
        PENDING = rules.STAGE_PENDING, _("未完成")
        DONE = rules.STAGE_DONE, _("已完成")
        SKIPPED = rules.STAGE_SKIPPED, _("不适用")

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField(_("环节"), max_length=20, choices=Stage.choices)
    position = models.PositiveSmallIntegerField(_("顺序"))
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default="pending")
    started_on = models.DateField(_("开始日期"), null=True, blank=True)
    finished_on = models.DateField(_("完成日期"), null=True, blank=True)
    materials = models.TextField(_("材料"), blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("决策环节")
        verbose_name_plural = _("决策环节")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "stage"], name="decision_stage_once")
        ]

    def __str__(self) -> str:
        return str(self.get_stage_display())


class DirectoryAdjustment(models.Model):
    """An adjustment of a published directory (事项调整: 新增, 调整 or 调出 one decision, with
    its reason). A content kind of its own (``decision_directory_adjustment``): drafted,
    reviewed by the chain (先审后发), and applied to the directory only when published
    (``services.directory_adjustment_publish``). A published adjustment is not withdrawn; a
    mistake is corrected by another adjustment."""

    class Action(models.TextChoices):
        ADD = "add", _("新增事项")
        CHANGE = "change", _("调整事项")
        REMOVE = "remove", _("调出事项")

    directory = models.ForeignKey(
        DecisionDirectory, on_delete=models.CASCADE, related_name="adjustments"
    )
    # The decision adjusted; for 新增 it is set when the adjustment is applied.
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.SET_NULL, related_name="adjustments"
    )
    action = models.CharField(_("调整类型"), max_length=20, choices=Action.choices)
    reason = models.TextField(_("调整理由"))
    # The decision's content after the adjustment (新增, 调整); for 调出 what left the directory.
    title = models.CharField(_("决策事项"), max_length=300, blank=True)
    owner = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("承办单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    legal_basis = models.TextField(_("决策依据"), blank=True)
    planned_time = models.CharField(_("计划完成时间"), max_length=100, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=ContentStatus.choices, default=ContentStatus.DRAFT
    )
    published_date = models.DateField(_("公布日期"), null=True, blank=True)
    applied_at = models.DateTimeField(_("生效写入时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("目录调整")
        verbose_name_plural = _("目录调整")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["directory", "status"], name="directory_adjustment_idx")]

    def __str__(self) -> str:
        return f"{self.get_action_display()}：{self.title or self.reason[:30]}"

    @property
    def organisation(self):  # the chain's and the audit's organisation is the directory's
        return self.directory.organisation

    @property
    def is_public(self) -> bool:
        return self.status == ContentStatus.PUBLISHED


class DecisionVersion(models.Model):
    """What one decision of a published directory said from ``valid_from`` (inclusive) to
    ``valid_to`` (exclusive, empty while current): written when the directory is first
    published and by each published adjustment, so ``selectors.directory_as_of`` shows the
    directory as it stood on any day."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="versions")
    adjustment = models.OneToOneField(
        DirectoryAdjustment,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="version",
    )
    title = models.CharField(_("决策事项"), max_length=300)
    owner = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("承办单位"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    legal_basis = models.TextField(_("决策依据"))
    planned_time = models.CharField(_("计划完成时间"), max_length=100)
    valid_from = models.DateField(_("起始日期"))
    valid_to = models.DateField(_("截止日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("决策事项版本")
        verbose_name_plural = _("决策事项版本")
        ordering = ["decision_id", "valid_from", "id"]
        indexes = [models.Index(fields=["decision", "valid_from"], name="decision_version_idx")]

    def __str__(self) -> str:
        return self.title


# ---------------------------------------------------------------- 政策评价
class EvaluationMethod(models.TextChoices):
    OPEN_DAY = "open_day", _("政府开放日")
    SURVEY = "survey", _("征集调查")
    SYMPOSIUM = "symposium", _("专题座谈")
    INTERVIEW = "interview", _("重点访谈")
    MONITORING = "monitoring", _("舆情监测")
    ONLINE = "online", _("网络问政")


class PolicyEvaluation(TimeStampedModel):
    """政策评价 of one policy: the plan, the methods, the findings; the report is published
    through review and linked to the policy."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("评价机构"),
        on_delete=models.PROTECT,
        related_name="policy_evaluations",
    )
    policy = models.ForeignKey(
        "catalogue.InformationItem",
        verbose_name=_("评价的政策"),
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    title = models.CharField(_("标题"), max_length=300)
    plan = models.TextField(_("评价方案"))
    methods = models.JSONField(_("评价方式"), default=list)
    standard = models.TextField(_("执行标准"), blank=True)
    scope = models.TextField(_("适用范围"), blank=True)
    usage = models.TextField(_("使用情况"), blank=True)
    results = models.TextField(_("取得成效"), blank=True)
    problems = models.TextField(_("存在问题"), blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=ContentStatus.choices, default=ContentStatus.DRAFT
    )
    published_date = models.DateField(_("发布日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("政策评价")
        verbose_name_plural = _("政策评价")
        ordering = ["-published_date", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status == ContentStatus.PUBLISHED

    def method_labels(self) -> list[str]:
        return [
            str(EvaluationMethod(m).label) for m in self.methods if m in EvaluationMethod.values
        ]


class OpenDayEvent(TimeStampedModel):
    """政府开放日: an event the public registers for (often part of a 政策评价)."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("举办机构"),
        on_delete=models.PROTECT,
        related_name="open_days",
    )
    evaluation = models.ForeignKey(
        PolicyEvaluation,
        verbose_name=_("政策评价"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="open_days",
    )
    title = models.CharField(_("活动名称"), max_length=300)
    description = models.TextField(_("活动内容"))
    held_on = models.DateField(_("活动日期"))
    place = models.CharField(_("地点"), max_length=200)
    capacity = models.PositiveIntegerField(_("名额"))
    registration_closes_on = models.DateField(_("报名截止日期"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("政府开放日")
        verbose_name_plural = _("政府开放日")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class OpenDayRegistration(models.Model):
    event = models.ForeignKey(OpenDayEvent, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="open_day_registrations"
    )
    name = models.CharField(_("姓名"), max_length=100)
    phone = models.CharField(_("联系电话"), max_length=20)
    created_at = models.DateTimeField(_("报名时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("开放日报名")
        verbose_name_plural = _("开放日报名")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="open_day_register_once")
        ]

    def __str__(self) -> str:
        return f"{self.event_id}:{self.name}"


class AttendanceRecord(models.Model):
    """公众代表列席: a meeting attended by representatives of the public, with its record."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("会议机构"),
        on_delete=models.PROTECT,
        related_name="attendance_records",
    )
    meeting = models.CharField(_("会议名称"), max_length=300)
    held_on = models.DateField(_("会议日期"))
    representatives = models.TextField(_("列席代表"))
    summary = models.TextField(_("列席情况"))
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.SET_NULL, related_name="attendances"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("公众代表列席")
        verbose_name_plural = _("公众代表列席")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.meeting
