"""Case documents."""

from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from gongkai.core.pdf import PdfFontsMissing

from .. import documents
from ..models import (
    Case,
    CaseDocument,
)
from .base import CaseError


def _make_document(
    case: Case,
    kind: str,
    title: str,
    paragraphs: list[str],
    on: date,
    *,
    addressee: str = "",
    sections: list[tuple[str, str]] | None = None,
    pdf: bool = False,
    created_by: Any = None,
    review_status: str = "",
) -> CaseDocument:
    letter = documents.Letter(
        title=title,
        addressee=addressee or case.applicant_name or _("申请人"),
        paragraphs=paragraphs,
        organisation=case.organisation.name,
        issued=on,
        number=_("申请编号：%(ref)s") % {"ref": case.reference},
        sections=sections or [],
    )
    doc = CaseDocument(
        case=case,
        kind=kind,
        title=title,
        body="\n".join(paragraphs),
        created_by=created_by if getattr(created_by, "is_authenticated", False) else None,
        review_status=review_status,
    )
    stem = f"{case.reference}-{kind}-{CaseDocument.objects.filter(case=case).count() + 1}"
    doc.file.save(f"{stem}.docx", ContentFile(documents.render_docx(letter)), save=False)
    if pdf:
        try:
            pdf_bytes = documents.render_pdf(letter)
        except PdfFontsMissing as exc:
            raise CaseError(str(exc)) from exc
        doc.pdf.save(f"{stem}.pdf", ContentFile(pdf_bytes), save=False)
    doc.save()
    return doc
