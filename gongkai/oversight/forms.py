"""Forms of the oversight context: 网站找错, the 第十八条 review, the 第二十条 mapping."""

from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ErrorReport


class ErrorReportForm(forms.ModelForm):
    class Meta:
        model = ErrorReport
        fields = ["page_url", "description", "contact"]
        labels = {
            "page_url": _("出错页面地址"),
            "description": _("问题描述"),
            "contact": _("联系方式（选填）"),
        }
        help_texts = {
            "description": _("请说明错在哪里，例如错别字、链接打不开、信息过时等。"),
            "contact": _("留下电话或邮箱，便于我们回复您；仅工作人员可见。"),
        }
        widgets = {
            "page_url": forms.TextInput(),
            "description": forms.Textarea(attrs={"rows": 6, "maxlength": 2000}),
        }

    def clean_page_url(self) -> str:
        value = self.cleaned_data["page_url"].strip()
        parts = urlsplit(value)
        # Only our own paths or ordinary web addresses: the staff queue shows it as a link, so
        # a ``javascript:`` address must never get in.
        if value.startswith("/") and not value.startswith("//"):
            return value
        if parts.scheme in ("http", "https") and parts.netloc:
            return value
        raise forms.ValidationError(_("请填写本网站页面的地址，例如 /policies/ 或 https://…"))

    def clean_description(self) -> str:
        value = self.cleaned_data["description"].strip()
        if len(value) > 2000:
            raise forms.ValidationError(
                _("问题描述不能超过 2000 字（现有 %(n)d 字）") % {"n": len(value)}
            )
        return value


class ErrorReportAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 5}), max_length=2000
    )


class DisclosureReviewForm(forms.Form):
    """条例第十八条 定期评估审查 of one item marked 依申请公开/不予公开."""

    DECISIONS = [
        ("keep", _("维持不主动公开（理由仍然成立）")),
        ("propose", _("建议转为主动公开（情势变化，可以公开）")),
    ]
    decision = forms.ChoiceField(label=_("评估结论"), choices=DECISIONS, widget=forms.RadioSelect)
    disclosure = forms.ChoiceField(
        label=_("维持的公开属性"),
        required=False,
        choices=[("on_request", _("依申请公开")), ("withheld", _("不予公开"))],
        help_text=_("维持不主动公开时选择。"),
    )
    reason = forms.CharField(
        label=_("理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "维持时写明现在仍不公开的理由（将更新该信息的不公开理由）；建议转主动公开时写明情势变化。"
        ),
    )

    def add_service_errors(self, error: Any) -> None:
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)


class _ColumnChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        # The same column name can exist platform-wide and per organisation.
        owner = obj.organisation.name if obj.organisation_id else _("全平台")
        return f"{obj.name}（{owner}）"


class Article20ColumnsForm(forms.Form):
    """One multiple choice of columns per kind of 条例第二十条."""

    def __init__(self, *args: Any, mapping: dict[int, list[Any]], columns: Any, **kwargs: Any):
        from .disclosure import ARTICLE_20_CATEGORIES

        super().__init__(*args, **kwargs)
        for number, item, text in ARTICLE_20_CATEGORIES:
            self.fields[f"c{number}"] = _ColumnChoices(
                label=f"第二十条第{item}项 {text}",
                queryset=columns,
                required=False,
                initial=[c.pk for c in mapping.get(number, [])],
                widget=forms.CheckboxSelectMultiple,
            )
