"""Forms of the registers pages (staff): adjustments, import, 整改台账."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import Organisation
from gongkai.core.forms import BoundedDateField

from . import kinds
from .kinds import PowerCategory
from .models import Proposal, Rectification
from .projects import Phase, Stage


class AdjustmentForm(forms.Form):
    effective_date = BoundedDateField(label=_("调整日期"))
    reason = forms.CharField(label=_("调整理由"), widget=forms.Textarea(attrs={"rows": 2}))
    legal_basis = forms.CharField(label=_("调整依据"), widget=forms.Textarea(attrs={"rows": 2}))
    name = forms.CharField(label=_("事项名称"), max_length=300, required=False)
    category = forms.ChoiceField(
        label=_("类别"), choices=[("", "—"), *PowerCategory.choices], required=False
    )
    basis = forms.CharField(
        label=_("设定依据"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    implementer = forms.CharField(label=_("实施主体"), max_length=200, required=False)
    duties = forms.CharField(
        label=_("责任事项"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    accountability = forms.CharField(
        label=_("追责情形"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    standard = forms.CharField(
        label=_("收费标准"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    note = forms.CharField(
        label=_("备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    delegated_to = forms.CharField(label=_("下放至"), max_length=200, required=False)

    def __init__(self, *args: Any, fields: tuple[str, ...] = (), action: str = "", **kwargs: Any):
        super().__init__(*args, **kwargs)
        content: tuple[str, ...] = tuple(kinds.FIELD_LABELS)
        for name in content:
            if name not in fields or action in ("cancel", "delegate"):
                del self.fields[name]
        if action != "delegate":
            del self.fields["delegated_to"]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel文件（.xlsx）"))
    effective_date = BoundedDateField(label=_("调整日期"))
    reason = forms.CharField(label=_("调整理由"), initial=_("清单初次公布"))
    legal_basis = forms.CharField(label=_("调整依据"))


class RectificationForm(forms.Form):
    source = forms.ChoiceField(label=_("问题来源"), choices=Rectification.Source.choices)
    source_label = forms.CharField(label=_("来源说明"), max_length=300, required=False)
    problem = forms.CharField(label=_("问题描述"), widget=forms.Textarea(attrs={"rows": 3}))
    found_on = BoundedDateField(label=_("发现日期"))
    lead_unit = forms.CharField(label=_("牵头单位"), max_length=200)
    supporting_units = forms.CharField(label=_("配合单位"), max_length=500, required=False)
    deadline = BoundedDateField(label=_("整改期限"), required=False)
    period_workdays = forms.IntegerField(
        label=_("或：整改时限（工作日）"), min_value=1, max_value=365, required=False
    )


class ProgressForm(forms.Form):
    measures = forms.CharField(label=_("整改措施"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.CharField(
        label=_("整改佐证"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    done = forms.BooleanField(label=_("已整改完成，提交销号"), required=False)


class ProjectForm(forms.Form):
    name = forms.CharField(label=_("项目名称"), max_length=300)
    owner = forms.CharField(label=_("项目单位"), max_length=200)
    location = forms.CharField(label=_("建设地点"), max_length=300)
    district = forms.CharField(label=_("所属区县"), max_length=100)
    industry = forms.CharField(label=_("所属行业"), max_length=100)
    investment = forms.DecimalField(
        label=_("总投资（万元）"), min_value=0, max_digits=14, decimal_places=2
    )
    phase = forms.ChoiceField(label=_("建设进程"), choices=Phase.choices)
    year = forms.IntegerField(label=_("年份"), min_value=1990, max_value=2100)
    involves_land = forms.BooleanField(label=_("涉及征收土地"), required=False)
    summary = forms.CharField(
        label=_("建设内容"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class StageItemForm(forms.Form):
    stage = forms.ChoiceField(label=_("阶段"), choices=Stage.choices)
    title = forms.CharField(label=_("信息名称"), max_length=300)
    item_date = BoundedDateField(label=_("日期"))
    url = forms.URLField(label=_("链接"), max_length=1000, required=False)
    file = forms.FileField(label=_("或上传附件"), required=False)


class SpotMatterForm(forms.Form):
    name = forms.CharField(label=_("抽查事项"), max_length=300)
    basis = forms.CharField(label=_("抽查依据"), widget=forms.Textarea(attrs={"rows": 2}))
    targets = forms.CharField(label=_("抽查对象"), max_length=300)
    method = forms.CharField(label=_("抽查方式"), max_length=200, required=False)


class SpotPlanForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=1990, max_value=2100)
    title = forms.CharField(label=_("计划名称"), max_length=300)
    body = forms.CharField(
        label=_("计划内容"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class SpotResultForm(forms.Form):
    plan = forms.IntegerField(label=_("抽查计划"), widget=forms.Select)
    target = forms.CharField(label=_("抽查对象"), max_length=300)
    matter = forms.CharField(label=_("抽查事项"), max_length=300)
    checked_on = BoundedDateField(label=_("抽查日期"))
    result = forms.CharField(label=_("抽查结果"), max_length=300)
    handling = forms.CharField(
        label=_("处理情况"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, plans: Any = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["plan"].widget.choices = [(p.pk, str(p)) for p in plans]


class ProposalForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=Proposal.Kind.choices)
    year = forms.IntegerField(label=_("年度"), min_value=1990, max_value=2100)
    number = forms.CharField(label=_("编号"), max_length=50)
    title = forms.CharField(label=_("标题"), max_length=300)
    proposer = forms.CharField(label=_("提出人"), max_length=200)
    received_on = BoundedDateField(label=_("交办日期"))
    deadline = BoundedDateField(label=_("办理期限（不填为交办后三个月）"), required=False)
    co_organisations = forms.ModelMultipleChoiceField(
        label=_("协办单位"),
        queryset=Organisation.objects.order_by("sort_order", "id"),
        required=False,
    )


class ReplyForm(forms.Form):
    reply = forms.CharField(label=_("复文"), widget=forms.Textarea(attrs={"rows": 8}))
    replied_on = BoundedDateField(label=_("答复日期"))
    mode = forms.ChoiceField(label=_("公开方式"), choices=Proposal.Mode.choices)
    summary = forms.CharField(
        label=_("复文摘要"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    reason = forms.CharField(
        label=_("不公开理由"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class WorkTaskForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=1990, max_value=2100)
    title = forms.CharField(label=_("工作任务"), max_length=500)
    source = forms.CharField(label=_("任务来源"), max_length=300, required=False)
    lead_unit = forms.CharField(label=_("牵头单位"), max_length=200)
    supporting_units = forms.CharField(label=_("配合单位"), max_length=500, required=False)
    deadline = BoundedDateField(label=_("完成时限"), required=False)


class TrainingForm(forms.Form):
    held_on = BoundedDateField(label=_("培训日期"))
    topic = forms.CharField(label=_("培训主题"), max_length=300)
    audience = forms.CharField(label=_("培训对象"), max_length=300)
    participants = forms.IntegerField(label=_("参训人数"), min_value=0, required=False)
    materials = forms.CharField(
        label=_("培训材料"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
