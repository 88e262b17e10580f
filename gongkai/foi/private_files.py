"""Moving 依申请公开 letters and notices out of the public media root (issue 19, item 1).

Before the fix, ``CaseDocument`` files were saved under MEDIA_ROOT as
``foi/<case_id>/<reference>-reply-1.pdf``: public and guessable. The data migration
``0009_case_documents_private`` calls ``move_public_case_documents``, which is also safe to run
again (``manage.py migrate`` after a restore of an old backup, or by hand)."""

import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage

from gongkai.core.storage import private_storage, random_file_name

logger = logging.getLogger(__name__)

FIELDS = ("file", "pdf")


def move_public_case_documents(document_model: Any) -> int:
    """Move every CaseDocument file still under MEDIA_ROOT into the private storage under a
    random name, point the row at it and delete the public copy. Returns how many files moved.

    Idempotent: a name already present in the private storage (moved before) is left alone; a
    name found in neither place is logged and left as it is (the row keeps pointing nowhere,
    as it did). ``document_model`` is the historical model in the migration."""
    public = FileSystemStorage(location=settings.MEDIA_ROOT)
    private = private_storage()
    moved = 0
    for doc in document_model.objects.exclude(file="", pdf="").iterator():
        changes: dict[str, str] = {}
        for field in FIELDS:
            name = getattr(doc, field).name
            if not name or private.exists(name) or not public.exists(name):
                if name and not private.exists(name) and not public.exists(name):
                    logger.warning("case document %s: %s not found", doc.pk, name)
                continue
            with public.open(name, "rb") as handle:
                new_name = private.save(
                    random_file_name(f"foi-letters/{doc.case_id}", name), handle
                )
            changes[field] = new_name
        if not changes:
            continue
        # The row first, then the public copies: an interruption leaves at worst a public copy
        # that the next run no longer references (never a row pointing at a deleted file).
        document_model.objects.filter(pk=doc.pk).update(**changes)
        for field in changes:
            old = getattr(doc, field).name
            public.delete(old)
            moved += 1
            _remove_empty_parents(Path(public.path(old)).parent, Path(public.location))
    return moved


def _remove_empty_parents(folder: Path, root: Path) -> None:
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
