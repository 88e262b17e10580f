"""Attachment downloads, shared by the portal and the back office.

Mounted at ``staff:items_attachment_download``; the portal may mount the same view for public
pages. Public items' attachments are open to everyone; drafts and non-public items only to staff
who may see them.
"""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404

from . import filetypes
from .models import Attachment
from .selectors import can_download_attachment


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
