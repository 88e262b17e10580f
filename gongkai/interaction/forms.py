"""Forms of 政民互动: the public message form, the status query, 满意度, and the staff steps."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import Organisation
from gongkai.policies.models import Interpretation

from .attachments import MAX_FILES, CheckedFile, attachment_check
from .models import Category, OpinionItem, PressConference, Satisfaction
from .services import CONTENT_MAX, TITLE_MAX


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Up to ``MAX_FILES`` files, each checked like an item attachment."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list[CheckedFile]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("最多上传%(n)d个附件") % {"n": MAX_FILES})
        return [attachment_check(f) for f in files]


class MessageForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("留言对象（机构）"),
        queryset=Organisation.objects.filter(is_active=True).order_by("sort_order", "code"),
    )
    category = forms.ChoiceField(label=_("留言类别"), choices=Category.choices)
    title = forms.CharField(label=_("标题"), max_length=TITLE_MAX)
    content = forms.CharField(
        label=_("留言内容"),
        max_length=CONTENT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("不超过5000字。请勿填写身份证号等个人信息，公开时将作隐去处理。"),
    )
    name = forms.CharField(label=_("姓名"), max_length=100, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=40, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    attachments = MultipleFileField(
        label=_("附件"),
        required=False,
        help_text=_("可选，最多3个，每个不超过10MB：PDF、OFD、Word、Excel或图片。附件不公开。"),
    )
    wants_public = forms.BooleanField(
        label=_("同意公开留言及答复（个人信息隐去）"), required=False, initial=True
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        if not (data.get("phone") or data.get("email")):
            self.add_error("phone", _("请至少填写联系电话或电子邮箱中的一项，以便答复"))
        return data

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("organisation", None)
        data.pop("attachments", None)
        data["channel"] = "website"
        return data


class StatusQueryForm(forms.Form):
    reference = forms.CharField(label=_("留言编号"), max_length=64)
    code = forms.CharField(label=_("查询码"), max_length=16)


class FeedbackForm(forms.Form):
    satisfaction = forms.ChoiceField(
        label=_("满意度"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("评价意见"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PressPlanForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    planned_count = forms.IntegerField(label=_("计划场次"), min_value=0, max_value=1000)
    themes = forms.CharField(
        label=_("计划主题"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def _policy_refs(raw: str) -> list:
    """相关政策文件 by 索引号, one per line: each must be a public item."""
    from gongkai.catalogue.selectors import public_items

    wanted = [(n, line.strip()) for n, line in enumerate(raw.splitlines(), start=1)]
    wanted = [(n, v) for n, v in wanted if v]
    found = {
        i.index_number: i for i in public_items().filter(index_number__in=[v for _n, v in wanted])
    }
    errors = [
        gettext("第%(n)d行：索引号“%(v)s”不存在或未公开") % {"n": n, "v": v[:64]}
        for n, v in wanted
        if v not in found
    ]
    if errors:
        raise forms.ValidationError(errors)
    return list({v: found[v] for _n, v in wanted}.values())


class _LinksForm(forms.Form):
    """相关政策文件 (索引号, one per line) and 相关政策解读 (the organisation's published ones)."""

    policy_refs = forms.CharField(
        label=_("相关政策文件（索引号，每行一个）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # The querysets are set per organisation in __init__.
    interpretations: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("相关政策解读"), queryset=Interpretation.objects.none(), required=False
    )

    def __init__(self, *args, organisation: Organisation, **kwargs) -> None:
        from gongkai.policies.selectors import public_interpretations

        super().__init__(*args, **kwargs)
        field = self.fields["interpretations"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = (
            public_interpretations()
            .filter(organisation=organisation)
            .order_by("-published_date", "-id")
        )

    def clean_policy_refs(self) -> list:
        return _policy_refs(self.cleaned_data.get("policy_refs") or "")

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["policies"] = data.pop("policy_refs", [])
        data["interpretations"] = list(data.get("interpretations") or [])
        return data

    @staticmethod
    def link_initial(obj) -> dict:
        return {
            "policy_refs": "\n".join(p.index_number for p in obj.policies.all()),
            "interpretations": list(obj.interpretations.all()),
        }


class PressConferenceForm(_LinksForm):
    held_on = forms.DateField(label=_("召开日期"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label=_("召开时间"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    location = forms.CharField(label=_("地点"), max_length=200, required=False)
    topic = forms.CharField(label=_("主题"), max_length=300)
    speakers = forms.CharField(label=_("发布人"), max_length=500)
    video_url = forms.URLField(label=_("视频链接"), required=False, max_length=500)
    image_urls = forms.CharField(
        label=_("图片链接（每行一个）"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    transcript = forms.CharField(
        label=_("文字实录"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    field_order = [
        "topic", "held_on", "start_time", "location", "speakers", "transcript", "video_url",
        "image_urls", "policy_refs", "interpretations",
    ]  # fmt: skip

    @staticmethod
    def initial_for(conference) -> dict:
        return {
            "held_on": conference.held_on,
            "start_time": conference.start_time,
            "location": conference.location,
            "topic": conference.topic,
            "speakers": conference.speakers,
            "video_url": conference.video_url,
            "image_urls": conference.image_urls,
            "transcript": conference.transcript,
            **_LinksForm.link_initial(conference),
        }


class ConcernResponseForm(_LinksForm):
    title = forms.CharField(label=_("标题"), max_length=300)
    concern = forms.CharField(label=_("社会关切"), widget=forms.Textarea(attrs={"rows": 3}))
    response = forms.CharField(label=_("回应内容"), widget=forms.Textarea(attrs={"rows": 8}))
    conference: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("回应发布会"), queryset=PressConference.objects.none(), required=False
    )
    opinion_item: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("对应舆情"), queryset=OpinionItem.objects.none(), required=False
    )
    field_order = [
        "title", "concern", "response", "policy_refs", "interpretations", "conference",
        "opinion_item",
    ]  # fmt: skip

    def __init__(self, *args, organisation: Organisation, **kwargs) -> None:
        super().__init__(*args, organisation=organisation, **kwargs)
        for name, qs in (
            ("conference", PressConference.objects.filter(organisation=organisation)),
            ("opinion_item", OpinionItem.objects.filter(organisation=organisation)),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = qs

    @staticmethod
    def initial_for(response) -> dict:
        return {
            "title": response.title,
            "concern": response.concern,
            "response": response.response,
            "conference": response.conference_id,
            "opinion_item": response.opinion_item_id,
            **_LinksForm.link_initial(response),
        }


class OpinionForm(forms.Form):
    collected_on = forms.DateField(
        label=_("收集日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    source = forms.CharField(label=_("来源"), max_length=200)
    link = forms.URLField(label=_("链接"), required=False, max_length=500)
    summary = forms.CharField(label=_("内容摘要"), widget=forms.Textarea(attrs={"rows": 3}))
    level = forms.ChoiceField(label=_("研判等级"), choices=[])
    unit = forms.CharField(label=_("责任单位"), max_length=200, required=False)

    def __init__(self, *args, **kwargs) -> None:
        from .models import OpinionItem

        super().__init__(*args, **kwargs)
        self.fields["level"].choices = OpinionItem.Level.choices  # type: ignore[attr-defined]  # Field has no choices; this one is a ChoiceField
