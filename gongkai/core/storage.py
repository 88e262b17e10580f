"""Private file storage: applicants' identity documents and other personal files live under
GONGKAI_PRIVATE_DIR (default var/private), outside the public media root, and have no URL.
Staff read them only through views that check permission and write an audit row."""

import os
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    # Read from the settings on every use (not frozen when the model field is built), so a
    # deployment's GONGKAI_PRIVATE_DIR and the tests' temporary folders are honoured.
    @property  # type: ignore[override]
    def base_location(self) -> str:
        return str(settings.GONGKAI_PRIVATE_DIR)

    @property  # type: ignore[override]
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: Any) -> str:
        raise ValueError("private files have no public URL")


def private_storage() -> PrivateStorage:
    # A callable, so migrations do not record a machine's path.
    return PrivateStorage()
