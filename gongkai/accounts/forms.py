"""Forms of the account pages (labels and errors in Chinese)."""

import re

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .guide import OGI_OFFICE_FIELDS
from .models import Organisation, User

MOBILE = re.compile(r"^1[3-9]\d{9}$")


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码错误。请注意区分大小写。"),
        "inactive": _("该账号已停用。"),
    }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "：")
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("用户名")
        self.fields["username"].help_text = _("用电子邮箱注册的公众账号，用户名就是该邮箱。")
        self.fields["password"].label = _("密码")


class RegisterEmailForm(forms.Form):
    """Sign-up, step 1: the e-mail address a one-time code is sent to (ADR 0007). The page
    answers the same whether or not the address already has an account."""

    email = forms.EmailField(
        label=_("电子邮箱"),
        max_length=150,
        help_text=_("我们将向该邮箱发送6位验证码；注册后用该邮箱登录，也用于接收答复通知。"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("请填写有效的电子邮箱地址，例如 zhangsan@example.cn。")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "：")
        super().__init__(*args, **kwargs)


class RegisterForm(forms.Form):
    """Sign-up, step 2: the code from the e-mail and the account details: 自然人, or 法人或其他
    组织 with the sub-type the annual report counts. The username is the verified address."""

    CATEGORY_NATURAL = "natural"
    CATEGORY_LEGAL = "legal"

    code = forms.CharField(
        label=_("邮箱验证码"),
        max_length=6,
        help_text=_("邮件中的6位数字，30分钟内有效。"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    category = forms.ChoiceField(
        label=_("申请人类别"),
        choices=[(CATEGORY_NATURAL, _("自然人")), (CATEGORY_LEGAL, _("法人或其他组织"))],
        widget=forms.RadioSelect,
        initial=CATEGORY_NATURAL,
    )
    legal_type = forms.ChoiceField(
        label=_("法人或其他组织类型"),
        required=False,
        choices=[("", _("（自然人无需选择）"))]
        + [
            (v, label) for v, label in User.ApplicantType.choices if v != User.ApplicantType.NATURAL
        ],
        help_text=_("选择“法人或其他组织”时必填。"),
    )
    display_name = forms.CharField(
        label=_("姓名/单位名称"),
        max_length=150,
        help_text=_("自然人填写姓名；法人或其他组织填写单位全称。"),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("手机号码"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    password1 = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "至少12位，包含大写字母、小写字母、数字、符号中的至少三类；"
            "不能包含邮箱地址，不能与姓名相似，不能是常见密码。"
        ),
    )
    password2 = forms.CharField(
        label=_("确认密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "：")
        super().__init__(*args, **kwargs)

    def clean_code(self) -> str:
        code = re.sub(r"\s", "", self.cleaned_data["code"])
        if not re.fullmatch(r"\d{6}", code):
            raise forms.ValidationError(_("请填写邮件中的6位数字验证码。"))
        return code

    def clean_phone(self) -> str:
        phone = re.sub(r"[\s-]", "", self.cleaned_data["phone"])
        if not MOBILE.match(phone):
            raise forms.ValidationError(_("请填写11位手机号码，例如 13800138000。"))
        return phone

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("category") == self.CATEGORY_LEGAL and not data.get("legal_type"):
            self.add_error("legal_type", _("请选择法人或其他组织的类型。"))
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("两次输入的密码不一致。"))
        return data

    @property
    def applicant_type(self) -> str:
        if self.cleaned_data.get("category") == self.CATEGORY_LEGAL:
            return self.cleaned_data["legal_type"]
        return User.ApplicantType.NATURAL


class OrganisationGuideForm(forms.ModelForm):
    """The 政府信息公开工作机构 contacts of the 公开指南 (条例第十二条), edited by the 管理员."""

    class Meta:
        model = Organisation
        fields = list(OGI_OFFICE_FIELDS)
        error_messages = {
            "ogi_email": {"invalid": _("电子邮箱格式不正确，例如：gk@example.gov.cn")},
            "ogi_website": {"invalid": _("网址格式不正确，例如：https://www.example.gov.cn/")},
        }
