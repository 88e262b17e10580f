"""View tests moved from gongkai/foi/tests/test_identity_document.py (issue 11 item 7)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.catalogue.tests.test_attachments import pdf_bytes, png_bytes
from gongkai.core.models import AuditEntry
from gongkai.core.storage import PrivateStorage
from gongkai.foi.models import Case, IdentityDocument
from gongkai.foi.tests.conftest import form_data
from gongkai.foi.tests.test_identity_document import files_under

pytestmark = pytest.mark.django_db


def test_identity_document_is_stored_privately_with_the_case(client, org_tree, dirs):
    content = png_bytes()
    response = client.post(
        "/zfxxgk/ysqgk/apply/",
        {
            **form_data(org_tree["finance"]),
            "as": "natural",
            "identity_document": SimpleUploadedFile("身份证.png", content),
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    document = IdentityDocument.objects.get(case=case)
    assert (document.original_name, document.file_kind, document.size) == (
        "身份证.png",
        "png",
        len(content),
    )
    stored = files_under(dirs / "private")
    assert len(stored) == 1
    assert stored[0].read_bytes() == content
    assert files_under(dirs / "media") == []
    assert isinstance(document.file.storage, PrivateStorage)
    with pytest.raises(ValueError, match="no public URL"):
        document.file.url  # noqa: B018
    entry = AuditEntry.objects.get(target_id=str(case.pk), detail__identity_document="png")
    assert entry.detail["sha256"] == document.sha256


def test_form_marks_the_upload_and_sends_multipart(client, org_tree):
    html = client.get("/zfxxgk/ysqgk/apply/?as=natural").content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert '<label for="id_identity_document">身份证明材料：</label>' in html
    assert 'type="file" name="identity_document"' in html


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "身份证.png",
            pdf_bytes(),
            "身份证明材料“身份证.png”的内容与扩展名不符，请上传原始的PDF文件或照片",
        ),
        (
            "身份证.docx",
            b"PK\x03\x04",
            "身份证明材料“身份证.docx”的类型不受支持，请上传PDF文件或JPEG、PNG图片",
        ),
    ],
)
def test_bad_identity_document_refuses_the_whole_application(
    client, org_tree, dirs, name, content, message
):
    response = client.post(
        "/zfxxgk/ysqgk/apply/",
        {
            **form_data(org_tree["finance"]),
            "as": "natural",
            "identity_document": SimpleUploadedFile(name, content),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["identity_document"] == [message]
    assert message in response.content.decode()
    assert Case.objects.count() == 0
    assert IdentityDocument.objects.count() == 0
    assert files_under(dirs / "private") == []
    assert files_under(dirs / "media") == []
