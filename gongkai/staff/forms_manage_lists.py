"""Forms of 平台名录 (主题分类, 服务对象, 企业资质) and 留言答复时限 in 公开管理 (issue 15, item 7).
They only shape input: the rules (unique names, terms in use, limits) are in the services."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.catalogue.models import TopicCategory
from gongkai.interaction.models import Channel


class TermForm(forms.Form):
    """A name and its place in the list; ``parents`` (主题分类 only, when adding) offers the
    first-level topics a new second-level one can go under."""

    name = forms.CharField(label=_("名称"), max_length=100)
    sort_order = forms.IntegerField(
        label=_("排序"),
        min_value=0,
        max_value=32767,
        required=False,
        help_text=_("数字小的排在前面；新增时留空则排在最后。"),
    )
    parent = forms.ModelChoiceField(
        label=_("上级分类"),
        queryset=TopicCategory.objects.none(),
        required=False,
        empty_label=_("（无，作为一级分类）"),
    )

    def __init__(
        self, *args: Any, max_length: int = 100, parents: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # The name's length is the owning model's (60 for 主题分类, 40 for 服务对象 …).
        self.fields["name"] = forms.CharField(label=_("名称"), max_length=max_length)
        if parents is None:
            del self.fields["parent"]
        else:
            self.fields["parent"].queryset = parents  # type: ignore[attr-defined]  # a ModelChoiceField

    def values(self) -> dict[str, Any]:
        """What the service takes: an empty order means "keep" (edit) or "last" (add)."""
        data = {"name": self.cleaned_data["name"]}
        if self.cleaned_data.get("sort_order") is not None:
            data["sort_order"] = self.cleaned_data["sort_order"]
        return data


class DeadlineRuleForm(forms.Form):
    """Only the shape: the bounds and "办结 ≥ 答复" are the service's, with its messages."""

    channel = forms.ChoiceField(label=_("渠道"), choices=Channel.choices)
    reply_workdays = forms.IntegerField(label=_("答复时限（工作日）"))
    resolution_workdays = forms.IntegerField(
        label=_("办结时限（工作日）"),
        required=False,
        help_text=_("留空表示不设办结时限；填写时不能短于答复时限。"),
    )
    first_contact_hours = forms.IntegerField(
        label=_("首次联系时限（小时）"),
        required=False,
        help_text=_("如接诉即办“接件后2小时内与企业取得联系”；留空表示不设。"),
    )
