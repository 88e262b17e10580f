"""依申请公开 letters and notices are private files (issue 19, item 1): kept under
GONGKAI_PRIVATE_DIR with random names, never under the public media root, and downloaded only
through permission-checked views that tell browsers and caches not to keep them."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.views.static import serve

from gongkai.accounts.models import Role
from gongkai.accounts.tests.factories import UserFactory
from gongkai.core.storage import PrivateStorage
from gongkai.foi import services
from gongkai.foi.models import Case, CaseDocument
from gongkai.foi.private_files import move_public_case_documents

from .conftest import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def dirs(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.GONGKAI_PRIVATE_DIR = tmp_path / "private"
    settings.GONGKAI_PRIVATE_ACCEL_PREFIX = ""
    return tmp_path


def files_under(path: Path) -> list[Path]:
    return sorted(p for p in path.rglob("*") if p.is_file()) if path.exists() else []


@pytest.fixture
def delivered(client, org_tree, public_user, handler, approve_reply, dirs):
    """An online application by ``public_user``, replied to and delivered."""
    client.force_login(public_user)
    client.post(reverse("portal:foi_apply"), form_data(org_tree["finance"]))
    client.logout()
    case = Case.objects.get()
    services.case_confirm_receipt(case=case, on=timezone.localdate(), acting_user=handler)
    services.case_assign(case=case, handler=handler, acting_user=handler)
    services.case_reply(case=case, outcome="1", acting_user=handler)
    approve_reply(case)
    services.case_deliver(case=case, method="online", on=timezone.localdate(), acting_user=handler)
    return case, services.current_reply(case)


def test_reply_letter_is_stored_privately_under_a_random_name(delivered, dirs):
    case, doc = delivered
    private = dirs / "private"
    for field in (doc.file, doc.pdf):
        assert isinstance(field.storage, PrivateStorage)
        on_disk = Path(field.path)
        assert on_disk.is_file()
        assert on_disk.is_relative_to(private)
        assert case.reference not in field.name
        with pytest.raises(ValueError, match="no public URL"):
            field.url  # noqa: B018
    assert {p.suffix for p in files_under(private / "foi-letters" / str(case.pk))} == {
        ".docx",
        ".pdf",
    }
    # Nothing at all under the public media root, and the old guessable path answers 404.
    assert files_under(dirs / "media") == []
    request = RequestFactory().get("/")
    with pytest.raises(Http404, match=r"YSQ-2026-\d+-000001-reply-1\.pdf\"不存在"):
        serve(request, f"foi/{case.pk}/{case.reference}-reply-1.pdf", document_root=dirs / "media")


def directives(response) -> set[str]:
    return {part.strip() for part in response["Cache-Control"].split(",")}


def _get(client, url):
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def test_download_views_check_permission_and_forbid_caching(
    client, delivered, make_staff, org_tree, other_handler
):
    case, doc = delivered
    exact = Path(doc.pdf.path).read_bytes()
    assert exact.startswith(b"%PDF")
    staff_url = reverse("staff:foi_document", args=[case.pk, doc.pk, "pdf"])
    own_url = reverse("portal:foi_my_letter", args=[case.pk, "pdf"])

    # Anonymous: the staff view sends to the login page, the applicant's page too; no bytes.
    for url in (staff_url, own_url):
        response, body = _get(client, url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
        assert exact not in body

    # Staff of another organisation, and another citizen: 404, no bytes.
    stranger = UserFactory.create(username="other", password="x-pass-1234", kind="public")
    for user, url in ((other_handler, staff_url), (stranger, own_url)):
        client.force_login(user)
        response, body = _get(client, url)
        assert response.status_code in (403, 404)
        assert exact not in body

    # The own organisation's handler and the applicant: the exact bytes, never cached.
    applicant = case.applicant_user
    for user, url in (
        (make_staff(Role.FOI_HANDLER, org_tree["finance"]), staff_url),
        (applicant, own_url),
    ):
        client.force_login(user)
        response, body = _get(client, url)
        assert response.status_code == 200
        assert body == exact
        assert {"private", "no-store"} <= directives(response)
        assert response["Content-Disposition"].startswith("attachment;")
        assert "X-Accel-Redirect" not in response


def test_migration_moves_old_public_files_and_is_idempotent(delivered, dirs):
    case, doc = delivered
    # A letter stored the old way: under MEDIA_ROOT at foi/<case_id>/<reference>-reply-1.pdf.
    public = FileSystemStorage(location=dirs / "media")
    old_pdf = f"foi/{case.pk}/{case.reference}-reply-1.pdf"
    old_docx = f"foi/{case.pk}/{case.reference}-reply-1.docx"
    pdf_bytes = b"%PDF-1.7 old public letter"
    docx_bytes = b"PK\x03\x04 old public letter"
    public.save(old_pdf, ContentFile(pdf_bytes))
    public.save(old_docx, ContentFile(docx_bytes))
    private_before = set(files_under(dirs / "private"))
    CaseDocument.objects.filter(pk=doc.pk).update(file=old_docx, pdf=old_pdf)
    untouched = CaseDocument.objects.exclude(pk=doc.pk).values_list("pk", "file", "pdf")
    untouched = sorted(untouched)

    assert move_public_case_documents(CaseDocument) == 2

    doc.refresh_from_db()
    assert files_under(dirs / "media") == []
    assert not (dirs / "media" / "foi").exists()
    for field, content in ((doc.pdf, pdf_bytes), (doc.file, docx_bytes)):
        assert field.name.startswith(f"foi-letters/{case.pk}/")
        assert case.reference not in field.name
        assert Path(field.path).is_relative_to(dirs / "private")
        assert Path(field.path).read_bytes() == content
    assert doc.pdf.name.endswith(".pdf")
    assert doc.file.name.endswith(".docx")
    assert sorted(CaseDocument.objects.exclude(pk=doc.pk).values_list("pk", "file", "pdf")) == (
        untouched
    )
    assert len(files_under(dirs / "private")) == len(private_before) + 2

    # A second run moves nothing and changes nothing.
    names = (doc.file.name, doc.pdf.name)
    assert move_public_case_documents(CaseDocument) == 0
    doc.refresh_from_db()
    assert (doc.file.name, doc.pdf.name) == names
    assert len(files_under(dirs / "private")) == len(private_before) + 2
