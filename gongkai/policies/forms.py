"""Back-office forms for interpretations and Q&A; the services do the rule checks."""

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import InternalUnit, Organisation, Role, User
from gongkai.accounts.selectors import organisation_ids_for_role
from gongkai.catalogue.editor import BodyEditorWidget
from gongkai.catalogue.models import InformationItem
from gongkai.catalogue.selectors import linkable_items
from gongkai.core.forms import BoundedDateField

from .industries import is_valid_code
from .models import EnterpriseScale, Interpretation, Qualification

MAX_IMAGE_BYTES = 5 * 1024 * 1024
EDIT_ROLES = (Role.EDITOR,)  # 管理员 is implied by organisation_ids_for_role


def editable_organisations(user: User) -> QuerySet[Organisation]:
    scope = organisation_ids_for_role(user, *EDIT_ROLES)
    qs = Organisation.objects.filter(is_active=True)
    return qs if scope is None else qs.filter(id__in=scope)


def linkable_policies(user: User) -> QuerySet[InformationItem]:
    """Policies an interpretation or Q&A may point at: any public policy, plus the drafts of the
    user's own organisations (三同步: the interpretation is prepared with the document)."""
    return linkable_items(user, scope="policy")


# The staff lookup behind the 索引号 fields (staff:items_lookup); the fields work without it.
POLICY_LOOKUP_URL = format_lazy("{}?for=policy", reverse_lazy("staff:items_lookup"))


def _parse_index_numbers(raw: str, allowed: QuerySet[InformationItem]) -> list[InformationItem]:
    lines = [(n, line.strip()) for n, line in enumerate(raw.splitlines(), start=1)]
    wanted = [(n, value) for n, value in lines if value]
    found = {i.index_number: i for i in allowed.filter(index_number__in=[v for _n, v in wanted])}
    errors = [
        gettext("第%(line)d行：索引号“%(value)s”不存在，或不是您可以关联的政策文件。")
        % {"line": n, "value": value}
        for n, value in wanted
        if value not in found
    ]
    if errors:
        raise forms.ValidationError(errors)
    seen: dict[str, InformationItem] = {}
    for _n, value in wanted:
        seen.setdefault(value, found[value])
    return list(seen.values())


class InterpretationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("解读机构"), queryset=Organisation.objects.none(), empty_label=None
    )
    title = forms.CharField(label=_("标题"), max_length=300)
    form = forms.ChoiceField(label=_("解读形式"), choices=Interpretation.Form.choices)
    body = forms.CharField(
        label=_("正文"),
        required=False,
        widget=BodyEditorWidget(),
        help_text=_(
            "文字解读和简明问答必填；可使用标题、列表、表格、链接和图片，"
            "从Word或WPS粘贴时自动清除多余格式。"
        ),
    )
    image = forms.ImageField(
        label=_("图解图片"),
        required=False,
        help_text=_("图解（一图读懂）必填；PNG、JPEG 或 GIF，不超过 5 MB。"),
    )
    image_alt = forms.CharField(
        label=_("图片文字说明"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("供读屏软件朗读，概括图片中的主要信息；上传图片时必填。"),
    )
    video_url = forms.URLField(label=_("视频链接"), required=False, assume_scheme="https")
    interpreter = forms.CharField(label=_("解读人"), max_length=100, required=False)
    policy_refs = forms.CharField(
        label=_("关联政策（索引号）"),
        required=False,
        widget=forms.Textarea(
            attrs={
                "rows": 4,
                "data-pick": POLICY_LOOKUP_URL,
                "data-pick-multi": "1",
                "data-pick-label": _("搜索政策文件（标题、文号或索引号）"),
            }
        ),
        help_text=_(
            "每行一个索引号；可在上方按标题、文号或索引号搜索后选择。保存后解读与政策双向关联。"
        ),
    )

    def __init__(self, *args: Any, user: User, instance: Interpretation | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.instance = instance
        self.fields["organisation"].queryset = editable_organisations(user)  # type: ignore[attr-defined]  # a ModelChoiceField; fields[] is typed Field
        if instance is not None:
            # 谁起草、谁解读: the interpreting organisation does not change after creation.
            self.fields["organisation"].disabled = True
            self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]  # a ModelChoiceField; fields[] is typed Field
                pk=instance.organisation_id
            )

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and getattr(image, "size", 0) > MAX_IMAGE_BYTES:
            raise forms.ValidationError(gettext("图片不能超过 5 MB。"))
        return image

    def clean_policy_refs(self) -> list[InformationItem]:
        return _parse_index_numbers(
            self.cleaned_data.get("policy_refs", ""), linkable_policies(self.user)
        )


class QAForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("答复机构"), queryset=Organisation.objects.none(), empty_label=None
    )
    unit = forms.ModelChoiceField(
        label=_("答复科室"), queryset=InternalUnit.objects.none(), required=False
    )
    question = forms.CharField(label=_("问题"), max_length=500)
    answer = forms.CharField(label=_("答复"), widget=BodyEditorWidget(attrs={"rows": 8}))
    policy_ref = forms.CharField(
        label=_("相关政策（索引号）"),
        max_length=64,
        required=False,
        widget=forms.TextInput(attrs={"data-pick": POLICY_LOOKUP_URL}),
        help_text=_("输入标题、文号或索引号搜索后选择；也可直接填写索引号。"),
    )
    contact_phone = forms.CharField(label=_("咨询电话"), max_length=60, required=False)

    def __init__(self, *args: Any, user: User, instance: Any = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        orgs = editable_organisations(user)
        if instance is not None:
            self.fields["organisation"].disabled = True
            orgs = Organisation.objects.filter(pk=instance.organisation_id)
        self.fields["organisation"].queryset = orgs  # type: ignore[attr-defined]  # a ModelChoiceField; fields[] is typed Field
        self.fields["unit"].queryset = InternalUnit.objects.filter(  # type: ignore[attr-defined]  # a ModelChoiceField; fields[] is typed Field
            organisation__in=orgs
        ).select_related("organisation")

    def clean_policy_ref(self) -> InformationItem | None:
        value = (self.cleaned_data.get("policy_ref") or "").strip()
        if not value:
            return None
        items = _parse_index_numbers(value, linkable_policies(self.user))
        return items[0]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        unit, org = data.get("unit"), data.get("organisation")
        if unit is not None and org is not None and unit.organisation_id != org.pk:
            self.add_error("unit", gettext("答复科室必须属于所选的答复机构。"))
        return data


# ---------------------------------------------------------------------------------------------
# 政策兑现 conditions (issue 14) and the 政策找人 profile
# ---------------------------------------------------------------------------------------------

_CODE_SPLIT = re.compile(r"[,，、;；\s]+")


def _codes(raw: str) -> list[str]:
    return [c.upper() for c in _CODE_SPLIT.split(raw or "") if c]


class PolicyConditionsForm(forms.Form):
    """The 申报条件 and 兑现 texts of a policy; empty fields are "no condition"."""

    regions = forms.ModelMultipleChoiceField(
        label=_("适用地区（含下级机构）"),
        queryset=Organisation.objects.filter(is_active=True).order_by("code"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选则不限地区；选中的机构包括其全部下级机构。"),
    )
    industries = forms.CharField(
        label=_("适用行业代码"),
        required=False,
        max_length=500,
        help_text=_(
            "国民经济行业分类（GB/T 4754-2017）代码，任一层级，多个用逗号或顿号分隔，"
            "如C39、I65。不填则不限。"
        ),
    )
    scales = forms.MultipleChoiceField(
        label=_("企业规模"),
        choices=EnterpriseScale.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    min_years = forms.IntegerField(
        label=_("最低成立年限（年）"), required=False, min_value=0, max_value=200
    )
    qualifications = forms.ModelMultipleChoiceField(
        label=_("所需资质（须全部具备）"),
        queryset=Qualification.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    apply_from = BoundedDateField(label=_("申报开始日期"), required=False)
    apply_until = BoundedDateField(label=_("申报截止日期"), required=False)
    procedure = forms.CharField(label=_("申报流程"), required=False, widget=forms.Textarea)
    materials = forms.CharField(label=_("申报材料"), required=False, widget=forms.Textarea)
    office = forms.CharField(label=_("受理科室"), required=False, max_length=200)
    phone = forms.CharField(label=_("咨询电话"), required=False, max_length=60)
    redemption = forms.CharField(label=_("兑现方式"), required=False, widget=forms.Textarea)
    amount = forms.CharField(label=_("兑现金额"), required=False, max_length=200)

    def clean_industries(self) -> list[str]:
        codes = _codes(self.cleaned_data.get("industries", ""))
        bad = [c for c in codes if not is_valid_code(c)]
        if bad:
            raise forms.ValidationError(
                gettext("“%(codes)s”不是GB/T 4754-2017行业代码（门类字母A–T，可带2至4位数字）。")
                % {"codes": "、".join(bad)}
            )
        return codes

    @classmethod
    def initial_for(cls, data: dict[str, Any]) -> dict[str, Any]:
        return {**data, "industries": ", ".join(data.get("industries", []))}

    def add_service_errors(self, error: Any) -> None:
        if hasattr(error, "error_dict"):
            for name, errors in error.message_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, error.messages)


class MatchQueryForm(forms.Form):
    """政策找人 without an account: the matching facts only (a GET form)."""

    region = forms.ModelChoiceField(
        label=_("所在地区"),
        queryset=Organisation.objects.filter(is_active=True).order_by("code"),
        help_text=_("选择所在地区的政府或部门；适用于上级机构的政策也会匹配。"),
    )
    industry = forms.CharField(
        label=_("行业代码"),
        max_length=5,
        required=False,
        help_text=_("国民经济行业分类（GB/T 4754-2017）代码，尽量填到小类，如C3911。"),
    )
    scale = forms.ChoiceField(
        label=_("企业规模"),
        choices=[("", _("未填写（个人）")), *EnterpriseScale.choices],
        required=False,
    )
    established = BoundedDateField(label=_("成立日期"), required=False)
    qualifications = forms.ModelMultipleChoiceField(
        label=_("已有资质"),
        queryset=Qualification.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_industry(self) -> str:
        code = (self.cleaned_data.get("industry") or "").strip().upper()
        if code and not is_valid_code(code):
            raise forms.ValidationError(
                gettext("“%(code)s”不是GB/T 4754-2017行业代码（门类字母A–T，可带2至4位数字）。")
                % {"code": code}
            )
        return code


class MatchProfileForm(MatchQueryForm):
    """政策找人 profile kept in the personal centre."""

    name = forms.CharField(label=_("企业（个人）名称"), max_length=200)
    credit_code = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=18,
        required=False,
        help_text=_("选填，仅供核对，不进行外部查询。"),
    )
    field_order = ["name", "credit_code", "region", "industry", "scale", "established"]


class NeedForm(forms.Form):
    """政策找人 in one sentence: a free-text need, answered by meaning as well as by words."""

    need = forms.CharField(
        label=_("用一句话描述您的需求"),
        max_length=200,
        strip=True,
        help_text=_("例如：我是一家成立两年的小型软件企业，有哪些补贴"),
        error_messages={"required": _("请用一句话描述您的需求。")},
    )
