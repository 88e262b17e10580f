"""View tests moved from gongkai/foi/tests/test_reply_kinds.py (issue 11 item 7)."""

from datetime import date

from gongkai.foi import services


def test_public_status_names_the_reply_kind_not_the_neighbouring_row(
    client, org_tree, handler, approve_reply
):
    from django.urls import reverse

    from gongkai.foi.tests.conftest import application

    case, code = services.case_record(
        organisation=org_tree["finance"],
        data=application(),
        channel="in_person",
        arrived=date(2025, 9, 26),
        acting_user=handler,
    )
    case = services.case_assign(case=case, handler=handler, acting_user=handler)
    services.case_reply(
        case=case,
        kind="36.5",
        facts={"reason": "该信息由西湖区教育局制作", "agency": "西湖区教育局"},
        on=date(2025, 10, 20),
        acting_user=handler,
    )
    approve_reply(case)
    services.case_deliver(case=case, method="email", on=date(2025, 10, 21), acting_user=handler)
    page = client.post(
        reverse("portal:foi_status"), {"reference": case.reference, "code": code}
    ).content.decode()
    assert "不属于本机关负责公开的政府信息" in page
    assert "本机关不掌握相关政府信息" not in page
