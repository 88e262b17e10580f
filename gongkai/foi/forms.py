"""Forms of 依申请公开: the public application (条例第二十九条) and the staff action forms."""

import re
from datetime import date
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import InternalUnit, Organisation, Role, User
from gongkai.accounts.selectors import organisation_ids_for_role

from .models import (
    AdminReview,
    ApplicantType,
    AssistanceKind,
    Channel,
    Consultation,
    CorrectionRequest,
    DeliveryMethod,
    FeeNotice,
    IdDocumentType,
    LetterKind,
    Outcome,
    ProvideForm,
    ReplyKind,
)

APPLICANT_TYPE_CHOICES = [
    ("", _("请选择")),
    (ApplicantType.NATURAL.value, ApplicantType.NATURAL.label),
    (
        _("法人或其他组织"),
        [(t.value, t.label) for t in ApplicantType if t != ApplicantType.NATURAL],
    ),
]

ID_RE = re.compile(r"^\d{17}[\dX]$")
MOBILE_RE = re.compile(r"^1\d{10}$")
PHONE_RE = re.compile(r"^[\d\-（）() ]{7,20}$")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def resident_id_valid(number: str) -> bool:
    """GB 11643 check digit of an 18-character 居民身份证号码."""
    if not ID_RE.match(number):
        return False
    total = sum(int(c) * w for c, w in zip(number[:17], ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11] == number[17]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ApplicationForm(forms.Form):
    """政府信息公开申请表: the contents 条例第二十九条 requires, nothing more."""

    organisation = forms.ModelChoiceField(
        label=_("受理机关"),
        queryset=Organisation.objects.filter(is_active=True),
        empty_label=_("请选择向哪个机关申请"),
        error_messages={"required": _("请选择受理机关")},
    )
    applicant_type = forms.ChoiceField(
        label=_("申请人类型"),
        choices=APPLICANT_TYPE_CHOICES,
        error_messages={
            "required": _("请选择申请人类型"),
            "invalid_choice": _("申请人类型无效，请从列表中选择"),
        },
    )
    applicant_name = forms.CharField(
        label=_("姓名/名称"),
        max_length=200,
        error_messages={"required": _("请填写申请人姓名或单位名称")},
    )
    legal_representative = forms.CharField(
        label=_("法定代表人/负责人"),
        max_length=100,
        required=False,
        help_text=_("法人或其他组织填写"),
    )
    contact_person = forms.CharField(
        label=_("联系人"), max_length=100, required=False, help_text=_("法人或其他组织填写")
    )
    id_document_type = forms.ChoiceField(
        label=_("身份证明类型"),
        choices=[("", _("请选择")), *IdDocumentType.choices],
        error_messages={"required": _("请选择身份证明类型")},
    )
    id_number = forms.CharField(
        label=_("证件号码"),
        max_length=40,
        error_messages={"required": _("请填写证件号码")},
    )
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    email = forms.EmailField(
        label=_("电子邮箱"),
        required=False,
        error_messages={"invalid": _("请填写有效的电子邮箱地址")},
    )
    address = forms.CharField(label=_("通信地址"), max_length=300, required=False)
    postcode = forms.CharField(label=_("邮政编码"), max_length=10, required=False)
    info_title = forms.CharField(label=_("所需信息的名称"), max_length=300, required=False)
    info_doc_number = forms.CharField(label=_("文号"), max_length=120, required=False)
    info_description = forms.CharField(
        label=_("所需信息的其他特征描述"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("不知道名称和文号时，请描述内容、时间、制作机关等，便于查找"),
    )
    provide_form = forms.ChoiceField(
        label=_("信息的指定提供载体形式"),
        choices=ProvideForm.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择希望以何种形式获取信息")},
    )
    delivery_method = forms.ChoiceField(
        label=_("获取信息的方式"),
        choices=DeliveryMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择获取信息的方式")},
    )

    # 条例第四十三条: help for applicants with reading difficulties or visual/hearing
    # impairments, offered here and shown to the handler.
    assistance_needed = forms.BooleanField(
        label=_("我有阅读困难或者视听障碍，需要帮助"),
        required=False,
        help_text=_("依据条例第四十三条，本机关将为您提供必要的帮助"),
    )
    assistance_kind = forms.ChoiceField(
        label=_("需要的帮助"),
        choices=[("", _("请选择")), *AssistanceKind.choices],
        required=False,
    )
    assistance_note = forms.CharField(
        label=_("其他说明"),
        max_length=300,
        required=False,
        help_text=_("如方便联系的时间、需要的字号等"),
    )

    def clean_id_number(self) -> str:
        return self.cleaned_data["id_number"].strip().upper().replace(" ", "")

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and not (MOBILE_RE.match(phone) or PHONE_RE.match(phone)):
            raise forms.ValidationError(
                _("联系电话格式不正确，请填写11位手机号码或带区号的固定电话")
            )
        return phone

    def clean_postcode(self) -> str:
        code = self.cleaned_data["postcode"].strip()
        if code and not re.match(r"^\d{6}$", code):
            raise forms.ValidationError(_("邮政编码应为6位数字"))
        return code

    def clean(self):
        data = super().clean() or {}
        kind = data.get("applicant_type")
        doc = data.get("id_document_type")
        number = data.get("id_number", "")
        if kind == ApplicantType.NATURAL and doc == IdDocumentType.CREDIT_CODE:
            self.add_error("id_document_type", _("自然人请选择个人身份证件"))
        if kind and kind != ApplicantType.NATURAL and doc and doc != IdDocumentType.CREDIT_CODE:
            self.add_error("id_document_type", _("法人或其他组织请选择“统一社会信用代码证”"))
        if doc == IdDocumentType.RESIDENT_ID and number and not resident_id_valid(number):
            self.add_error("id_number", _("居民身份证号码不正确（应为18位，且校验位正确）"))
        if doc == IdDocumentType.CREDIT_CODE and number and not re.match(r"^[0-9A-Z]{18}$", number):
            self.add_error("id_number", _("统一社会信用代码应为18位数字或大写字母"))
        if not (data.get("phone") or data.get("email")):
            self.add_error("phone", _("请至少填写联系电话或电子邮箱中的一项"))
        if not any(data.get(k) for k in ("info_title", "info_doc_number", "info_description")):
            self.add_error(
                "info_description",
                _("请填写所需信息的名称、文号或者便于查询的其他特征性描述（至少一项）"),
            )
        wants_email = data.get("provide_form") == "email" or data.get("delivery_method") == "email"
        if wants_email and not data.get("email"):
            self.add_error("email", _("选择以电子邮件获取信息的，请填写电子邮箱"))
        if data.get("delivery_method") == "post" and not data.get("address"):
            self.add_error("address", _("选择邮寄的，请填写通信地址"))
        if (data.get("assistance_kind") or data.get("assistance_note")) and not data.get(
            "assistance_needed"
        ):
            self.add_error(
                "assistance_needed", _("选择了需要的帮助，请同时勾选“需要帮助”，或清空帮助方式")
            )
        return data

    def service_data(self) -> dict:
        d = self.cleaned_data
        return {k: d.get(k, "") for k in self.fields if k != "organisation"}


class PublicApplicationForm(ApplicationForm):
    """The portal's application form. ``applicant_kind`` ("natural" or "legal", chosen on the
    page before the form, so no JavaScript is needed) leaves out what the other kind fills in:
    a citizen never sees 法定代表人/联系人, an organisation only offers its credit code."""

    required_css_class = "required"

    KINDS = ("natural", "legal")

    identity_document = forms.FileField(
        label=_("身份证明材料"),
        required=False,
        help_text=_(
            "居民身份证、营业执照等证件的照片或PDF文件，10MB以内；"
            "只用于核实申请人身份，单独保存，不在网站上公开。"
        ),
    )

    def __init__(self, *args: Any, applicant_kind: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from gongkai.accounts.selectors import organisation_tree

        # The 受理机关 in tree order, departments indented under their government.
        self._choice("organisation").choices = [
            ("", _("请选择向哪个机关申请")),
            *[(org.pk, "\u3000" * depth + org.name) for org, depth in organisation_tree()],
        ]
        self.applicant_kind = applicant_kind if applicant_kind in self.KINDS else ""
        natural_ids = [c for c in IdDocumentType.choices if c[0] != IdDocumentType.CREDIT_CODE]
        if self.applicant_kind == "natural":
            self._choice("applicant_type").choices = [
                (ApplicantType.NATURAL.value, ApplicantType.NATURAL.label)
            ]
            self.fields["applicant_type"].initial = ApplicantType.NATURAL.value
            self.fields["applicant_type"].widget = forms.HiddenInput()
            del self.fields["legal_representative"]
            del self.fields["contact_person"]
            self.fields["applicant_name"].label = _("姓名")
            self._choice("id_document_type").choices = [("", _("请选择")), *natural_ids]
        elif self.applicant_kind == "legal":
            self._choice("applicant_type").choices = [
                ("", _("请选择")),
                *[(t.value, t.label) for t in ApplicantType if t != ApplicantType.NATURAL],
            ]
            self.fields["applicant_type"].label = _("单位类型")
            self.fields["applicant_name"].label = _("单位名称")
            self.fields["legal_representative"].help_text = ""
            self.fields["contact_person"].help_text = ""
            self._choice("id_document_type").choices = [
                (IdDocumentType.CREDIT_CODE.value, IdDocumentType.CREDIT_CODE.label)
            ]
            self.fields["id_document_type"].initial = IdDocumentType.CREDIT_CODE.value
            self.fields["id_number"].label = _("统一社会信用代码")

    def clean_identity_document(self) -> Any:
        from .identity import identity_document_check

        uploaded = self.cleaned_data.get("identity_document")
        if not uploaded:
            return None
        try:
            return identity_document_check(uploaded)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc

    def _choice(self, name: str) -> forms.ChoiceField:
        return cast(forms.ChoiceField, self.fields[name])

    def service_data(self) -> dict:
        data = super().service_data()
        data.pop("identity_document", None)
        for name in ("legal_representative", "contact_person"):
            data.setdefault(name, "")
        return data


class RecordForm(ApplicationForm):
    """Staff register an application that came by letter, in person, fax or another way."""

    channel = forms.ChoiceField(
        label=_("申请方式"),
        choices=[("", _("请选择")), *[c for c in Channel.choices if c[0] != Channel.ONLINE]],
        error_messages={"required": _("请选择申请方式")},
    )
    letter_kind = forms.ChoiceField(
        label=_("信函类型"),
        choices=[("", _("（非信函不填）")), *LetterKind.choices],
        required=False,
    )
    arrived = forms.DateField(
        label=_("送达/提交日期"),
        widget=DateInput(),
        error_messages={"required": _("请填写申请送达日期"), "invalid": _("日期格式不正确")},
        help_text=_("当面提交为提交当日；需签收的邮寄为签收之日"),
    )
    confirmed = forms.DateField(
        label=_("与申请人确认日期"),
        widget=DateInput(),
        required=False,
        error_messages={"invalid": _("日期格式不正确")},
        help_text=_("平常信函、传真须填写与申请人确认收到的日期（条例第三十一条）"),
    )

    field_order = ["organisation", "channel", "letter_kind", "arrived", "confirmed"]

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        scope = organisation_ids_for_role(user, Role.FOI_HANDLER, Role.ADMIN)
        qs = Organisation.objects.filter(is_active=True)
        org_field = self.fields["organisation"]
        assert isinstance(org_field, forms.ModelChoiceField)
        org_field.queryset = qs if scope is None else qs.filter(id__in=scope)
        # Applications made in person or by letter may lack contacts the form demands online.
        for name in ("provide_form", "delivery_method"):
            self.fields[name].required = False

    def service_data(self) -> dict:
        data = super().service_data()
        for k in ("channel", "letter_kind", "arrived", "confirmed"):
            data.pop(k, None)
        return data


def _today() -> date:
    return timezone.localdate()


class DateForm(forms.Form):
    on = forms.DateField(
        label=_("日期"),
        widget=DateInput(),
        initial=_today,
        error_messages={"required": _("请填写日期"), "invalid": _("日期格式不正确")},
    )


class SupplementForm(DateForm):
    points = forms.CharField(
        label=_("需要补正的事项（每行一项，一次性告知）"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请填写需要补正的事项")},
    )
    reply_by = forms.DateField(
        label=_("补正期限"),
        widget=DateInput(),
        error_messages={"required": _("请填写补正期限"), "invalid": _("日期格式不正确")},
    )


class ExplanationForm(DateForm):
    """条例第三十五条: ask the applicant to explain (or narrow) a very large request."""

    points = forms.CharField(
        label=_("需要申请人说明的事项（每行一项）"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请写明需要申请人说明的事项")},
    )
    reply_by = forms.DateField(
        label=_("说明期限"),
        widget=DateInput(),
        error_messages={"required": _("请填写说明期限"), "invalid": _("日期格式不正确")},
    )


class ExplanationReceivedForm(DateForm):
    explained = forms.TypedChoiceField(
        label=_("申请人是否说明"),
        choices=[("1", _("已说明理由")), ("0", _("逾期未说明"))],
        coerce=lambda v: v == "1",
        initial="1",
    )
    note = forms.CharField(
        label=_("说明内容摘要"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class AssignForm(forms.Form):
    handler = forms.ModelChoiceField(
        label=_("经办人"),
        queryset=User.objects.none(),
        error_messages={"required": _("请选择经办人")},
    )
    unit = forms.ModelChoiceField(
        label=_("承办科室"), queryset=InternalUnit.objects.none(), required=False
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        handler_field = self.fields["handler"]
        unit_field = self.fields["unit"]
        assert isinstance(handler_field, forms.ModelChoiceField)
        assert isinstance(unit_field, forms.ModelChoiceField)
        handler_field.queryset = User.objects.filter(
            is_active=True,
            roles__organisation=organisation,
            roles__role__in=[Role.FOI_HANDLER, Role.ADMIN],
        ).distinct()
        handler_field.label_from_instance = lambda u: u.get_full_name()  # type: ignore[method-assign,assignment]  # Django documents overriding label_from_instance
        unit_field.queryset = InternalUnit.objects.filter(organisation=organisation)


class ConsultationForm(forms.Form):
    kind = forms.ChoiceField(label=_("征求对象类型"), choices=Consultation.Kind.choices)
    party = forms.CharField(
        label=_("征求对象"), max_length=200, error_messages={"required": _("请填写征求对象")}
    )
    sent_date = forms.DateField(
        label=_("征求意见书送达日期"),
        widget=DateInput(),
        initial=_today,
        error_messages={"required": _("请填写日期"), "invalid": _("日期格式不正确")},
    )


class ConsultationReplyForm(forms.Form):
    consultation = forms.ModelChoiceField(label=_("征求意见"), queryset=Consultation.objects.none())
    replied_date = forms.DateField(
        label=_("答复日期"),
        widget=DateInput(),
        initial=_today,
        error_messages={"required": _("请填写日期"), "invalid": _("日期格式不正确")},
    )
    agrees = forms.NullBooleanField(
        label=_("是否同意公开"),
        widget=forms.Select(
            choices=[
                ("unknown", _("未表态/逾期未答复")),
                ("true", _("同意")),
                ("false", _("不同意")),
            ]
        ),
        required=False,
    )
    reply = forms.CharField(
        label=_("答复意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["consultation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = case.consultations.filter(replied_date__isnull=True)


class ExtendForm(DateForm):
    days = forms.IntegerField(
        label=_("延长工作日数"),
        min_value=1,
        max_value=20,
        error_messages={
            "required": _("请填写延长的工作日数"),
            "max_value": _("延长期限最长不得超过20个工作日"),
            "min_value": _("延长的工作日数必须大于0"),
        },
    )
    reason = forms.CharField(
        label=_("延期理由"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写延期理由")},
    )


class FeeForm(DateForm):
    method = forms.ChoiceField(label=_("计收方式"), choices=FeeNotice.Method.choices)
    pages = forms.IntegerField(label=_("页数（按量计收）"), min_value=1, required=False)
    delivery = forms.ChoiceField(
        label=_("送达方式"),
        choices=FeeNotice.Delivery.choices,
        initial=FeeNotice.Delivery.ONLINE,
        help_text=_("邮寄送达的，缴费期限自申请人签收之次日起计算，签收后请登记签收日期"),
    )


class FeeReceiptForm(forms.Form):
    received_date = forms.DateField(
        label=_("申请人签收收费通知的日期"),
        widget=DateInput(),
        error_messages={"required": _("请填写签收日期"), "invalid": _("日期格式不正确")},
    )


class DeferralForm(forms.Form):
    """条例第三十五条: the reasonable later deadline told to the applicant."""

    due_date = forms.DateField(
        label=_("延迟答复的期限"),
        widget=DateInput(),
        error_messages={"required": _("请填写延迟答复的期限"), "invalid": _("日期格式不正确")},
    )
    reason = forms.CharField(
        label=_("无法在规定期限内答复的原因"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请写明原因")},
    )


def _reply_kind_choices() -> list[tuple[str, Any]]:
    from .reply_kinds import report_row

    return [("", _("请选择"))] + [
        (k.value, f"{k.label}（{_('年报')}：{Outcome(report_row(k.value)).label}）")
        for k in ReplyKind
    ]


class ReplyForm(DateForm):
    """The kind of reply and the facts its letter states (条例第三十六条各项)."""

    # Named "outcome" since the first version; it selects the reply kind (legacy row codes
    # such as 4.1 are accepted and mean their kind).
    outcome = forms.CharField(
        label=_("答复类型"),
        widget=forms.Select(choices=_reply_kind_choices),  # type: ignore[arg-type]  # Select accepts a callable for choices (stubs: iterable)
        error_messages={"required": _("请选择答复类型")},
    )
    detail = forms.CharField(
        label=_("补充说明（理由、获取方式等）"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    index_number = forms.CharField(
        label=_("已主动公开信息的索引号"),
        max_length=64,
        required=False,
        help_text=_("第三十六条第（一）项：答复书写明该信息的名称、公开日期和网址"),
    )
    place = forms.CharField(
        label=_("查阅场所"),
        max_length=200,
        required=False,
        help_text=_("留空则使用本机关的名称和办公地址"),
    )
    searched = forms.CharField(
        label=_("检索范围"),
        max_length=300,
        required=False,
        help_text=_("第三十六条第（四）项：如“本机关2020年以来的收文、发文和档案”"),
    )
    reason = forms.CharField(
        label=_("不属于本机关公开的理由"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("第三十六条第（五）项"),
    )
    responsible = forms.ModelChoiceField(
        label=_("负责公开的机关（从机构列表选择）"),
        queryset=Organisation.objects.filter(is_active=True).order_by("sort_order", "name"),
        required=False,
        empty_label=_("（不在列表中或不能确定）"),
    )
    agency = forms.CharField(
        label=_("负责公开的机关（不在列表中时填写）"), max_length=200, required=False
    )
    agency_contact = forms.CharField(
        label=_("该机关的联系方式"),
        max_length=200,
        required=False,
        help_text=_("从列表选择的机关，留空则使用其登记的电话和地址"),
    )
    previous = forms.CharField(
        label=_("此前的申请编号或答复文号"),
        max_length=100,
        required=False,
        help_text=_("第三十六条第（六）项：重复申请"),
    )
    previous_date = forms.DateField(
        label=_("此前答复日期"),
        widget=DateInput(),
        required=False,
        error_messages={"invalid": _("日期格式不正确")},
    )
    law = forms.CharField(
        label=_("有关法律、行政法规"),
        max_length=200,
        required=False,
        help_text=_("第三十六条第（七）项：如《不动产登记资料查询暂行办法》"),
    )
    procedure = forms.CharField(
        label=_("应当办理的程序"),
        max_length=300,
        required=False,
        help_text=_("如“持身份证明到不动产登记机构申请查询”"),
    )

    FACT_FIELDS = (
        "index_number",
        "place",
        "searched",
        "reason",
        "agency",
        "agency_contact",
        "previous",
        "law",
        "procedure",
    )

    def clean_outcome(self) -> str:
        from .reply_kinds import kind_for

        try:
            return kind_for(self.cleaned_data["outcome"])
        except ValueError:
            raise forms.ValidationError(_("请选择答复类型")) from None

    def facts(self) -> dict[str, str]:
        d = self.cleaned_data
        out = {k: d.get(k) or "" for k in self.FACT_FIELDS}
        if d.get("previous_date"):
            from gongkai.core.text import chinese_date

            out["previous_date"] = chinese_date(d["previous_date"])
        return out


class DeliverForm(DateForm):
    method = forms.ChoiceField(label=_("送达方式"), choices=DeliveryMethod.choices)


class AdminReviewForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=AdminReview.Kind.choices)
    result = forms.ChoiceField(label=_("结果"), choices=AdminReview.Result.choices)
    filed_date = forms.DateField(
        label=_("申请/起诉日期"),
        widget=DateInput(),
        error_messages={"required": _("请填写日期"), "invalid": _("日期格式不正确")},
    )
    decided_date = forms.DateField(
        label=_("审结日期"),
        widget=DateInput(),
        required=False,
        error_messages={"invalid": _("日期格式不正确")},
    )
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ProposalForm(forms.Form):
    reason = forms.CharField(
        label=_("建议转为主动公开的理由"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写理由")},
    )


class StatusQueryForm(forms.Form):
    reference = forms.CharField(
        label=_("申请编号"), max_length=64, error_messages={"required": _("请填写申请编号")}
    )
    code = forms.CharField(
        label=_("查询码"), max_length=16, error_messages={"required": _("请填写查询码")}
    )


class ReplyTemplateForm(forms.Form):
    body = forms.CharField(
        label=_("答复正文"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "可用占位符：{applicant} 申请人，{received} 收到日期，{reference} 申请编号，"
            "{info} 所需信息，{organisation} 本机关，{detail} 经办人补充说明"
        ),
        error_messages={"required": _("请填写答复正文")},
    )
    legal_basis = forms.CharField(label=_("法律依据"), required=False)
    remedy = forms.CharField(
        label=_("救济途径"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("行政复议 60 日、行政诉讼 6 个月为通常期限，请按当地规定核对修改。"),
    )


class CorrectionForm(forms.Form):
    """条例第四十一条: a request to correct an inaccurate record about the applicant."""

    organisation = forms.ModelChoiceField(
        label=_("向哪个机关提出"),
        queryset=Organisation.objects.filter(is_active=True),
        empty_label=_("请选择机关"),
        error_messages={"required": _("请选择受理机关")},
    )
    applicant_name = forms.CharField(
        label=_("姓名/名称"), max_length=200, error_messages={"required": _("请填写姓名或名称")}
    )
    id_number = forms.CharField(
        label=_("证件号码"), max_length=40, error_messages={"required": _("请填写证件号码")}
    )
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    email = forms.EmailField(
        label=_("电子邮箱"),
        required=False,
        error_messages={"invalid": _("请填写有效的电子邮箱地址")},
    )
    record = forms.CharField(
        label=_("不准确的政府信息记录"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("写明记录的名称、位置（如网页地址、文号）和不准确之处"),
        error_messages={"required": _("请写明哪一项政府信息记录不准确")},
    )
    correction = forms.CharField(
        label=_("要求更正为"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请写明要求更正为什么内容")},
    )
    evidence = forms.CharField(
        label=_("证明材料"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("条例第四十一条要求有证据证明记录不准确，请列明证明材料"),
        error_messages={"required": _("请说明能够证明记录不准确的证据")},
    )

    def clean_id_number(self) -> str:
        return self.cleaned_data["id_number"].strip().upper().replace(" ", "")

    def clean(self):
        data = super().clean() or {}
        if not (data.get("phone") or data.get("email")):
            self.add_error("phone", _("请至少填写联系电话或电子邮箱中的一项"))
        return data

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "organisation"}


class CorrectionRecordForm(CorrectionForm):
    channel = forms.ChoiceField(
        label=_("提出方式"),
        choices=[("", _("请选择")), *[c for c in Channel.choices if c[0] != Channel.ONLINE]],
        error_messages={"required": _("请选择提出方式")},
    )
    received = forms.DateField(
        label=_("收到日期"),
        widget=DateInput(),
        error_messages={"required": _("请填写收到日期"), "invalid": _("日期格式不正确")},
    )

    field_order = ["organisation", "channel", "received"]

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        scope = organisation_ids_for_role(user, Role.FOI_HANDLER, Role.ADMIN)
        qs = Organisation.objects.filter(is_active=True)
        org_field = self.fields["organisation"]
        assert isinstance(org_field, forms.ModelChoiceField)
        org_field.queryset = qs if scope is None else qs.filter(id__in=scope)

    def service_data(self) -> dict:
        data = super().service_data()
        data.pop("channel", None)
        data.pop("received", None)
        return data


class CorrectionForwardForm(DateForm):
    to = forms.ModelChoiceField(
        label=_("有权更正的机关（从机构列表选择）"),
        queryset=Organisation.objects.filter(is_active=True).order_by("sort_order", "name"),
        required=False,
        empty_label=_("（不在列表中）"),
    )
    to_name = forms.CharField(
        label=_("有权更正的机关（不在列表中时填写）"), max_length=200, required=False
    )


class CorrectionReplyForm(DateForm):
    result = forms.ChoiceField(
        label=_("处理结果"),
        choices=[("", _("请选择")), *CorrectionRequest.Result.choices],
        error_messages={"required": _("请选择处理结果")},
    )
    text = forms.CharField(
        label=_("答复内容"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请填写答复内容")},
    )
