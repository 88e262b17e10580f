"""Files sent with a message: the same checks as item attachments (``catalogue.filetypes``: a
PDF, OFD, Word, Excel or image file whose bytes match its extension, archives within limits),
a smaller size limit, private storage; downloads only by the organisation's handlers, audited.
"""

import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from gongkai.catalogue import filetypes
from gongkai.core.models import AuditEntry
from gongkai.core.services import audit_record

from .models import Message, MessageAttachment

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 3


@dataclass(frozen=True)
class CheckedFile:
    name: str
    kind: str
    content: bytes


def attachment_check(uploaded_file: Any) -> CheckedFile:
    """Read and check one uploaded file; a Chinese error names what is wrong."""
    name = (getattr(uploaded_file, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1]
    claimed = filetypes.kind_from_name(name)
    if claimed is None:
        raise ValidationError(
            _("附件“%(name)s”的类型不受支持，只能上传PDF、OFD、Word、Excel或图片（PNG、JPEG、GIF）")
            % {"name": name}
        )
    content = uploaded_file.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise ValidationError(_("附件“%(name)s”超过10MB") % {"name": name})
    if not content:
        raise ValidationError(_("附件“%(name)s”是空文件") % {"name": name})
    actual = filetypes.sniff_kind(content)
    if actual != claimed:
        raise ValidationError(_("附件“%(name)s”的内容与扩展名不符") % {"name": name})
    try:
        filetypes.extract_text(actual, content)
    except filetypes.ArchiveRefused as exc:
        raise ValidationError(
            _("附件“%(name)s”：%(reason)s") % {"name": name, "reason": str(exc)}
        ) from exc
    except filetypes.ExtractionError as exc:
        raise ValidationError(_("附件“%(name)s”已损坏或无法读取") % {"name": name}) from exc
    return CheckedFile(name=name[:255], kind=actual, content=content)


def attachments_store(
    *, message: Message, files: list[CheckedFile], acting_user: Any, stored: list
) -> list:
    """Inside the caller's transaction. Every file written is appended to ``stored`` at once,
    so the caller can delete them if the transaction rolls back."""
    for checked in files:
        digest = hashlib.sha256(checked.content).hexdigest()
        attachment = MessageAttachment(
            message=message,
            original_name=checked.name,
            file_kind=checked.kind,
            size=len(checked.content),
            sha256=digest,
        )
        attachment.file.save(checked.name, ContentFile(checked.content), save=False)
        stored.append(attachment)
        attachment.save()
        audit_record(
            action=AuditEntry.Action.CREATE,
            acting_user=acting_user,
            target=message,
            target_label=message.reference,
            organisation=message.organisation,
            detail={"attachment": checked.kind, "size": len(checked.content), "sha256": digest},
        )
    return stored


def attachment_open(*, attachment: MessageAttachment, acting_user: Any) -> Any:
    from django.db import transaction

    from .services import can_handle

    if not can_handle(acting_user, attachment.message.organisation):
        raise PermissionDenied(_("只有办理机构的工作人员可以查看留言附件"))
    with transaction.atomic():
        audit_record(
            action=AuditEntry.Action.VIEW_PERSONAL,
            acting_user=acting_user,
            target=attachment.message,
            target_label=attachment.message.reference,
            organisation=attachment.message.organisation,
            detail={"attachment": attachment.pk},
        )
    return attachment
