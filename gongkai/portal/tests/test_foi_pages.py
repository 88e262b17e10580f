"""Public 依申请公开 pages: apply, status, personal centre, letters (were in foi/tests)."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.accounts.tests.factories import UserFactory
from gongkai.foi import services
from gongkai.foi.models import Case, Status
from gongkai.foi.tests.conftest import VALID_ID, application, form_data

pytestmark = pytest.mark.django_db


def test_public_apply_and_status(client, org_tree):
    url = reverse("portal:foi_apply")
    assert client.get(url).status_code == 200
    r = client.post(url, form_data(org_tree["finance"]))
    assert r.status_code == 302
    assert r["Location"] == reverse("portal:foi_done")
    case = Case.objects.get()
    assert case.status == Status.SUBMITTED
    assert case.channel == "online"
    assert case.id_number == VALID_ID
    done = client.get(reverse("portal:foi_done"))
    code = done.context["code"]
    assert case.reference in done.content.decode()
    assert code in done.content.decode()
    # Wrong code: nothing disclosed.
    r = client.post(reverse("portal:foi_status"), {"reference": case.reference, "code": "WRONG123"})
    assert "申请编号或查询码不正确" in r.content.decode()
    assert "case" not in r.context or r.context.get("case") is None
    r = client.post(reverse("portal:foi_status"), {"reference": case.reference, "code": code})
    body = r.content.decode()
    assert "待确认收到" in body
    assert case.reference in body
    for pii in ("王五", VALID_ID, "13900001111", "解放路", "wangwu@example.cn"):
        assert pii not in body


def test_public_apply_chinese_validation_nothing_saved(client, org_tree):
    r = client.post(
        reverse("portal:foi_apply"),
        form_data(
            org_tree["finance"],
            id_number="110105199001011234",
            phone="",
            email="",
            info_title="",
            delivery_method="post",
            address="",
        ),
    )
    assert r.status_code == 200
    errors = r.context["form"].errors
    assert errors["id_number"] == ["居民身份证号码不正确（应为18位，且校验位正确）"]
    assert errors["phone"] == ["请至少填写联系电话或电子邮箱中的一项"]
    assert "至少一项" in errors["info_description"][0]
    assert errors["address"] == ["选择邮寄的，请填写通信地址"]
    assert Case.objects.count() == 0


def test_legal_person_needs_credit_code(client, org_tree):
    r = client.post(
        reverse("portal:foi_apply"),
        form_data(
            org_tree["finance"], applicant_type="business", applicant_name="某某科技有限公司"
        ),
    )
    assert r.context["form"].errors["id_document_type"] == [
        "法人或其他组织请选择“统一社会信用代码证”"
    ]
    r = client.post(
        reverse("portal:foi_apply"),
        form_data(
            org_tree["finance"],
            applicant_type="business",
            applicant_name="某某科技有限公司",
            id_document_type="credit_code",
            id_number="91330100MA2XXXXX1X",
        ),
    )
    assert r.status_code == 302
    assert Case.objects.get().applicant_type == "business"


def test_personal_center_and_owner_only_letter(
    client, org_tree, public_user, handler, approve_reply, make_staff
):
    client.force_login(public_user)
    client.post(reverse("portal:foi_apply"), form_data(org_tree["finance"]))
    case = Case.objects.get()
    assert case.applicant_user == public_user
    services.case_confirm_receipt(case=case, on=timezone.localdate(), acting_user=handler)
    services.case_assign(case=case, handler=handler, acting_user=handler)
    services.case_reply(case=case, outcome="4.1", acting_user=handler)
    detail = reverse("portal:foi_my_case", args=[case.pk])
    letter = reverse("portal:foi_my_letter", args=[case.pk, "pdf"])
    assert client.get(letter).status_code == 404  # not delivered yet
    approve_reply(case)
    services.case_deliver(case=case, method="online", on=timezone.localdate(), acting_user=handler)
    r = client.get(detail)
    assert "本机关不掌握相关政府信息" in r.content.decode()
    assert client.get(letter).status_code == 200
    # Somebody else's account sees nothing.
    other = UserFactory.create(username="other", password="x-pass-1234", kind="public")
    client.force_login(other)
    assert client.get(detail).status_code == 404
    assert client.get(letter).status_code == 404


def test_status_page_letter_needs_verified_session(client, org_tree, handler, approve_reply):
    case, code = services.case_record(
        organisation=org_tree["finance"],
        data=application(),
        channel="in_person",
        arrived=date(2025, 9, 26),
        acting_user=handler,
    )
    services.case_assign(case=case, handler=handler, acting_user=handler)
    services.case_reply(case=case, outcome="1", on=date(2025, 10, 9), acting_user=handler)
    approve_reply(case)
    services.case_deliver(case=case, method="email", on=date(2025, 10, 10), acting_user=handler)
    letter = reverse("portal:foi_status_letter", args=[case.reference, "pdf"])
    assert client.get(letter).status_code == 404
    r = client.post(reverse("portal:foi_status"), {"reference": case.reference, "code": code})
    assert "予以公开" in r.content.decode()
    response = client.get(letter)
    assert response.status_code == 200
    # No session cookie marks this visitor as signed in: the download itself says no-store.
    assert response["Cache-Control"] == "private, no-store"
