"""The subscription form of the portal (/subscriptions/)."""

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import Organisation
from gongkai.catalogue.models import Audience, PolicyKind, TopicCategory

from .models import Subscription

FIELD_OF_KIND = {
    Subscription.Kind.TOPIC: "topic",
    Subscription.Kind.AUDIENCE: "audience",
    Subscription.Kind.ORGANISATION: "organisation",
    Subscription.Kind.POLICY_KIND: "policy_kind",
    Subscription.Kind.KEYWORD: "keyword",
}


class SubscriptionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("订阅类型"),
        choices=[(k.value, k.label) for k in FIELD_OF_KIND],
        widget=forms.RadioSelect,
    )
    topic = forms.ModelChoiceField(
        label=_("政策主题"), queryset=TopicCategory.objects.all(), required=False
    )
    audience = forms.ModelChoiceField(
        label=_("服务对象"), queryset=Audience.objects.all(), required=False
    )
    organisation = forms.ModelChoiceField(
        label=_("发布机构"),
        queryset=Organisation.objects.filter(is_active=True).order_by("code"),
        required=False,
    )
    policy_kind = forms.ChoiceField(
        label=_("文件类型"),
        choices=[("", "---------"), *[(v, lbl) for v, lbl in PolicyKind.choices if v]],
        required=False,
    )
    keyword = forms.CharField(label=_("关键词"), max_length=50, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind:
            name = FIELD_OF_KIND[Subscription.Kind(kind)]
            if not data.get(name):
                self.add_error(
                    name,
                    gettext("请选择或填写要订阅的%(what)s。") % {"what": self.fields[name].label},
                )
            data["target"] = data.get(name)
        return data


class SavedSearchForm(forms.Form):
    """The personal centre's saved search: several values of each facet (OR within a facet,
    AND across facets). The field names are the policy library's parameter names, so the
    library's "订阅当前筛选条件" button and this form post the same thing; the view reads them
    with ``selectors.saved_search_facets``."""

    topic = forms.ModelMultipleChoiceField(
        label=_("政策主题（可多选）"),
        queryset=TopicCategory.objects.filter(parent__isnull=True).order_by("id"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    audience = forms.ModelMultipleChoiceField(
        label=_("服务对象（可多选）"),
        queryset=Audience.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    org = forms.ModelMultipleChoiceField(
        label=_("发布机构（可多选，按住Ctrl键选择多个）"),
        queryset=Organisation.objects.filter(is_active=True).order_by("code"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    kind = forms.MultipleChoiceField(
        label=_("文件类型（可多选）"),
        choices=[(v, lbl) for v, lbl in PolicyKind.choices if v],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    q = forms.CharField(label=_("检索关键词"), max_length=50, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", None)
        kwargs.setdefault("auto_id", "search_%s")
        super().__init__(*args, **kwargs)
