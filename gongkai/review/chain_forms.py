"""Forms of the review chain pages: submit, decide, withdraw, chain settings, ledger filter."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import Organisation
from gongkai.core.forms import BoundedDateField
from gongkai.core.models import AuditEntry

from . import workflow
from .chain_models import ContentKind


class SubmitForm(forms.Form):
    override_reason = forms.CharField(
        label=_("申请强制通过的理由"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("仅当自动检查发现阻止发布的问题而您确认属于误报时填写，由终审人员决定。"),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核意见"),
        choices=[
            (workflow.APPROVE, _("通过")),
            (workflow.RETURN, _("退回")),
            (workflow.OVERRIDE, _("强制通过")),
        ],
        widget=forms.HiddenInput,
    )
    comment = forms.CharField(
        label=_("意见说明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("撤回理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ChainForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("机构"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("全平台默认"),
    )
    content_kind = forms.ChoiceField(label=_("内容类型"), choices=ContentKind.choices)
    levels = forms.TypedChoiceField(
        label=_("审核级数"),
        coerce=int,
        choices=[
            (1, _("一级（终审）")),
            (2, _("两级（初审、终审）")),
            (3, _("三级（初审、复审、终审）")),
        ],
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = organisations


class LedgerFilterForm(forms.Form):
    date_from = BoundedDateField(label=_("开始日期"), required=False)
    date_to = BoundedDateField(label=_("结束日期"), required=False)
    action = forms.ChoiceField(
        label=_("操作"), required=False, choices=[("", _("全部")), *AuditEntry.Action.choices]
    )
    actor = forms.CharField(label=_("操作人"), required=False, max_length=150)
    organisation = forms.ModelChoiceField(
        label=_("所属机构"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("全部"),
    )
    target_type = forms.ChoiceField(label=_("对象类型"), required=False, choices=[])

    def __init__(self, *args, organisations=None, target_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = organisations
        cast(forms.ChoiceField, self.fields["target_type"]).choices = [
            ("", _("全部")),
            *target_types,
        ]

    def clean(self):
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("开始日期不能晚于结束日期"))
        return data
