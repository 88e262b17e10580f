"""Private file storage: applicants' identity documents, 依申请公开 letters and notices and other
personal files live under GONGKAI_PRIVATE_DIR (default var/private), outside the public media
root, under random names, and have no URL. They reach a browser only through views that check
permission (``private_file_response``)."""

import mimetypes
import os
import secrets
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

# Never kept by a browser or a shared cache: the next person at a shared computer must not find
# someone's letter in the browser cache.
PRIVATE_CACHE_CONTROL = "private, no-store"


class PrivateStorage(FileSystemStorage):
    # Read from the settings on every use (not frozen when the model field is built), so a
    # deployment's GONGKAI_PRIVATE_DIR and the tests' temporary folders are honoured.
    @property
    def base_location(self) -> str:
        return str(settings.GONGKAI_PRIVATE_DIR)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: Any) -> str:
        raise ValueError("private files have no public URL")


def private_storage() -> PrivateStorage:
    # A callable, so migrations do not record a machine's path.
    return PrivateStorage()


def random_file_name(folder: str, filename: str) -> str:
    """``folder/<32 hex digits><suffix>``: nothing in the name (no case reference, no
    applicant) lets anyone guess or recognise it; only the suffix is kept for the file type."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"{folder}/{secrets.token_hex(16)}{suffix}"


def private_file_response(field: FieldFile, *, filename: str) -> HttpResponse:
    """A private file as a download, for a view that has already checked permission.

    With GONGKAI_PRIVATE_ACCEL_PREFIX set (production), the answer carries only headers and
    ``X-Accel-Redirect``: nginx sends the file from its ``internal`` location, which no client
    can request directly. Otherwise the app streams it (development, tests)."""
    prefix = settings.GONGKAI_PRIVATE_ACCEL_PREFIX
    response: HttpResponse
    if prefix:
        name = field.name or ""
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        response = HttpResponse(content_type=kind)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(name)
        response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    else:
        response = FileResponse(field.open("rb"), as_attachment=True, filename=filename)  # type: ignore[assignment]  # both are responses; the stubs want one class
    response["Cache-Control"] = PRIVATE_CACHE_CONTROL
    response["X-Content-Type-Options"] = "nosniff"
    return response
