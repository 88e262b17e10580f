"""Back-office forms for information items; the services do the real validation."""

from typing import Any

from django import forms
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import InternalUnit, Organisation, Role
from gongkai.accounts.selectors import organisation_ids_for_role, organisations_for_role

from .editor import BodyEditorWidget, DocxImportError, docx_to_body
from .models import Audience, Column, Genre, InformationItem, PolicyKind, TopicCategory


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern); each is checked by the service."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def topic_choices() -> list[Any]:
    """Two-level 主题分类 as <optgroup>s: level-1 rows are groups (selectable as a whole when
    they have no children, e.g. 其他), level-2 rows are the options."""
    topics = list(TopicCategory.objects.order_by("sort_order", "id"))
    children: dict[int, list[TopicCategory]] = {}
    for topic in topics:
        if topic.parent_id:
            children.setdefault(topic.parent_id, []).append(topic)
    choices: list[Any] = [("", _("（未分类）"))]
    for topic in topics:
        if topic.parent_id:
            continue
        kids = children.get(topic.pk, [])
        if kids:
            group = [(str(topic.pk), _("%(name)s（整类）") % {"name": topic.name})]
            group += [(str(k.pk), k.name) for k in kids]
            choices.append((topic.name, group))
        else:
            choices.append((str(topic.pk), topic.name))
    return choices


class ItemForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("发布机构"), queryset=Organisation.objects.none(), empty_label=None
    )
    title = forms.CharField(label=_("信息名称"), max_length=300)
    doc_number = forms.CharField(label=_("文号"), max_length=100, required=False)
    written_date = forms.DateField(
        label=_("成文日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("索引号按成文日期所在年份编号；不填则按创建当天。"),
    )
    unit = forms.ModelChoiceField(
        label=_("起草科室"),
        queryset=InternalUnit.objects.none(),
        required=False,
        empty_label=_("（未选择）"),
    )
    topic = forms.TypedChoiceField(
        label=_("主题分类"), required=False, coerce=int, empty_value=None
    )
    genre = forms.ChoiceField(
        label=_("体裁分类"), required=False, choices=[("", _("（未选择）")), *Genre.choices]
    )
    audiences = forms.ModelMultipleChoiceField(
        label=_("服务对象"),
        queryset=Audience.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    keywords = forms.CharField(label=_("关键词"), max_length=200, required=False)
    summary = forms.CharField(
        label=_("内容概述"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    body = forms.CharField(
        label=_("正文"),
        required=False,
        widget=BodyEditorWidget(),
        help_text=_(
            "可使用标题、列表、表格、链接、图片和附件链接；从Word或WPS粘贴时自动清除多余格式，"
            "脚本和事件属性会被自动清除。"
        ),
    )
    body_docx = forms.FileField(
        label=_("从Word导入正文"),
        required=False,
        help_text=_(
            "选择.docx文件后保存：文件内容替换上面的正文，保存后请检查。文档中不能有图片。"
        ),
    )
    disclosure = forms.ChoiceField(
        label=_("公开属性"),
        choices=InformationItem.Disclosure.choices,
        widget=forms.RadioSelect,
        initial=InformationItem.Disclosure.PROACTIVE,
    )
    disclosure_reason = forms.CharField(
        label=_("不公开理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("公开属性为依申请公开或不予公开时必填，应写明法律依据。"),
    )
    policy_kind = forms.ChoiceField(label=_("文件类型"), required=False, choices=PolicyKind.choices)
    effective_date = forms.DateField(
        label=_("施行日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    expiry_date = forms.DateField(
        label=_("有效期至"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("行政规范性文件应当载明有效期；到期前请评估是否继续施行。"),
    )
    registration_number = forms.CharField(
        label=_("统一登记号"),
        max_length=64,
        required=False,
        help_text=_("行政规范性文件经统一登记后取得的登记号，如ZJSP01-2021-0001。"),
    )
    columns = forms.ModelMultipleChoiceField(
        label=_("所属栏目"),
        queryset=Column.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    scheduled_at = forms.DateTimeField(
        label=_("定时发布时间"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_(
            "不填：终审通过即发布。填写：终审通过后到该时间自动发布，发布日期即该日；"
            "未通过审核的不会发布。"
        ),
    )
    attachments = MultipleFileField(
        label=_("附件"),
        required=False,
        help_text=_(
            "可一次选择多个文件，随本次保存上传（PDF、OFD、Word、Excel、PNG、JPEG、GIF）；"
            "任何一个文件不合格，本次保存全部不生效。"
        ),
    )

    SERVICE_FIELDS = (
        "title",
        "doc_number",
        "written_date",
        "unit",
        "topic",
        "genre",
        "audiences",
        "keywords",
        "summary",
        "body",
        "disclosure",
        "disclosure_reason",
        "policy_kind",
        "effective_date",
        "expiry_date",
        "registration_number",
        "columns",
        "scheduled_at",
    )

    def __init__(self, *args: Any, user: Any, item: InformationItem | None = None, **kwargs: Any):
        if item is not None:
            kwargs.setdefault("initial", {}).update(
                {
                    **{
                        name: getattr(item, name)
                        for name in self.SERVICE_FIELDS
                        if name not in ("audiences", "columns", "topic", "unit")
                    },
                    "organisation": item.organisation_id,
                    "unit": item.unit_id,
                    "topic": item.topic_id,
                    "audiences": list(item.audiences.all()),
                    "columns": list(item.columns.all()),
                }
            )
        super().__init__(*args, **kwargs)
        self.item = item
        self.attachment_names: list[str] = []
        self.docx_imported = ""
        self.docx_warnings: list[str] = []
        # A draft may be saved without them; the blocking metadata checks (checks.item_checks)
        # refuse submission until they are filled, so the form says so up front.
        for name in ("written_date", "summary"):
            self.fields[name].submit_required = True  # type: ignore[attr-defined]  # read by staff/items/_field.html
        orgs = organisations_for_role(user, Role.EDITOR)
        self.fields["organisation"].queryset = orgs  # type: ignore[attr-defined]  # a ModelChoiceField; fields[] is typed Field
        if item is not None:
            # The 发布机构 is fixed once the 索引号 (which carries its code) has been given.
            self.fields["organisation"].disabled = True
            self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]  # a ModelChoiceField; fields[] is typed Field
                pk=item.organisation_id
            )
        scope = organisation_ids_for_role(user, Role.EDITOR)
        units = InternalUnit.objects.select_related("organisation")
        columns = Column.objects.filter(is_active=True)
        if scope is not None:
            units = units.filter(organisation_id__in=scope)
            columns = columns.filter(Q(organisation__isnull=True) | Q(organisation_id__in=scope))
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]  # a ModelChoiceField; fields[] is typed Field
        self.fields["columns"].queryset = columns  # type: ignore[attr-defined]  # a ModelChoiceField; fields[] is typed Field
        self.fields["topic"].choices = topic_choices()  # type: ignore[attr-defined]  # a ChoiceField; fields[] is typed Field

    def clean_scheduled_at(self) -> Any:
        value = self.cleaned_data.get("scheduled_at")
        unchanged = self.item is not None and value == self.item.scheduled_at
        if value is not None and not unchanged and value <= timezone.now():
            raise forms.ValidationError(gettext("定时发布时间应晚于现在"))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("body_docx")
        if upload:
            try:
                converted = docx_to_body(upload.read(), name=upload.name)
            except DocxImportError as exc:
                self.add_error("body_docx", str(exc))
            else:
                data["body"] = converted.html
                self.docx_imported = upload.name
                self.docx_warnings = converted.warnings
        return data

    def clean_topic(self) -> TopicCategory | None:
        value = self.cleaned_data.get("topic")
        if value in (None, ""):
            return None
        topic = TopicCategory.objects.filter(pk=value).first()
        if topic is None:
            raise forms.ValidationError(_("请选择有效的主题分类"))
        return topic

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.SERVICE_FIELDS}

    def add_service_errors(self, error: Any) -> None:
        """Attach a service ValidationError to the matching fields (others to the form)."""
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)


class ValidityForm(forms.Form):
    validity = forms.ChoiceField(label=_("有效性"), choices=InformationItem.Validity.choices)
    validity_date = forms.DateField(
        label=_("变更日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("失效、废止或修改的日期。"),
    )
    replaced_by = forms.CharField(
        label=_("替代或修改文件的索引号"),
        required=False,
        max_length=64,
        widget=forms.TextInput(
            attrs={"data-pick": format_lazy("{}?for=successor", reverse_lazy("staff:items_lookup"))}
        ),
        help_text=_(
            "已修改时必填；失效或废止后有新文件接替的，也请填写。"
            "输入标题、文号或索引号搜索后选择，也可直接填写索引号。"
        ),
    )

    def clean_replaced_by(self) -> InformationItem | None:
        value = (self.cleaned_data.get("replaced_by") or "").strip()
        if not value:
            return None
        item = InformationItem.objects.filter(index_number=value, revision_of=None).first()
        if item is None:
            raise forms.ValidationError(_("索引号为“%(n)s”的信息不存在") % {"n": value})
        return item


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤回理由"), widget=forms.Textarea(attrs={"rows": 2}))


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("附件"),
        help_text=_("支持PDF、OFD、Word、Excel、PNG、JPEG、GIF；文件类型按内容识别。"),
    )
    is_original = forms.BooleanField(
        label=_("这是文件原文（PDF或OFD版式文件）"),
        required=False,
        help_text=_("原文在公开页面的正文旁提供下载。"),
    )


class ItemFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部")), *InformationItem.Status.choices],
    )
    column = forms.ModelChoiceField(
        label=_("栏目"), queryset=Column.objects.all(), required=False, empty_label=_("全部")
    )
    q = forms.CharField(label=_("标题或索引号"), required=False, max_length=100)
