"""依申请公开 cases and everything that happens to them (条例第二十七条至第四十五条).

No workflow lives here: `services.py` moves a case between statuses and writes a `CaseEvent`
for every step. The annual-report generator counts `Case.applicant_type`, `received_date`,
`closed_date` and `outcome`, so those names and codes are a contract.
"""

from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core import crypto
from gongkai.core.models import ProcessEvent
from gongkai.core.status import ContentStatus
from gongkai.core.storage import private_storage, random_file_name
from gongkai.core.text import mask_address, mask_id_number, mask_name, mask_phone


class ApplicantType(models.TextChoices):
    # Same codes as accounts.User.ApplicantType; the annual-report columns (§3.4).
    NATURAL = "natural", _("自然人")
    BUSINESS = "business", _("商业企业")
    RESEARCH = "research", _("科研机构")
    NONPROFIT = "nonprofit", _("社会公益组织")
    LEGAL_SERVICE = "legal_service", _("法律服务机构")
    OTHER = "other", _("其他")


class Channel(models.TextChoices):
    ONLINE = "online", _("网上申请")
    LETTER = "letter", _("信函申请")
    IN_PERSON = "in_person", _("当面申请")
    FAX = "fax", _("传真申请")
    OTHER = "other", _("其他")


class LetterKind(models.TextChoices):
    # 第三十一条 distinguishes mail that is signed for from an ordinary letter.
    SIGNED = "signed", _("需签收的邮寄")
    ORDINARY = "ordinary", _("平常信函")


class IdDocumentType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("居民身份证")
    PASSPORT = "passport", _("护照")
    HK_MACAO_TAIWAN = "hmt_permit", _("港澳台居民居住证/通行证")
    CREDIT_CODE = "credit_code", _("统一社会信用代码证")
    OTHER = "other", _("其他有效证件")


class ProvideForm(models.TextChoices):
    PAPER = "paper", _("纸质")
    EMAIL = "email", _("电子邮件")
    ELECTRONIC = "electronic", _("电子数据")
    INSPECTION = "inspection", _("当面查阅")


class DeliveryMethod(models.TextChoices):
    POST = "post", _("邮寄")
    EMAIL = "email", _("电子邮件")
    PICKUP = "pickup", _("当面领取")
    ONLINE = "online", _("网上获取")
    FAX = "fax", _("传真")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("待确认收到")
    REGISTERED = "registered", _("已登记")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("待补正")
    IN_PROGRESS = "in_progress", _("办理中")
    CONSULTING = "consulting", _("征求意见中")
    AWAITING_FEE = "awaiting_fee", _("待缴费")
    # 第三十五条: the applicant is asked to explain the reasons of a very large request.
    EXPLANATION_REQUESTED = "explanation_requested", _("待说明理由")
    REPLY_REVIEW = "reply_review", _("答复待审核")
    REPLIED = "replied", _("已答复")
    ABANDONED = "abandoned", _("视为放弃")
    CLOSED = "closed", _("终止办理")
    ARCHIVED = "archived", _("已归档")


