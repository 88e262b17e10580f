"""Back-office forms for interpretations and Q&A; the services do the rule checks."""

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import InternalUnit, Organisation, Role, User
from gongkai.accounts.selectors import organisation_ids_for_role
from gongkai.catalogue.models import InformationItem
from gongkai.catalogue.selectors import public_items

from .models import Interpretation

MAX_IMAGE_BYTES = 5 * 1024 * 1024
EDIT_ROLES = (Role.EDITOR,)  # 管理员 is implied by organisation_ids_for_role


def editable_organisations(user: User) -> QuerySet[Organisation]:
    scope = organisation_ids_for_role(user, *EDIT_ROLES)
    qs = Organisation.objects.filter(is_active=True)
    return qs if scope is None else qs.filter(id__in=scope)


def linkable_policies(user: User) -> QuerySet[InformationItem]:
    """Policies an interpretation or Q&A may point at: any public policy, plus the drafts of the
    user's own organisations (三同步: the interpretation is prepared with the document)."""
    scope = organisation_ids_for_role(user, Role.EDITOR, Role.REVIEWER)
    policies = InformationItem.objects.exclude(policy_kind="").filter(revision_of=None)
    if scope is None:
        return policies
    return policies.filter(Q(pk__in=public_items().values("pk")) | Q(organisation_id__in=scope))


def _parse_index_numbers(raw: str, allowed: QuerySet[InformationItem]) -> list[InformationItem]:
    lines = [(n, line.strip()) for n, line in enumerate(raw.splitlines(), start=1)]
    wanted = [(n, value) for n, value in lines if value]
    found = {i.index_number: i for i in allowed.filter(index_number__in=[v for _n, v in wanted])}
    errors = [
        gettext("第 %(line)d 行：索引号“%(value)s”不存在，或不是您可以关联的政策文件。")
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
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("文字解读和简明问答必填；可使用段落、列表、表格等基本格式。"),
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
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一个索引号；保存后解读与政策双向关联。"),
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
    answer = forms.CharField(label=_("答复"), widget=forms.Textarea(attrs={"rows": 8}))
    policy_ref = forms.CharField(label=_("相关政策（索引号）"), max_length=64, required=False)
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
