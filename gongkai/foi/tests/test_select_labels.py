"""Every select's empty choice is Chinese: Django 6.1's "- Select an option -" must not leak
into the forms (the FOI assign form showed it)."""

import pytest

from gongkai.foi.forms import AssignForm
from gongkai.foi.models import Case

pytestmark = pytest.mark.django_db

ENGLISH = ("Select an option", "---------")


def test_model_field_choices_and_model_choice_fields_share_the_label(org_tree):
    form = AssignForm(organisation=org_tree["finance"])
    assert str(form.fields["handler"].empty_label) == "请选择"
    blank = Case._meta.get_field("handling_unit").formfield()
    assert str(blank.empty_label) == "请选择"
    status_choices = Case._meta.get_field("status").get_choices(include_blank=True)
    assert str(status_choices[0][1]) == "请选择"
