"""Forms of the 政务公开管理员's administration screens (issue 15, item 7). They only shape
input: every rule and every write is in the services they feed."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import InternalUnit, Organisation, Role, User
from gongkai.accounts.services import ORGANISATION_ADMIN_FIELDS, STAFF_FIELDS, UNIT_FIELDS
from gongkai.catalogue.models import Column
from gongkai.catalogue.services import COLUMN_FIELDS
from gongkai.core.forms import BoundedDateField
from gongkai.workdays.models import CalendarDay


def _keyword_field(help_text: Any) -> forms.CharField:
    """The 关键词 box of a list's search, its help text announced to screen readers."""
    return forms.CharField(
        label=_("关键词"),
        max_length=100,
        required=False,
        help_text=help_text,
        widget=forms.TextInput(attrs={"aria-describedby": "id_q-help"}),
    )


class StaffSearchForm(forms.Form):
    """工作人员账号: a keyword over name, username, phone and organisation, and the state."""

    q = _keyword_field(_("姓名、用户名、手机号码或机构名称"))
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部")), ("active", _("启用")), ("inactive", _("已停用"))],
    )


class OrganisationSearchForm(forms.Form):
    """我管理的机构: a keyword over name, short name and code."""

    q = _keyword_field(_("机构名称、简称或机构代码"))


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ORGANISATION_ADMIN_FIELDS
        widgets = {
            "leaders": forms.Textarea(attrs={"rows": 3}),
            "functions": forms.Textarea(attrs={"rows": 4}),
        }


class OrganisationCreateForm(forms.Form):
    """新建机构. Code and name lengths and characters are the service's rules (shared with the
    import), so the form does not repeat them with other wording."""

    parent = forms.ModelChoiceField(
        label=_("上级机构"), queryset=Organisation.objects.none(), required=False
    )
    code = forms.CharField(
        label=_("机构代码"),
        help_text=_("统一社会信用代码、组织机构代码或本地编码；用作索引号前段码，建成后不能修改。"),
    )
    name = forms.CharField(label=_("机构名称"))
    short_name = forms.CharField(label=_("简称"), max_length=60, required=False)
    kind = forms.ChoiceField(
        label=_("机构类型"),
        choices=Organisation.Kind.choices,
        initial=Organisation.Kind.DEPARTMENT,
    )
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, initial=100)

    def __init__(self, *args: Any, parents: Any, top_level: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent = cast(forms.ModelChoiceField, self.fields["parent"])
        parent.queryset = parents
        parent.required = not top_level
        parent.empty_label = _("（无，顶级机构）") if top_level else _("请选择上级机构")


class StaffUserForm(forms.ModelForm):
    """An account's 姓名, 科室 and contacts, labelled as the audit trail names them (the
    model's field names); ``with_username`` adds the login name for a new account."""

    class Meta:
        model = User
        fields = ("username", *STAFF_FIELDS)

    def __init__(self, *args: Any, units: Any, with_username: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_username:
            del self.fields["username"]
        else:
            self.fields["username"].help_text = _(
                "登录用的名称，建成后不能修改；可使用字母、数字和 @ . + - _。"
            )
        self.fields["display_name"].required = True
        unit = cast(forms.ModelChoiceField, self.fields["unit"])
        unit.queryset = units
        unit.required = True
        unit.empty_label = _("请选择科室")
        unit.help_text = _(
            "账号由科室所属机构的政务公开管理员管理；机构还没有科室时，请先在机构页面添加。"
        )

    def validate_unique(self) -> None:
        """A taken username is the service's refusal (case-insensitive, with its own words)."""


class IndexFormatForm(forms.Form):
    index_number_format = forms.CharField(
        label=_("索引号格式"),
        max_length=80,
        help_text=_(
            "可用占位符：{code} 机构代码，{yyyy} 年份，{mm} 月份，{serial} 流水号，"
            "如 {code}/{yyyy}-{serial:05d}。已生成的索引号不变。"
        ),
    )


class InternalTargetForm(forms.Form):
    normal_days = forms.IntegerField(label=_("一般办件（工作日）"), min_value=1, required=False)
    difficult_days = forms.IntegerField(label=_("疑难办件（工作日）"), min_value=1, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["normal_days"].help_text = _("留空则不设内部目标，只按法定期限计算。")


class UnitForm(forms.ModelForm):
    class Meta:
        model = InternalUnit
        fields = UNIT_FIELDS
        widgets = {"functions": forms.Textarea(attrs={"rows": 3})}

    def validate_unique(self) -> None:
        """The per-organisation name rule is the service's (it knows the organisation)."""


class ColumnForm(forms.ModelForm):
    class Meta:
        model = Column
        fields = COLUMN_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, parents: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent = cast(forms.ModelChoiceField, self.fields["parent"])
        parent.queryset = parents if parents is not None else Column.objects.none()
        parent.empty_label = _("（无，顶级栏目）")


class PageForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(
        label=_("内容"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("可使用段落、列表、表格等HTML标记；保存时按发布规则清理不安全的标记。"),
    )


class CalendarDayForm(forms.Form):
    day = BoundedDateField(label=_("日期"))
    kind = forms.ChoiceField(label=_("类型"), choices=CalendarDay.Kind.choices)
    name = forms.CharField(
        label=_("节日名称"),
        max_length=40,
        required=False,
        help_text=_("节假日必填，如：春节；调休上班日可填所调的节日。"),
    )


class CalendarYearForm(forms.Form):
    notice = forms.CharField(
        label=_("国务院办公厅通知"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕×号）。"),
    )


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_full_name()}（{obj.username}）"


class RoleAssignForm(forms.Form):
    user = StaffChoiceField(label=_("工作人员"), queryset=User.objects.none())
    organisation = forms.ModelChoiceField(label=_("机构"), queryset=Organisation.objects.none())
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
    review_level = forms.TypedChoiceField(
        label=_("审核级别"),
        coerce=int,
        required=False,
        choices=[(0, _("（非审核人）")), (1, _("1 初审")), (2, _("2 复审")), (3, _("3 终审"))],
    )
    include_descendants = forms.BooleanField(label=_("含下级机构"), required=False)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = organisations
        user = cast(forms.ModelChoiceField, self.fields["user"])
        user.queryset = User.objects.filter(kind=User.Kind.STAFF, is_active=True).order_by(
            "username"
        )
