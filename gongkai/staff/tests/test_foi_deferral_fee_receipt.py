"""Staff case page: the 第三十五条 later deadline and the posted fee notice's receipt."""

from datetime import date

import pytest
from django.urls import reverse

from gongkai.foi import services
from gongkai.foi.models import FeeNotice, Status

pytestmark = pytest.mark.django_db


def _case_page(client, case, step=""):
    url = reverse("staff:foi_case", args=[case.pk]) + (f"?step={step}" if step else "")
    return client.get(url).content.decode()


def test_deferral_offered_only_after_an_accepted_explanation(client, record_case, handler):
    case = record_case(date(2026, 2, 9))
    case = services.case_assign(
        case=case, handler=handler, on=date(2026, 2, 9), acting_user=handler
    )
    client.force_login(handler)
    assert 'href="?step=defer#step-form"' not in _case_page(client, case)
    case = services.case_request_explanation(
        case=case,
        points=["各申请的用途"],
        reply_by=date(2026, 2, 27),
        on=date(2026, 2, 11),
        acting_user=handler,
    )
    assert 'href="?step=defer#step-form"' not in _case_page(client, case)
    services.case_receive_explanation(
        case=case, on=date(2026, 3, 2), note="课题研究", acting_user=handler
    )
    assert 'href="?step=defer#step-form"' in _case_page(client, case)
    assert "确定延迟答复的合理期限（条例第三十五条）" in _case_page(client, case, "defer")
    r = client.post(
        reverse("staff:foi_action", args=[case.pk, "defer"]),
        {"defer-due_date": "2026-03-26", "defer-reason": "档案量大"},
    )
    assert "延迟答复的期限2026-03-26应晚于当前答复期限2026-03-26" in r.content.decode()
    r = client.post(
        reverse("staff:foi_action", args=[case.pk, "defer"]),
        {"defer-due_date": "2026-04-24", "defer-reason": "档案量大"},
    )
    assert r.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.due_date) == (Status.IN_PROGRESS, date(2026, 4, 24))
    page = _case_page(client, case)
    assert "2026年4月24日" in page
    assert "延迟答复告知书" in page


def test_applicant_page_says_why_the_due_date_is_later(client, org_tree, handler):
    from gongkai.foi.tests.conftest import application

    case, code = services.case_record(
        organisation=org_tree["finance"],
        data=application(),
        channel="in_person",
        arrived=date(2026, 2, 9),
        acting_user=handler,
    )
    case = services.case_assign(
        case=case, handler=handler, on=date(2026, 2, 9), acting_user=handler
    )
    case = services.case_request_explanation(
        case=case,
        points=["各申请的用途"],
        reply_by=date(2026, 2, 27),
        on=date(2026, 2, 11),
        acting_user=handler,
    )
    case = services.case_receive_explanation(case=case, on=date(2026, 3, 2), acting_user=handler)
    services.case_reply_deferral_set(
        case=case,
        due_date=date(2026, 4, 24),
        reason="需调取86卷档案",
        on=date(2026, 3, 10),
        acting_user=handler,
    )
    r = client.post(reverse("portal:foi_status"), {"reference": case.reference, "code": code})
    body = r.content.decode()
    assert "2026-04-24" in body
    assert (
        "您说明的理由合理，但本机关无法在条例第三十三条规定的期限内答复，已依据条例第三十五条"
        "确定延迟答复的合理期限为2026-04-24。原因：需调取86卷档案"
    ) in body
    assert "确定延迟答复的合理期限" in body


def test_posted_fee_notice_receipt_on_the_case_page(client, record_case, handler, settings):
    settings.GONGKAI_FOI_FEE_WAIT_EXCLUDED = True
    case = record_case(date(2025, 9, 22))
    case = services.case_assign(
        case=case, handler=handler, on=date(2025, 9, 22), acting_user=handler
    )
    client.force_login(handler)
    r = client.post(
        reverse("staff:foi_action", args=[case.pk, "fee"]),
        {"fee-on": "2025-09-26", "fee-method": "pages", "fee-pages": "40", "fee-delivery": "post"},
    )
    assert r.status_code == 302
    page = _case_page(client, case)
    assert "邮寄送达" in page
    assert "待登记签收日期" in page
    assert 'href="?step=fee_received#step-form"' in page
    r = client.post(
        reverse("staff:foi_action", args=[case.pk, "fee_received"]),
        {"feerec-received_date": "2025-09-25"},
    )
    assert "申请人收到收费通知的日期2025-09-25不能早于通知发出日期2025-09-26" in r.content.decode()
    r = client.post(
        reverse("staff:foi_action", args=[case.pk, "fee_received"]),
        {"feerec-received_date": "2025-09-30"},
    )
    assert r.status_code == 302
    assert FeeNotice.objects.get(case=case).pay_due == date(2025, 11, 4)
    page = _case_page(client, case)
    assert "申请人收到 2025年9月30日" in page
    assert "缴费期限 2025年11月4日" in page
    # Still offered while unpaid, to correct a wrongly entered date; not once paid.
    services.fee_paid(case=case, on=date(2025, 10, 10), acting_user=handler)
    assert 'href="?step=fee_received#step-form"' not in _case_page(client, case)
