"""Test settings: the database comes from DATABASE_URL (SQLite by default, PostgreSQL in CI)."""

import os
import tempfile
from pathlib import Path

_tmp = Path(tempfile.mkdtemp(prefix="gongkai-test-"))
os.environ.setdefault("GONGKAI_VAR_DIR", str(_tmp))

from .base import *  # noqa: E402,F403

# A content kind that exists only in the tests: it registers itself like any content app and
# is reviewed, searched and published without any other app knowing it (ARCHITECTURE.md).
INSTALLED_APPS = [*INSTALLED_APPS, "tests.throwaway_kind"]  # noqa: F405

SECRET_KEY = "test-only-key"
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
MEDIA_ROOT = _tmp / "media"
GONGKAI_PRIVATE_DIR = _tmp / "private"
STATIC_ROOT = _tmp / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
GONGKAI_SEARCH_DIR = _tmp / "search"
GONGKAI_PII_KEY = "fedcba9876543210fedcba9876543210"
HUEY = {"huey_class": "huey.MemoryHuey", "name": "gongkai-test", "immediate": True, "utc": False}
AXES_ENABLED = False
# Rate limits are off unless a test turns them on (gongkai/core/tests/test_ratelimit.py).
GONGKAI_RATE_LIMITS = {}
# The page cache is off unless a test turns it on (gongkai/core/tests/test_page_cache.py): the
# test database is rolled back between tests, which no generation sees.
GONGKAI_PAGE_CACHE = False
GONGKAI_READ_CACHE = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
