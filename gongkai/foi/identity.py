"""Identity documents uploaded with an online application (issue 15, item 9).

The file's type is decided by its bytes with the attachment rules of
``gongkai.catalogue.filetypes`` (a PDF or a photo: PNG, JPEG), the extension must agree, and
the file is stored privately (``gongkai.core.storage``). The audit row names the kind, size and
hash, never the file's content.
"""

import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.catalogue import filetypes
from gongkai.core.models import AuditEntry
from gongkai.core.services import audit_record

from .models import Case, IdentityDocument

IDENTITY_KINDS = (filetypes.PDF, filetypes.PNG, filetypes.JPEG)
IDENTITY_MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class CheckedFile:
    name: str
    kind: str
    content: bytes


def identity_document_check(uploaded_file: Any) -> CheckedFile:
    """Read and check an uploaded identity document; a Chinese error names what is wrong."""
    name = (getattr(uploaded_file, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1]
    claimed = filetypes.kind_from_name(name)
    if claimed not in IDENTITY_KINDS:
        raise ValidationError(
            _("身份证明材料“%(name)s”的类型不受支持，请上传PDF文件或JPEG、PNG图片") % {"name": name}
        )
    content = uploaded_file.read(IDENTITY_MAX_BYTES + 1)
    if len(content) > IDENTITY_MAX_BYTES:
        raise ValidationError(
            _("身份证明材料“%(name)s”超过10MB，请压缩或分页后重新上传") % {"name": name}
        )
    if not content:
        raise ValidationError(_("身份证明材料“%(name)s”是空文件") % {"name": name})
    actual = filetypes.sniff_kind(content)
    if actual != claimed:
        raise ValidationError(
            _("身份证明材料“%(name)s”的内容与扩展名不符，请上传原始的PDF文件或照片")
            % {"name": name}
        )
    return CheckedFile(name=name[:255], kind=actual, content=content)


def identity_document_attach(
    *, case: Case, checked: CheckedFile, acting_user: Any = None
) -> IdentityDocument:
    """Store a checked identity document with its case; one audit row in the same transaction."""
    digest = hashlib.sha256(checked.content).hexdigest()
    document = IdentityDocument(
        case=case,
        original_name=checked.name,
        file_kind=checked.kind,
        size=len(checked.content),
        sha256=digest,
    )
    document.file.save(checked.name, ContentFile(checked.content), save=False)
    try:
        with transaction.atomic():
            document.save()
            audit_record(
                action=AuditEntry.Action.CREATE,
                acting_user=acting_user,
                target=case,
                target_label=case.reference,
                organisation=case.organisation,
                detail={
                    "identity_document": checked.kind,
                    "size": len(checked.content),
                    "sha256": digest,
                },
            )
    except BaseException:
        document.file.delete(save=False)
        raise
    return document


def case_submit_with_identity(
    *, organisation: Any, data: dict, identity: CheckedFile | None, acting_user: Any = None
) -> tuple[Case, str]:
    """An online application and its identity document, saved together or not at all."""
    from . import services

    with transaction.atomic():
        case, code = services.case_submit(
            organisation=organisation, data=data, acting_user=acting_user
        )
        if identity is not None:
            identity_document_attach(case=case, checked=identity, acting_user=acting_user)
    return case, code


def identity_document_open(
    *, document: IdentityDocument, acting_user: Any, ip_address: str | None = None
) -> Any:
    """Open an identity document for the case's handler; every opening is audited."""
    from django.core.exceptions import PermissionDenied

    from gongkai.accounts.permissions import can_handle_foi

    if not can_handle_foi(acting_user, document.case):
        raise PermissionDenied(_("只有受理机关的依申请公开经办人可以查看身份证明材料"))
    with transaction.atomic():
        audit_record(
            action=AuditEntry.Action.VIEW_PERSONAL,
            acting_user=acting_user,
            target=document.case,
            target_label=document.case.reference,
            organisation=document.case.organisation,
            detail={"identity_document": document.pk},
            ip_address=ip_address,
        )
    return document.file.open("rb")
