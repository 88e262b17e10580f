"""The applicant's identity document (issue 15, item 9): sniffed like attachments, stored under
GONGKAI_PRIVATE_DIR (never the media root), saved with the case or not at all."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def dirs(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.GONGKAI_PRIVATE_DIR = tmp_path / "private"
    return tmp_path


def files_under(path) -> list:
    return sorted(p for p in path.rglob("*") if p.is_file()) if path.exists() else []
