"""Notices and letters of a case, rendered with no database row lock held.

Rendering a DOCX, and above all a PDF, takes long enough that holding the case's row lock
through it would queue every other step on the case behind it. A service that issues a
document therefore works in three steps:

1. under the lock (a short transaction) it validates the step and composes the document
   (``document_draft``), which also notes how the case looked (``case_fingerprint``);
2. with no transaction open it renders the files and writes them to storage (``rendered``);
3. in a second transaction it locks the case again and refuses the step if the case changed
   meanwhile (``relock``), else records the step and the document (``document_store``).

If step 3 fails, the rendered files are deleted: nothing is half-saved.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from gongkai.core.pdf import PdfFontsMissing

from .. import documents
from ..models import Case, CaseDocument
from .base import CaseError, _lock


@dataclass
class DocumentDraft:
    """What a document will say, composed under the lock; rendered after it is released."""

    kind: str
    title: str
    paragraphs: list[str]
    letter: documents.Letter
    stem: str
    fingerprint: tuple
    pdf: bool = False
    created_by: Any = None
    review_status: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def case_fingerprint(case: Case) -> tuple:
    """How the case looks now: any step on it saves the case, adds an event or a document."""
    last_event = case.events.order_by("-id").values_list("id", flat=True).first()
    last_document = case.documents.order_by("-id").values_list("id", flat=True).first()
    return (case.status, case.updated_at, last_event, last_document)


def document_draft(
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
) -> DocumentDraft:
    """Compose a document of a locked case (call inside the first transaction)."""
    letter = documents.Letter(
        title=title,
        addressee=addressee or case.applicant_name or _("申请人"),
        paragraphs=paragraphs,
        organisation=case.organisation.name,
        issued=on,
        number=_("申请编号：%(ref)s") % {"ref": case.reference},
        sections=sections or [],
    )
    return DocumentDraft(
        kind=kind,
        title=title,
        paragraphs=paragraphs,
        letter=letter,
        stem=f"{case.reference}-{kind}-{CaseDocument.objects.filter(case=case).count() + 1}",
        fingerprint=case_fingerprint(case),
        pdf=pdf,
        created_by=created_by if getattr(created_by, "is_authenticated", False) else None,
        review_status=review_status,
    )


def _render(case: Case, draft: DocumentDraft) -> CaseDocument:
    """The unsaved document row with its files already in storage."""
    doc = CaseDocument(
        case=case,
        kind=draft.kind,
        title=draft.title,
        body="\n".join(draft.paragraphs),
        created_by=draft.created_by,
        review_status=draft.review_status,
    )
    docx_bytes = documents.render_docx(draft.letter)
    pdf_bytes = b""
    if draft.pdf:
        try:
            pdf_bytes = documents.render_pdf(draft.letter)
        except PdfFontsMissing as exc:
            raise CaseError(str(exc)) from exc
    doc.file.save(f"{draft.stem}.docx", ContentFile(docx_bytes), save=False)
    if draft.pdf:
        doc.pdf.save(f"{draft.stem}.pdf", ContentFile(pdf_bytes), save=False)
    return doc


def _discard(doc: CaseDocument) -> None:
    for stored in (doc.file, doc.pdf):
        if stored:
            stored.delete(save=False)


@contextmanager
def rendered(case: Case, draft: DocumentDraft) -> Iterator[CaseDocument]:
    """Render the draft (call with no transaction open); if the block that records the step
    fails, the files written to storage are removed again."""
    doc = _render(case, draft)
    try:
        yield doc
    except BaseException:
        _discard(doc)
        raise


def relock(case: Case, draft: DocumentDraft) -> Case:
    """Lock the case again after rendering; refuse the step if it changed in the meantime
    (another handler's step would make the rendered document wrong)."""
    locked = _lock(case)
    if case_fingerprint(locked) != draft.fingerprint:
        raise CaseError(
            _("申请 %(ref)s 在生成《%(title)s》期间已被他人办理，本次操作未保存，请刷新页面后重试")
            % {"ref": locked.reference, "title": draft.title}
        )
    return locked


def document_store(case: Case, doc: CaseDocument) -> CaseDocument:
    """Save the rendered document on the locked case (inside the second transaction)."""
    doc.case = case
    doc.save()
    return doc
