"""Attachment downloads, shared by the portal and the back office.

Mounted at ``staff:items_attachment_download``; the portal may mount the same view for public
pages. Public items' attachments are open to everyone; drafts and non-public items only to staff
who may see them.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.http import condition

from . import filetypes
from .models import Attachment
from .selectors import can_download_attachment, public_items


def _public_attachment(pk: int) -> Attachment | None:
    return (
        Attachment.objects.filter(pk=pk, item__in=public_items())
        .only("sha256", "uploaded_at")
        .first()
    )


def _attachment_etag(request: HttpRequest, pk: int) -> str | None:
    # A file's content never changes under its id (a replacement is a new attachment), so its
    # SHA-256 is an exact validator. Only for public items: a 304 must not confirm that a
    # draft's attachment exists.
    attachment = _public_attachment(pk)
    return attachment.sha256 if attachment and attachment.sha256 else None


def _attachment_last_modified(request: HttpRequest, pk: int) -> datetime.datetime | None:
    attachment = _public_attachment(pk)
    return attachment.uploaded_at if attachment else None


@condition(etag_func=_attachment_etag, last_modified_func=_attachment_last_modified)
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_object_or_404(Attachment.objects.select_related("item"), pk=pk)
    if not can_download_attachment(request.user, attachment.item):
        if attachment.item.is_public or request.user.is_authenticated:
            raise PermissionDenied
        # Anonymous visitors learn nothing about non-public items.
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    # FileResponse writes filename*=UTF-8''… for the original (Chinese) name (RFC 6266).
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=filetypes.CONTENT_TYPES.get(attachment.file_kind, "application/octet-stream"),
    )
