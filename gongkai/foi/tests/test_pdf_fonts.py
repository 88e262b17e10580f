"""A reply letter is not drafted when its PDF would be unreadable (no Chinese font)."""

from datetime import date

import pytest
from django.urls import reverse

from gongkai.foi import services
from gongkai.foi.models import Case, CaseDocument

pytestmark = pytest.mark.django_db


def test_reply_is_refused_with_the_reason_and_nothing_changes(
    client, record_case, handler, no_chinese_fonts
):
    case = record_case(date(2025, 9, 26))
    case = services.case_assign(
        case=case, handler=handler, on=date(2025, 9, 26), acting_user=handler
    )
    before = (case.status, case.outcome, case.events.count())
    client.force_login(handler)
    response = client.post(
        reverse("staff:foi_action", args=[case.pk, "reply"]),
        {"reply-on": "2025-10-20", "reply-outcome": "1", "reply-detail": "见附件。"},
    )
    assert response.status_code == 400
    assert "无法生成 PDF：本服务器没有安装中文字体" in response.content.decode()
    case = Case.objects.get(pk=case.pk)
    assert (case.status, case.outcome, case.events.count()) == before
    assert not CaseDocument.objects.filter(case=case).exists()


def test_the_demo_may_draft_a_docx_only_letter(record_case, handler, no_chinese_fonts):
    case = record_case(date(2025, 9, 26))
    case = services.case_assign(
        case=case, handler=handler, on=date(2025, 9, 26), acting_user=handler
    )
    letter = services.case_reply(
        case=case, outcome="1", on=date(2025, 10, 20), acting_user=handler, pdf=False
    )
    assert letter.file.name.endswith(".docx")
    assert not letter.pdf
