"""TimeStampedModel._get_FIELD_display: the same labels as Django's, from a table built once."""

from django.apps import apps
from django.db import models
from django.utils import translation

from gongkai.catalogue.models import InformationItem
from gongkai.core.models import TimeStampedModel


def test_every_choice_of_every_model_shows_djangos_label():
    checked = 0
    for model in apps.get_models():
        if not issubclass(model, TimeStampedModel):
            continue
        for field in model._meta.concrete_fields:
            if not field.choices:
                continue
            for value in [*(v for v, _label in field.flatchoices), "no-such-choice"]:
                obj = model()
                setattr(obj, field.attname, value)
                ours = getattr(obj, f"get_{field.name}_display")()
                assert ours == models.Model._get_FIELD_display(obj, field), (model, field, value)
                checked += 1
    assert checked > 50


def test_labels_are_chinese_and_unknown_values_shown_as_stored():
    item = InformationItem(policy_kind="normative", validity="repealed")
    with translation.override("zh-hans"):
        assert item.get_policy_kind_display() == "行政规范性文件"
        assert item.get_validity_display() == "废止"
    item.validity = "legacy-value"
    assert item.get_validity_display() == "legacy-value"
