"""Notices and reply letters are rendered with no database row lock held (issue 11).

The renderers are wrapped, not replaced: the wrapper notes whether a transaction (and so the
case's ``select_for_update`` lock) is open, then calls the real renderer, whose output the
tests read back. These tests run in real transactions (``transaction=True``): under the usual
per-test transaction every call would look "inside a transaction".
"""

from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from docx import Document
from pdfminer.high_level import extract_text

from gongkai.foi import documents, services
from gongkai.foi.models import Case, CaseDocument

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def renders(monkeypatch):
    """(renderer, in a transaction?) for every DOCX and PDF rendered during the test."""
    seen: list[tuple[str, bool]] = []
    real_docx, real_pdf = documents.render_docx, documents.render_pdf

    def docx(letter):
        seen.append(("docx", connection.in_atomic_block))
        return real_docx(letter)

    def pdf(letter):
        seen.append(("pdf", connection.in_atomic_block))
        return real_pdf(letter)

    monkeypatch.setattr(documents, "render_docx", docx)
    monkeypatch.setattr(documents, "render_pdf", pdf)
    return seen


def _assigned(record_case, handler) -> Case:
    case = record_case(date(2025, 9, 26))
    return services.case_assign(
        case=case, handler=handler, on=date(2025, 9, 26), acting_user=handler
    )


def _stored_files(case: Case) -> list[str]:
    folder = Path(settings.MEDIA_ROOT) / "foi" / str(case.pk)
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_the_reply_letter_pdf_is_rendered_after_the_lock_is_released(renders, record_case, handler):
    case = _assigned(record_case, handler)
    letter = services.case_reply(
        case=case, outcome="1", detail="见附件。", on=date(2025, 10, 20), acting_user=handler
    )
    assert renders == [("docx", False), ("pdf", False)]
    # The real renderers ran: the stored letter reads back as the reply.
    pdf_text = "".join(extract_text(letter.pdf.path).split())
    assert "政府信息公开申请答复书" in pdf_text
    assert case.reference in pdf_text
    body = [p.text for p in Document(letter.file.path).paragraphs]
    assert "政府信息公开申请答复书" in body
    case.refresh_from_db()
    assert (case.status, case.outcome) == ("reply_review", "1")
    assert list(case.documents.values_list("kind", flat=True)) == ["reply"]


def test_every_notice_is_rendered_outside_a_transaction(renders, record_case, handler, head):
    case = _assigned(record_case, handler)
    services.case_request_supplement(
        case=case,
        points=["请写明所需信息的年份"],
        reply_by=date(2025, 10, 15),
        on=date(2025, 9, 29),
        acting_user=handler,
    )
    services.case_receive_supplement(case=case, on=date(2025, 10, 9), acting_user=handler)
    case = Case.objects.get(pk=case.pk)
    services.case_extend(
        case=case, days=10, reason="需征求第三方意见", on=date(2025, 10, 13), acting_user=head
    )
    services.consultation_start(
        case=case,
        kind="third_party",
        party="杭东市某建设公司",
        sent_date=date(2025, 10, 14),
        acting_user=handler,
    )
    kinds = list(
        Case.objects.get(pk=case.pk).documents.order_by("id").values_list("kind", flat=True)
    )
    assert kinds == ["supplement_notice", "extension_notice", "consultation_letter"]
    assert renders == [("docx", False)] * 3
    # The notice is composed before the extension is saved, yet states the extended date:
    # 20 working days from the 补正 of 9 October (11 October 2025 is a working Saturday) end on
    # 5 November; 10 more end on 19 November.
    extended = Case.objects.get(pk=case.pk).events.get(type="extended")
    notice = case.documents.get(kind=CaseDocument.Kind.EXTENSION_NOTICE)
    assert "延长后的答复期限为2025年11月19日" in notice.body
    assert extended.data["days"] == 10


def test_a_step_taken_while_the_notice_renders_refuses_the_notice(
    monkeypatch, record_case, handler
):
    case = _assigned(record_case, handler)
    real_docx = documents.render_docx

    def docx_while_another_handler_acts(letter):
        # A second handler records a step on the case between the two transactions.
        services.case_assign(
            case=Case.objects.get(pk=case.pk),
            handler=handler,
            on=date(2025, 9, 29),
            acting_user=handler,
        )
        return real_docx(letter)

    monkeypatch.setattr(documents, "render_docx", docx_while_another_handler_acts)
    before = Case.objects.get(pk=case.pk)
    # Case ids repeat across rolled-back tests, so the folder may hold an earlier test's files.
    files_before = _stored_files(case)
    with pytest.raises(
        services.CaseError,
        match=f"申请 {case.reference} 在生成《补正申请告知书》期间已被他人办理，本次操作未保存",
    ):
        services.case_request_supplement(
            case=case,
            points=["请写明所需信息的年份"],
            reply_by=date(2025, 10, 15),
            on=date(2025, 9, 29),
            acting_user=handler,
        )
    after = Case.objects.get(pk=case.pk)
    assert (after.status, after.supplement_due) == (before.status, None) == ("in_progress", None)
    assert not after.events.filter(type="supplement_requested").exists()
    assert not after.documents.exists()
    # The rendered file was removed again.
    assert _stored_files(case) == files_before