class Outcome(models.TextChoices):
    """Row numbers and labels of the annual-report table 三 (国办公开办函〔2021〕30号)."""

    DISCLOSED = "1", _("予以公开")
    PARTIAL = "2", _("部分公开（区分处理的，只计这一情形，不计其他情形）")
    REFUSED_STATE_SECRET = "3.1", _("不予公开：属于国家秘密")
    REFUSED_LAW = "3.2", _("不予公开：其他法律行政法规禁止公开")
    REFUSED_SECURITY = "3.3", _("不予公开：危及“三安全一稳定”")
    REFUSED_THIRD_PARTY = "3.4", _("不予公开：保护第三方合法权益")
    REFUSED_INTERNAL = "3.5", _("不予公开：属于三类内部事务信息")
    REFUSED_PROCESS = "3.6", _("不予公开：属于四类过程性信息")
    REFUSED_ENFORCEMENT = "3.7", _("不予公开：属于行政执法案卷")
    REFUSED_QUERY = "3.8", _("不予公开：属于行政查询事项")
    UNAVAILABLE_NOT_HELD = "4.1", _("无法提供：本机关不掌握相关政府信息")
    UNAVAILABLE_NEEDS_MAKING = "4.2", _("无法提供：没有现成信息需要另行制作")
    UNAVAILABLE_UNCLEAR = "4.3", _("无法提供：补正后申请内容仍不明确")
    NOT_HANDLED_PETITION = "5.1", _("不予处理：信访举报投诉类申请")
    NOT_HANDLED_REPEAT = "5.2", _("不予处理：重复申请")
    NOT_HANDLED_PUBLICATION = "5.3", _("不予处理：要求提供公开出版物")
    NOT_HANDLED_MASS = "5.4", _("不予处理：无正当理由大量反复申请")
    NOT_HANDLED_CONFIRM = "5.5", _("不予处理：要求行政机关确认或重新出具已获取信息")
    OTHER_NO_SUPPLEMENT = (
        "6.1",
        _("其他处理：申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    )
    OTHER_UNPAID = (
        "6.2",
        _("其他处理：申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    )
    OTHER = "6.3", _("其他处理：其他")


class ReplyKind(models.TextChoices):
    """Kind of reply (条例第三十五条至第三十九条): chooses the letter, its facts and legal basis.

    The label is the letter's 办理结果 line. The annual-report row each kind is counted in is
    the table ``reply_kinds.KIND_RULES``; ``Case.outcome`` stores that row.
    """

    PROACTIVE_ALREADY = "36.1", _("已主动公开，告知获取的方式和途径")
    DISCLOSED = "1", _("予以公开")
    PARTIAL = "2", _("部分公开")
    REFUSED_STATE_SECRET = "3.1", _("不予公开：属于国家秘密")
    REFUSED_LAW = "3.2", _("不予公开：其他法律行政法规禁止公开")
    REFUSED_SECURITY = "3.3", _("不予公开：危及“三安全一稳定”")
    REFUSED_THIRD_PARTY = "3.4", _("不予公开：保护第三方合法权益")
    REFUSED_INTERNAL = "3.5", _("不予公开：属于三类内部事务信息")
    REFUSED_PROCESS = "3.6", _("不予公开：属于四类过程性信息")
    REFUSED_ENFORCEMENT = "3.7", _("不予公开：属于行政执法案卷")
    SPECIAL_LAW = "36.7", _("有关法律、行政法规对信息的获取有特别规定，告知按规定办理")
    NOT_HELD = "36.4", _("本机关不掌握相关政府信息（经检索该政府信息不存在）")
    NOT_OURS = "36.5", _("不属于本机关负责公开的政府信息")
    NEEDS_MAKING = "4.2", _("无法提供：没有现成信息需要另行制作")
    UNCLEAR = "4.3", _("无法提供：补正后申请内容仍不明确")
    PETITION = "5.1", _("不予处理：信访举报投诉类申请")
    REPEAT = "36.6", _("不予重复处理：重复申请")
    PUBLICATION = "5.3", _("不予处理：要求提供公开出版物")
    MASS = "5.4", _("不予处理：无正当理由大量反复申请")
    CONFIRM = "5.5", _("不予处理：要求行政机关确认或重新出具已获取信息")
    OTHER = "6.3", _("其他处理")


# Outcomes staff choose in a reply letter; 6.1 and 6.2 come from their own workflow steps.
REPLY_OUTCOMES = [
    c for c in Outcome if c not in (Outcome.OTHER_NO_SUPPLEMENT, Outcome.OTHER_UNPAID)
]
DISCLOSED_OUTCOMES = (Outcome.DISCLOSED, Outcome.PARTIAL)
OPEN_STATUSES = (
    Status.SUBMITTED,
    Status.REGISTERED,
    Status.SUPPLEMENT_REQUESTED,
    Status.IN_PROGRESS,
    Status.CONSULTING,
    Status.AWAITING_FEE,
    Status.EXPLANATION_REQUESTED,
    Status.REPLY_REVIEW,
)


class AssistanceKind(models.TextChoices):
    """第四十三条: help for applicants with reading difficulties or visual/hearing impairments."""

    READ_ALOUD = "read_aloud", _("工作人员代为阅读、讲解")
    LARGE_PRINT = "large_print", _("大字版文书")
    SCREEN_READER = "screen_reader", _("读屏软件可读的电子文档")
    SIGN_LANGUAGE = "sign_language", _("手语或文字交流")
    WRITING = "writing", _("代为填写申请")
    OTHER = "other", _("其他帮助")


class Case(models.Model):
    """One 政府信息公开申请 (an application) and its handling."""

    reference = models.CharField(_("申请编号"), max_length=64, unique=True)
    query_code_hash = models.CharField(_("查询码摘要"), max_length=128, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("受理机关"),
        on_delete=models.PROTECT,
        related_name="foi_cases",
    )
    applicant_type = models.CharField(
        _("申请人类型"), max_length=20, choices=ApplicantType.choices, db_index=True
    )
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="foi_cases",
    )
    applicant_name = models.CharField(_("申请人姓名/名称"), max_length=200, blank=True)
    legal_representative = models.CharField(_("法定代表人/负责人"), max_length=100, blank=True)
    contact_person = models.CharField(_("联系人"), max_length=100, blank=True)
    id_document_type = models.CharField(
        _("身份证明类型"), max_length=20, choices=IdDocumentType.choices, blank=True
    )
    id_number_enc = models.TextField(_("证件号码（加密）"), blank=True)
    id_number_index = models.CharField(_("证件号码索引"), max_length=64, blank=True, db_index=True)
    phone_enc = models.TextField(_("联系电话（加密）"), blank=True)
    address_enc = models.TextField(_("通信地址（加密）"), blank=True)
    postcode = models.CharField(_("邮政编码"), max_length=10, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)

    channel = models.CharField(_("申请方式"), max_length=20, choices=Channel.choices)
    letter_kind = models.CharField(
        _("信函类型"), max_length=10, choices=LetterKind.choices, blank=True
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    received_date = models.DateField(_("收到申请之日"), null=True, blank=True, db_index=True)

    info_title = models.CharField(_("所需信息名称"), max_length=300, blank=True)
    info_doc_number = models.CharField(_("文号"), max_length=120, blank=True)
    info_description = models.TextField(_("所需信息的其他特征描述"), blank=True)
    provide_form = models.CharField(
        _("信息的指定提供载体形式"), max_length=20, choices=ProvideForm.choices, blank=True
    )
    delivery_method = models.CharField(
        _("获取信息的方式"), max_length=20, choices=DeliveryMethod.choices, blank=True
    )
    fee_waiver_requested = models.BooleanField(_("申请减免费用"), default=False)
    # 第四十三条: shown to the handler on the case page.
    assistance_needed = models.BooleanField(_("需要阅读或视听方面的帮助"), default=False)
    assistance_kind = models.CharField(
        _("需要的帮助"), max_length=20, choices=AssistanceKind.choices, blank=True
    )
    assistance_note = models.CharField(_("帮助需求说明"), max_length=300, blank=True)

    status = models.CharField(
        _("办理状态"),
        max_length=24,
        choices=Status.choices,
        default=Status.SUBMITTED,
        db_index=True,
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="foi_handled_cases",
    )
    handling_unit = models.ForeignKey(
        "accounts.InternalUnit",
        verbose_name=_("承办科室"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="foi_cases",
    )
    outcome = models.CharField(
        _("办理结果"), max_length=4, choices=Outcome.choices, blank=True, db_index=True
    )
    # The kind of reply (chooses the letter); ``outcome`` is the report row it is counted in.
    reply_kind = models.CharField(
        _("答复类型"), max_length=4, choices=ReplyKind.choices, blank=True
    )
    reply_facts = models.JSONField(_("答复所述事实"), default=dict, blank=True)
    closed_date = models.DateField(_("办结日期"), null=True, blank=True, db_index=True)
    extension_days = models.PositiveSmallIntegerField(_("延期工作日数"), default=0)
    supplement_due = models.DateField(_("补正期限"), null=True, blank=True)
    due_date = models.DateField(_("答复期限"), null=True, blank=True, db_index=True)
    calendar_version = models.CharField(_("工作日历版本"), max_length=64, blank=True)
    deadline_note = models.TextField(_("期限说明"), blank=True)
    # The organisation's own target (``InternalTarget``) beside the statutory ``due_date``.
    difficult = models.BooleanField(_("疑难办件"), default=False)
    internal_due_date = models.DateField(_("内部目标日期"), null=True, blank=True)
    imported = models.BooleanField(_("历史导入"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("政府信息公开申请")
        verbose_name_plural = _("政府信息公开申请")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "status"]),
            # Covering indexes for the annual report (table 三) and the statistics: every case
            # "alive" in a year is found by its 办结日期 range and counted from the index alone.
            models.Index(
                fields=[
                    "closed_date",
                    "received_date",
                    "organisation",
                    "applicant_type",
                    "outcome",
                ],
                name="foi_case_report_idx",
            ),
            models.Index(
                fields=["received_date", "organisation", "channel", "applicant_type"],
                name="foi_case_received_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    # Personal data: stored encrypted, read through these properties only.
    @property
    def id_number(self) -> str:
        return crypto.decrypt(self.id_number_enc)

    @id_number.setter
    def id_number(self, value: str) -> None:
        self.id_number_enc = crypto.encrypt(value)
        self.id_number_index = crypto.blind_index(value)

    @property
    def phone(self) -> str:
        return crypto.decrypt(self.phone_enc)

    @phone.setter
    def phone(self, value: str) -> None:
        self.phone_enc = crypto.encrypt(value)

    @property
    def address(self) -> str:
        return crypto.decrypt(self.address_enc)

    @address.setter
    def address(self, value: str) -> None:
        self.address_enc = crypto.encrypt(value)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def address_masked(self) -> str:
        return mask_address(self.address)

    @property
    def applicant_name_masked(self) -> str:
        if self.applicant_type == ApplicantType.NATURAL:
            return mask_name(self.applicant_name)
        return self.applicant_name

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def requested_info(self) -> str:
        parts = [p for p in (self.info_title, self.info_doc_number) if p]
        return "，".join(parts) or self.info_description[:80]


class InternalTarget(models.Model):
    """An organisation's own 办理时限, shorter than the statutory 20 working days (条例第三十三条):
    一般办件 and 疑难办件 in working days on the same calendar. Optional: without a row a
    case shows the statutory deadline only. It never changes the statutory deadline."""

    organisation = models.OneToOneField(
        "accounts.Organisation",
        verbose_name=_("机构"),
        on_delete=models.CASCADE,
        related_name="foi_internal_target",
    )
    normal_days = models.PositiveSmallIntegerField(_("一般办件（工作日）"), default=7)
    difficult_days = models.PositiveSmallIntegerField(_("疑难办件（工作日）"), default=20)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("依申请公开内部办理目标")
        verbose_name_plural = _("依申请公开内部办理目标")

    def __str__(self) -> str:
        return f"{self.organisation}：{self.normal_days}/{self.difficult_days}"


class CaseEvent(ProcessEvent):
    """One step in a case's life; written in the same transaction as the change it records."""

    class Type(models.TextChoices):
        SUBMITTED = "submitted", _("网上提交申请")
        RECORDED = "recorded", _("登记申请")
        RECEIPT_CONFIRMED = "receipt_confirmed", _("确认收到申请")
        SUPPLEMENT_REQUESTED = "supplement_requested", _("告知补正")
        SUPPLEMENT_RECEIVED = "supplement_received", _("收到补正材料")
        ABANDONED = "abandoned", _("逾期未补正，视为放弃申请")
        ASSIGNED = "assigned", _("分办")
        CONSULTATION_STARTED = "consultation_started", _("发出征求意见")
        CONSULTATION_REPLIED = "consultation_replied", _("收到征求意见答复")
        EXTENDED = "extended", _("延长答复期限")
        FEE_NOTICE_ISSUED = "fee_notice_issued", _("发出收费通知")
        FEE_PAID = "fee_paid", _("已缴纳信息处理费")
        FEE_UNPAID = "fee_unpaid", _("逾期未缴费，不再处理")
        FEE_NOTICE_RECEIVED = "fee_notice_received", _("申请人收到收费通知")
        EXPLANATION_REQUESTED = "explanation_requested", _("要求申请人说明理由")
        EXPLANATION_RECEIVED = "explanation_received", _("收到申请人的说明")
        REPLY_DEFERRED = "reply_deferred", _("确定延迟答复的合理期限")
        REPLY_DRAFTED = "reply_drafted", _("拟定答复")
        REPLY_SUBMITTED = "reply_submitted", _("答复书提交审核")
        REPLY_LEVEL_APPROVED = "reply_level_approved", _("答复书本级审核通过")
        REPLY_RETURNED = "reply_returned", _("答复书被退回修改")
        REPLY_APPROVED = "reply_approved", _("答复书审核通过")
        DELIVERED = "delivered", _("送达答复")
        ARCHIVED = "archived", _("归档")
        PROACTIVE_PROPOSED = "proactive_proposed", _("建议转为主动公开")
        REMINDER_SENT = "reminder_sent", _("到期提醒")
        ADMIN_REVIEW = "admin_review", _("行政复议/诉讼")
        IMPORTED = "imported", _("历史导入")

    # Events the applicant may see on the public status page (no staff-internal steps).
    PUBLIC_TYPES = (
        Type.SUBMITTED,
        Type.RECORDED,
        Type.RECEIPT_CONFIRMED,
        Type.SUPPLEMENT_REQUESTED,
        Type.SUPPLEMENT_RECEIVED,
        Type.ABANDONED,
        Type.CONSULTATION_STARTED,
        Type.CONSULTATION_REPLIED,
        Type.EXTENDED,
        Type.FEE_NOTICE_ISSUED,
        Type.FEE_PAID,
        Type.FEE_UNPAID,
        Type.FEE_NOTICE_RECEIVED,
        Type.EXPLANATION_REQUESTED,
        Type.EXPLANATION_RECEIVED,
        Type.REPLY_DEFERRED,
        Type.DELIVERED,
        Type.ARCHIVED,
    )

    case = models.ForeignKey(
        Case, verbose_name=_("申请"), on_delete=models.CASCADE, related_name="events"
    )
    type = models.CharField(_("事件"), max_length=32, choices=Type.choices)

    class Meta(ProcessEvent.Meta):
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")

    def __str__(self) -> str:
        return f"{self.case_id} {self.date} {self.get_type_display()}"


def case_document_path(instance: "CaseDocument", filename: str) -> str:
    # Private storage, random name: a letter names the applicant and may concern a case still
    # under review, so its path must be neither public nor guessable from the reference.
    return random_file_name(f"foi-letters/{instance.case_id}", filename)


# Where a reply letter stands in the review chain (先审后发): the first four values of the one
# content status (core.status). A letter is never 已发布 on the portal — its final approval makes
# it ready for delivery (送达) — nor 已撤回, so its field offers only these.
LETTER_REVIEW_STATES = (
    ContentStatus.DRAFT,
    ContentStatus.IN_REVIEW,
    ContentStatus.RETURNED,
    ContentStatus.APPROVED,
)


class CaseDocument(models.Model):
    class Kind(models.TextChoices):
        SUPPLEMENT_NOTICE = "supplement_notice", _("补正告知书")
        EXTENSION_NOTICE = "extension_notice", _("延期答复告知书")
        CONSULTATION_LETTER = "consultation_letter", _("征求意见书")
        FEE_NOTICE = "fee_notice", _("收费通知")
        EXPLANATION_NOTICE = "explanation_notice", _("说明理由告知书")
        DEFERRAL_NOTICE = "deferral_notice", _("延迟答复告知书")
        REPLY = "reply", _("政府信息公开申请答复书")
        OTHER = "other", _("其他材料")

    case = models.ForeignKey(
        Case, verbose_name=_("申请"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("文书类型"), max_length=24, choices=Kind.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"), blank=True)
    # Private (GONGKAI_PRIVATE_DIR, no URL): downloaded only through the permission-checked
    # views of the staff case page and the applicant's own pages.
    file = models.FileField(
        _("文件（DOCX）"), upload_to=case_document_path, storage=private_storage, blank=True
    )
    pdf = models.FileField(
        _("文件（PDF）"), upload_to=case_document_path, storage=private_storage, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("拟稿人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Reply letters only (blank for the other documents): the review chain's state.
    review_status = models.CharField(
        _("审核状态"),
        max_length=20,
        choices=[(state.value, state.label) for state in LETTER_REVIEW_STATES],
        blank=True,
    )
    # Derived from the final approval of the review chain (kept for delivery and the records).
    reviewed = models.BooleanField(_("已审核"), default=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    delivered_at = models.DateField(_("送达日期"), null=True, blank=True)
    delivery_method = models.CharField(
        _("送达方式"), max_length=20, choices=DeliveryMethod.choices, blank=True
    )
    superseded = models.BooleanField(_("已被新版本替代"), default=False)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("办理文书")
        verbose_name_plural = _("办理文书")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.title


class Consultation(models.Model):
    """征求意见: a third party (第三十二条) or a co-producing agency (第三十四条)."""

    class Kind(models.TextChoices):
        THIRD_PARTY = "third_party", _("第三方")
        AGENCY = "agency", _("其他行政机关")

    case = models.ForeignKey(
        Case, verbose_name=_("申请"), on_delete=models.CASCADE, related_name="consultations"
    )
    kind = models.CharField(_("征求对象类型"), max_length=20, choices=Kind.choices)
    party = models.CharField(_("征求对象"), max_length=200)
    sent_date = models.DateField(_("发出日期"))
    due_date = models.DateField(_("答复期限"))
    replied_date = models.DateField(_("答复日期"), null=True, blank=True)
    reply = models.TextField(_("答复意见"), blank=True)
    agrees = models.BooleanField(_("同意公开"), null=True, blank=True)

    class Meta:
        verbose_name = _("征求意见")
        verbose_name_plural = _("征求意见")
        ordering = ["sent_date", "id"]

    def __str__(self) -> str:
        return f"{self.case} → {self.party}"


class FeeNotice(models.Model):
    """收费通知 under 《政府信息公开信息处理费管理办法》."""

    class Method(models.TextChoices):
        BY_COUNT = "count", _("按件计收")
        BY_PAGES = "pages", _("按量计收")

    class State(models.TextChoices):
        ISSUED = "issued", _("待缴费")
        PAID = "paid", _("已缴费")
        UNPAID = "unpaid", _("逾期未缴费")

    class Delivery(models.TextChoices):
        # As for the application itself (条例第三十一条, ADR 0003): delivered online or in
        # person, the notice is received the day it is issued; by post, the day the applicant
        # signs for it, recorded later (fee_notice_receipt_record).
        ONLINE = "online", _("网上或电子邮件送达")
        IN_PERSON = "in_person", _("当面送达")
        POST = "post", _("邮寄送达")

    case = models.ForeignKey(
        Case, verbose_name=_("申请"), on_delete=models.CASCADE, related_name="fee_notices"
    )
    method = models.CharField(_("计收方式"), max_length=10, choices=Method.choices)
    quantity = models.PositiveIntegerField(
        _("计费数量"), help_text=_("按件：本月累计件数；按量：页数")
    )
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2)
    issued_date = models.DateField(_("通知日期"))
    delivery = models.CharField(
        _("送达方式"), max_length=10, choices=Delivery.choices, default=Delivery.ONLINE
    )
    # 处理费办法 (as restated by the provinces): the 20 working days to pay run from the day
    # after the applicant *received* the notice. Empty while a posted notice is not yet signed
    # for; pay_due is then empty too (not guessed).
    received_date = models.DateField(_("申请人收到通知日期"), null=True, blank=True)
    pay_due = models.DateField(_("缴费期限"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.ISSUED)
    paid_date = models.DateField(_("缴费日期"), null=True, blank=True)
    # Whether the wait for payment is excluded from the reply period; fixed when the notice is
    # issued (GONGKAI_FOI_FEE_WAIT_EXCLUDED) so a later change of the setting moves no deadline.
    wait_excluded = models.BooleanField(_("缴费期间不计入答复期限"), default=False)

    class Meta:
        verbose_name = _("收费通知")
        verbose_name_plural = _("收费通知")
        ordering = ["issued_date", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.amount}"


class ReplyTemplate(models.Model):
    """Editable reply-letter text per reply kind; an organisation may override the default.

    ``outcome`` holds the ``ReplyKind`` code (the name predates issue 20, when every letter
    was chosen by its report row)."""

    outcome = models.CharField(_("答复类型"), max_length=4, choices=ReplyKind.choices)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("适用机关"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="foi_reply_templates",
        help_text=_("留空表示全部机关通用"),
    )
    body = models.TextField(
        _("答复正文"),
        help_text=_(
            "可用占位符：{applicant} 申请人，{received} 收到日期，{reference} 申请编号，"
            "{info} 所需信息，{organisation} 本机关，{facts} 答复所述事实，"
            "{detail} 经办人补充说明"
        ),
    )
    legal_basis = models.TextField(_("法律依据"), blank=True)
    remedy = models.TextField(
        _("救济途径"),
        blank=True,
        help_text=_("行政复议 60 日、行政诉讼 6 个月为通常期限，请按当地规定核对修改。"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("答复书模板")
        verbose_name_plural = _("答复书模板")
        ordering = ["outcome", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["outcome", "organisation"], name="foi_reply_template_unique"
            ),
            models.UniqueConstraint(
                fields=["outcome"],
                condition=models.Q(organisation__isnull=True),
                name="foi_reply_template_default_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.get_outcome_display()


class AdminReview(models.Model):
    """行政复议 / 行政诉讼 arising from a case (annual-report table 四)."""

    class Kind(models.TextChoices):
        REVIEW = "review", _("行政复议")
        LITIGATION_DIRECT = "litigation_direct", _("行政诉讼（未经复议直接起诉）")
        LITIGATION_AFTER_REVIEW = "litigation_after_review", _("行政诉讼（复议后起诉）")

    class Result(models.TextChoices):
        UPHELD = "upheld", _("结果维持")
        CORRECTED = "corrected", _("结果纠正")
        OTHER = "other", _("其他结果")
        PENDING = "pending", _("尚未审结")

    case = models.ForeignKey(
        Case, verbose_name=_("申请"), on_delete=models.CASCADE, related_name="admin_reviews"
    )
    kind = models.CharField(_("类型"), max_length=30, choices=Kind.choices)
    result = models.CharField(
        _("结果"), max_length=20, choices=Result.choices, default=Result.PENDING
    )
    filed_date = models.DateField(_("立案/申请日期"))
    decided_date = models.DateField(_("审结日期"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("行政复议/诉讼")
        verbose_name_plural = _("行政复议/诉讼")
        ordering = ["filed_date", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.get_kind_display()}"


class ProactiveProposal(models.Model):
    """转主动公开: from an answered application (条例第四十四条) or from the periodic review of
    an item marked 依申请公开/不予公开 (条例第十八条); exactly one of ``case``/``item`` is set."""

    class State(models.TextChoices):
        PENDING = "pending", _("待处理")
        ACCEPTED = "accepted", _("已转主动公开")
        REJECTED = "rejected", _("不予转主动公开")

    case = models.ForeignKey(
        Case,
        verbose_name=_("申请"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="proactive_proposals",
    )
    item = models.ForeignKey(
        "catalogue.InformationItem",
        verbose_name=_("政府信息"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="proactive_proposals",
    )
    reason = models.TextField(_("理由"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decision_note = models.TextField(_("处理意见"), blank=True)
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("转主动公开建议")
        verbose_name_plural = _("转主动公开建议")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(case__isnull=False, item__isnull=True)
                | models.Q(case__isnull=True, item__isnull=False),
                name="proactive_proposal_one_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case or self.item} {self.get_state_display()}"

    @property
    def organisation(self) -> Any:
        return self.case.organisation if self.case_id else self.item.organisation  # type: ignore[union-attr]  # item is set whenever case is not


class ReferenceSequence(models.Model):
    """Per organisation and year counter behind YSQ-2026-000123 (row-locked on allocation)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="foi_refseq_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}: {self.last}"


class CorrectionRequest(models.Model):
    """条例第四十一条: a person asks the agency to correct a government-information record about
    themselves that they can show is inaccurate. Not an 依申请公开 application: it has no row in
    the annual report's table 三 and is counted on the statistics dashboard instead."""

    class State(models.TextChoices):
        RECEIVED = "received", _("待处理")
        FORWARDED = "forwarded", _("已转送有权更正的机关")
        ANSWERED = "answered", _("已答复")

    class Result(models.TextChoices):
        CORRECTED = "corrected", _("审核属实，予以更正")
        NOT_CORRECTED = "not_corrected", _("经审核记录准确或证据不足，不予更正")
        FORWARDED = "forwarded", _("不属于本机关职能范围，已转送有权更正的机关处理")
        REFERRED = "referred", _("不属于本机关职能范围，告知向有权更正的机关提出")

    reference = models.CharField(_("更正申请编号"), max_length=64, unique=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("受理机关"),
        on_delete=models.PROTECT,
        related_name="foi_corrections",
    )
    channel = models.CharField(_("提出方式"), max_length=20, choices=Channel.choices)
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="foi_corrections",
    )
    applicant_name = models.CharField(_("申请人姓名/名称"), max_length=200)
    id_number_enc = models.TextField(_("证件号码（加密）"), blank=True)
    phone_enc = models.TextField(_("联系电话（加密）"), blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    record = models.TextField(_("不准确的政府信息记录"))
    correction = models.TextField(_("要求更正的内容"))
    evidence = models.TextField(_("证明材料说明"))
    received_date = models.DateField(_("收到日期"), db_index=True)
    state = models.CharField(
        _("状态"), max_length=20, choices=State.choices, default=State.RECEIVED, db_index=True
    )
    forwarded_to = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("有权更正的机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    forwarded_to_name = models.CharField(_("有权更正的机关名称"), max_length=200, blank=True)
    forwarded_date = models.DateField(_("转送日期"), null=True, blank=True)
    result = models.CharField(_("处理结果"), max_length=20, choices=Result.choices, blank=True)
    reply = models.TextField(_("答复内容"), blank=True)
    replied_date = models.DateField(_("答复日期"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("政府信息更正申请")
        verbose_name_plural = _("政府信息更正申请")
        ordering = ["-received_date", "-id"]

    def __str__(self) -> str:
        return self.reference

    @property
    def id_number(self) -> str:
        return crypto.decrypt(self.id_number_enc)

    @id_number.setter
    def id_number(self, value: str) -> None:
        self.id_number_enc = crypto.encrypt(value)

    @property
    def phone(self) -> str:
        return crypto.decrypt(self.phone_enc)

    @phone.setter
    def phone(self, value: str) -> None:
        self.phone_enc = crypto.encrypt(value)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def applicant_name_masked(self) -> str:
        return mask_name(self.applicant_name)


def identity_document_path(instance: "IdentityDocument", filename: str) -> str:
    return f"foi-identity/{instance.sha256[:2]}/{instance.sha256}{PurePath(filename).suffix}"


class IdentityDocument(models.Model):
    """A scan of the applicant's identity document (条例第二十九条: 身份证明), uploaded with an
    online application. Stored privately (``gongkai.core.storage``), never under the media root."""

    case = models.ForeignKey(
        Case,
        verbose_name=_("申请"),
        on_delete=models.CASCADE,
        related_name="identity_documents",
    )
    file = models.FileField(
        _("文件"), upload_to=identity_document_path, storage=private_storage, max_length=300
    )
    original_name = models.CharField(_("文件名"), max_length=255)
    file_kind = models.CharField(_("文件类型"), max_length=10)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("身份证明材料")
        verbose_name_plural = _("身份证明材料")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name
