"""Forms of public participation: the public comment form and the staff forms. They parse
input only; every rule is checked again by the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import Organisation, Role, User
from gongkai.accounts.selectors import organisation_ids_for_role
from gongkai.core.forms import BoundedDateField

from .models import (
    Comment,
    CommentGroup,
    Consultation,
    ConsultationKind,
    Decision,
    DirectoryAdjustment,
    Disposition,
    EvaluationMethod,
    OfflineInput,
    PolicyEvaluation,
)

EDIT_ROLES = (Role.EDITOR, Role.ADMIN)


def editable_organisations(user: User) -> QuerySet[Organisation]:
    scope = organisation_ids_for_role(user, *EDIT_ROLES)
    qs = Organisation.objects.filter(is_active=True)
    return qs if scope is None else qs.filter(id__in=scope)


class Chinese(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "：")
        super().__init__(*args, **kwargs)


class CommentForm(Chinese):
    question: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("针对问题"), queryset=None, required=False, empty_label=_("（总体意见）")
    )
    article = forms.CharField(
        label=_("针对条款"), max_length=50, required=False, help_text=_("例如：第三条")
    )
    body = forms.CharField(label=_("意见内容"), max_length=5000, widget=forms.Textarea)
    author_name = forms.CharField(
        label=_("署名"), max_length=150, required=False, help_text=_("可不填；公开时只显示姓氏。")
    )
    is_public = forms.BooleanField(
        label=_("同意公开我的意见"),
        required=False,
        help_text=_("不勾选时，意见仅供起草机关研究，不在网站上公开。"),
    )
    as_legal_person = forms.BooleanField(
        label=_("以企业（法人）名义发表"), required=False, help_text=_("需以法人账号登录。")
    )

    def __init__(self, *args: Any, consultation: Consultation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["question"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = consultation.questions.all()
        if not consultation.questions.exists():
            del self.fields["question"]


class ConsultationForm(Chinese):
    organisation = forms.ModelChoiceField(label=_("征集机构"), queryset=Organisation.objects.none())
    title = forms.CharField(label=_("标题"), max_length=300)
    kind = forms.ChoiceField(label=_("文件类型"), choices=ConsultationKind.choices)
    draft_text = forms.CharField(label=_("征求意见稿"), widget=forms.Textarea)
    explanation = forms.CharField(label=_("起草说明"), widget=forms.Textarea)
    questions = forms.CharField(
        label=_("征集问题"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一个问题，可不填。"),
    )
    target_group = forms.CharField(label=_("征求对象"), max_length=200, required=False)
    how_to_comment = forms.CharField(
        label=_("其他反馈方式"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    opens_on = BoundedDateField(label=_("开始日期"))
    closes_on = BoundedDateField(label=_("截止日期"))
    shortened_reason = forms.CharField(
        label=_("缩短期限的理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("期限少于30日时必填，将随征集一并公布（条例第十五条）。"),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = editable_organisations(user)


class ExtendForm(Chinese):
    closes_on = BoundedDateField(label=_("新截止日期"))
    reason = forms.CharField(label=_("延期理由"), widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(Chinese):
    reason = forms.CharField(label=_("提前截止的理由"), widget=forms.Textarea(attrs={"rows": 2}))


class ModerateForm(Chinese):
    decision = forms.ChoiceField(
        label=_("审核结果"), choices=[("approve", _("通过")), ("reject", _("不通过"))]
    )
    reason = forms.ChoiceField(
        label=_("不通过原因"),
        choices=[("", "—"), *Comment.RejectReason.choices],
        required=False,
    )
    note = forms.CharField(label=_("说明"), required=False, max_length=500)


class GroupForm(Chinese):
    title = forms.CharField(label=_("意见归类"), max_length=300)
    disposition = forms.ChoiceField(label=_("处理意见"), choices=Disposition.choices)
    reason = forms.CharField(
        label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    comments = forms.ModelMultipleChoiceField(
        label=_("归入的网上意见"),
        queryset=Comment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    offline_inputs = forms.ModelMultipleChoiceField(
        label=_("归入的线下意见"),
        queryset=OfflineInput.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    group = forms.ModelChoiceField(
        label=_("修改已有分组"), queryset=CommentGroup.objects.none(), required=False
    )

    def __init__(self, *args: Any, consultation: Consultation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        querysets = {
            "comments": consultation.comments.filter(moderation=Comment.Moderation.APPROVED),
            "offline_inputs": consultation.offline_inputs.all(),
            "group": consultation.groups.all(),
        }
        for name, qs in querysets.items():
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = qs
        comments = self.fields["comments"]
        assert isinstance(comments, forms.ModelMultipleChoiceField)
        comments.label_from_instance = _comment_label  # type: ignore[method-assign]  # Django documents overriding it per field


def _comment_label(obj: Any) -> str:
    return f"#{obj.pk} {obj.public_body[:60]}"


class OfflineInputForm(Chinese):
    method = forms.ChoiceField(label=_("方式"), choices=OfflineInput.Method.choices)
    held_on = BoundedDateField(label=_("日期"))
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    participants = forms.IntegerField(label=_("参加人数"), min_value=0, max_value=100000)
    opinions = forms.IntegerField(label=_("收集意见条数"), min_value=0, max_value=100000)
    summary = forms.CharField(label=_("情况摘要"), widget=forms.Textarea(attrs={"rows": 3}))
    notice_published_on = BoundedDateField(label=_("听证公告发布日期"), required=False)
    materials_sent_on = BoundedDateField(label=_("听证材料送达日期"), required=False)
    selection_method = forms.CharField(label=_("参加人遴选办法"), required=False)
    participant_list = forms.CharField(
        label=_("参加人名单"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class FeedbackForm(Chinese):
    summary = forms.CharField(
        label=_("总体情况"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("统计数字和未采纳理由由系统根据意见处理情况生成，无需填写。"),
    )


class AttachmentForm(Chinese):
    title = forms.CharField(label=_("附件名称"), max_length=200, required=False)
    file = forms.FileField(label=_("文件"), help_text=_("PDF、OFD、Word、Excel或图片。"))


class LinkDocumentForm(Chinese):
    index_number = forms.CharField(label=_("正式文件索引号"), max_length=60)


class DirectoryForm(Chinese):
    organisation = forms.ModelChoiceField(label=_("决策机关"), queryset=Organisation.objects.none())
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = editable_organisations(user).filter(kind=Organisation.Kind.GOVERNMENT)


class DecisionForm(Chinese):
    title = forms.CharField(label=_("决策事项"), max_length=300)
    owner = forms.ModelChoiceField(
        label=_("承办单位"), queryset=Organisation.objects.filter(is_active=True)
    )
    legal_basis = forms.CharField(label=_("决策依据"), widget=forms.Textarea(attrs={"rows": 2}))
    planned_time = forms.CharField(label=_("计划完成时间"), max_length=100)


class AdjustmentEditForm(Chinese):
    """The edit of a draft, returned or withdrawn adjustment: its type and decision stay (a
    different change is another adjustment); what each type needs is checked by
    ``services.directory_adjustment_update``."""

    title = forms.CharField(label=_("决策事项"), max_length=300, required=False)
    owner = forms.ModelChoiceField(
        label=_("承办单位"), queryset=Organisation.objects.filter(is_active=True), required=False
    )
    legal_basis = forms.CharField(
        label=_("决策依据"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    planned_time = forms.CharField(label=_("计划完成时间"), max_length=100, required=False)
    reason = forms.CharField(
        label=_("调整理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    @staticmethod
    def initial_for(adjustment: DirectoryAdjustment) -> dict[str, Any]:
        return {
            "title": adjustment.title,
            "owner": adjustment.owner_id,
            "legal_basis": adjustment.legal_basis,
            "planned_time": adjustment.planned_time,
            "reason": adjustment.reason,
        }


class AdjustmentForm(AdjustmentEditForm):
    """A draft adjustment of a published directory; what each type needs is checked by
    ``services.directory_adjustment_create`` (新增: the content; 调整: the decision and its new
    content; 调出: the decision)."""

    action = forms.ChoiceField(label=_("调整类型"), choices=DirectoryAdjustment.Action.choices)
    decision = forms.ModelChoiceField(
        label=_("调整或调出的事项"), queryset=Decision.objects.none(), required=False
    )
    field_order = ["action", "decision", "title", "owner", "legal_basis", "planned_time"]

    def __init__(self, *args: Any, directory: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if directory is not None:
            field = self.fields["decision"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = Decision.objects.filter(directory=directory, removed=False)


class StageForm(Chinese):
    state = forms.ChoiceField(
        label=_("状态"),
        choices=[("pending", _("未完成")), ("done", _("已完成")), ("skipped", _("不适用"))],
    )
    started_on = BoundedDateField(label=_("开始日期"), required=False)
    finished_on = BoundedDateField(label=_("完成日期"), required=False)
    materials = forms.CharField(label=_("材料"), required=False, max_length=2000)
    note = forms.CharField(label=_("说明"), required=False, max_length=2000)


class DecisionLinkForm(Chinese):
    consultation = forms.ModelChoiceField(
        label=_("意见征集"), queryset=Consultation.objects.none(), required=False
    )
    index_number = forms.CharField(label=_("决策文件索引号"), max_length=60, required=False)

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["consultation"]
        assert isinstance(field, forms.ModelChoiceField)
        if organisations is not None:
            field.queryset = Consultation.objects.filter(organisation__in=organisations)


class RemoveDecisionForm(Chinese):
    reason = forms.CharField(label=_("调出理由"), max_length=2000)


class EvaluationForm(Chinese):
    organisation = forms.ModelChoiceField(label=_("评价机构"), queryset=Organisation.objects.none())
    policy_index_number = forms.CharField(label=_("评价的政策（索引号）"), max_length=60)
    title = forms.CharField(label=_("标题"), max_length=300)
    plan = forms.CharField(label=_("评价方案"), widget=forms.Textarea(attrs={"rows": 3}))
    methods = forms.MultipleChoiceField(
        label=_("评价方式"), choices=EvaluationMethod.choices, widget=forms.CheckboxSelectMultiple
    )
    standard = forms.CharField(
        label=_("执行标准"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    scope = forms.CharField(
        label=_("适用范围"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    usage = forms.CharField(
        label=_("使用情况"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    results = forms.CharField(
        label=_("取得成效"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    problems = forms.CharField(
        label=_("存在问题"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = editable_organisations(user)


class OpenDayForm(Chinese):
    name = forms.CharField(label=_("姓名"), max_length=100)
    phone = forms.CharField(label=_("联系电话"), max_length=20)


class OpenDayEventForm(Chinese):
    """Staff: a 政府开放日 event taking registrations (``services.open_day_create``)."""

    organisation = forms.ModelChoiceField(label=_("举办机构"), queryset=Organisation.objects.none())
    title = forms.CharField(label=_("活动名称"), max_length=300)
    description = forms.CharField(label=_("活动内容"), widget=forms.Textarea(attrs={"rows": 3}))
    held_on = BoundedDateField(label=_("活动日期"))
    place = forms.CharField(label=_("地点"), max_length=200)
    capacity = forms.IntegerField(label=_("名额"), min_value=1, max_value=100000)
    registration_closes_on = BoundedDateField(label=_("报名截止日期"))
    evaluation = forms.ModelChoiceField(
        label=_("所属政策评价"), required=False, queryset=PolicyEvaluation.objects.none()
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = editable_organisations(user)
        for name, qs in (
            ("organisation", orgs),
            ("evaluation", PolicyEvaluation.objects.filter(organisation__in=orgs)),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = qs


class AttendanceForm(Chinese):
    """Staff: a 公众代表列席 record (``services.attendance_record``)."""

    organisation = forms.ModelChoiceField(label=_("机构"), queryset=Organisation.objects.none())
    meeting = forms.CharField(label=_("会议名称"), max_length=300)
    held_on = BoundedDateField(label=_("会议日期"))
    representatives = forms.CharField(label=_("列席代表"), widget=forms.Textarea(attrs={"rows": 2}))
    summary = forms.CharField(label=_("列席情况"), widget=forms.Textarea(attrs={"rows": 3}))
    decision = forms.ModelChoiceField(
        label=_("相关重大行政决策事项"), required=False, queryset=Decision.objects.none()
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = editable_organisations(user)
        for name, qs in (
            ("organisation", orgs),
            ("decision", Decision.objects.filter(directory__organisation__in=orgs, removed=False)),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = qs
