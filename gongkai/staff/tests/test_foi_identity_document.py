"""View tests moved from gongkai/foi/tests/test_identity_document.py (issue 11 item 7)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.catalogue.tests.test_attachments import pdf_bytes
from gongkai.core.models import AuditEntry
from gongkai.foi.models import Case, IdentityDocument
from gongkai.foi.tests.conftest import form_data

pytestmark = pytest.mark.django_db


def test_handler_downloads_the_document_and_each_opening_is_audited(
    client, org_tree, dirs, handler, make_staff
):
    from gongkai.accounts.models import Role

    content = pdf_bytes()
    client.post(
        "/zfxxgk/ysqgk/apply/",
        {
            **form_data(org_tree["finance"]),
            "as": "natural",
            "identity_document": SimpleUploadedFile("营业执照.pdf", content),
        },
    )
    case = Case.objects.get()
    document = IdentityDocument.objects.get()
    url = f"/staff/foi/{case.pk}/identity/{document.pk}/"
    client.force_login(handler)
    personal = client.post(f"/staff/foi/{case.pk}/personal/").content.decode()
    assert f'action="{url}"' in personal
    assert "下载“营业执照.pdf”（记入审计）" in personal
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    opened = AuditEntry.objects.filter(
        action="view_personal", target_id=str(case.pk), detail__identity_document=document.pk
    )
    assert opened.count() == 1
    assert opened.get().actor == handler

    outsider = make_staff(Role.FOI_HANDLER, org_tree["office"])
    client.force_login(outsider)
    assert client.post(url).status_code in (403, 404)
    assert opened.count() == 1
