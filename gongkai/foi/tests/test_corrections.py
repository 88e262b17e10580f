"""Issue 20 item 4 (条例第四十一条): correction requests — public and staff intake, forwarding to
the agency with the power to correct, the answer, and the count on the statistics dashboard
(the annual report's table 三 has no row for them)."""

from datetime import date

import pytest
from django.core import mail

from gongkai.foi import services

pytestmark = pytest.mark.django_db

DATA = {
    "applicant_name": "赵六",
    "id_number": "110105199001011232",
    "phone": "13900002222",
    "email": "zhaoliu@example.cn",
    "record": "2025年低保名单公示中本人的家庭人口数记为4人",
    "correction": "家庭人口数应为3人",
    "evidence": "户口簿复印件、街道出具的证明",
}


def test_forward_to_the_agency_with_power_then_answer(
    org_tree, handler, django_capture_on_commit_callbacks
):
    item = services.correction_record(
        organisation=org_tree["finance"],
        data=DATA,
        channel="in_person",
        received=date(2026, 3, 2),
        acting_user=handler,
    )
    with pytest.raises(services.CaseError, match="尚未转送有权更正的机关"):
        services.correction_reply(
            request=item,
            result="forwarded",
            text="已转送。",
            on=date(2026, 3, 3),
            acting_user=handler,
        )
    with pytest.raises(services.CaseError, match="不能是本机关"):
        services.correction_forward(
            request=item, to=org_tree["finance"], on=date(2026, 3, 3), acting_user=handler
        )
    item.refresh_from_db()
    assert (item.state, item.forwarded_to_name) == ("received", "")
    item = services.correction_forward(
        request=item, to=org_tree["district"], on=date(2026, 3, 3), acting_user=handler
    )
    assert (item.state, item.forwarded_to_name) == ("forwarded", "杭东市西湖区人民政府")
    with django_capture_on_commit_callbacks(execute=True):
        item = services.correction_reply(
            request=item,
            result="forwarded",
            text="低保名单由西湖区人民政府公示，已转送该机关处理。",
            on=date(2026, 3, 4),
            acting_user=handler,
        )
    assert (item.state, item.result, item.replied_date) == (
        "answered",
        "forwarded",
        date(2026, 3, 4),
    )
    assert mail.outbox[-1].to == ["zhaoliu@example.cn"]
    assert mail.outbox[-1].body == (
        "不属于本机关职能范围，已转送有权更正的机关处理。低保名单由西湖区人民政府公示，已转送该机关处理。"
    )
    with pytest.raises(services.CaseError, match="已答复，不能再处理"):
        services.correction_reply(
            request=item,
            result="corrected",
            text="已更正。",
            on=date(2026, 3, 5),
            acting_user=handler,
        )
