"""Every select's empty choice is Chinese: Django 6.1's "- Select an option -" must not leak
into the forms (the FOI assign form showed it)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.foi import services
from gongkai.foi.forms import AssignForm
from gongkai.foi.models import Case

from .conftest import application

pytestmark = pytest.mark.django_db

ENGLISH = ("Select an option", "---------")


def test_rendered_assign_form_has_the_chinese_placeholder(client, org_tree, handler):
    case, _code = services.case_submit(organisation=org_tree["finance"], data=application())
    services.case_confirm_receipt(case=case, on=timezone.localdate(), acting_user=handler)
    client.force_login(handler)
    body = client.get(reverse("staff:foi_case", args=[case.pk])).content.decode()
    assert 'name="assign-handler"' in body
    for english in ENGLISH:
        assert english not in body
    # Both selects of the assign form (经办人 and 承办科室) open with the same Chinese label.
    start = body.index('name="assign-handler"')
    handler_select = body[start : body.index("</select>", start)]
    assert '<option value="" selected>请选择</option>' in handler_select
    start = body.index('name="assign-unit"')
    unit_select = body[start : body.index("</select>", start)]
    assert '<option value="" selected>请选择</option>' in unit_select
    assert Case.objects.get(pk=case.pk).handler_id is None


def test_model_field_choices_and_model_choice_fields_share_the_label(org_tree):
    form = AssignForm(organisation=org_tree["finance"])
    assert str(form.fields["handler"].empty_label) == "请选择"
    blank = Case._meta.get_field("handling_unit").formfield()
    assert str(blank.empty_label) == "请选择"
    status_choices = Case._meta.get_field("status").get_choices(include_blank=True)
    assert str(status_choices[0][1]) == "请选择"


def test_staff_and_portal_forms_render_no_english_placeholder(client, org_tree):
    from gongkai.accounts.models import User

    admin = User.objects.create_superuser(username="root", password="x-pass-1234", kind="staff")
    client.force_login(admin)
    for url in (
        "/zfxxgk/ysqgk/apply/",
        reverse("staff:foi_record"),
        reverse("staff:items_create"),
        "/staff/interpretations/new/",
        "/admin/accounts/roleassignment/add/",
    ):
        r = client.get(url)
        assert r.status_code == 200, url
        body = r.content.decode()
        assert "<select" in body, url
        for english in ENGLISH:
            assert english not in body, url
