"""The production settings for the app servers of the two-server page-cache test
(gongkai/core/tests/test_page_cache_live.py): ``gongkai.config.settings.prod`` unchanged except
the static files storage — the hashed-name manifest needs ``collectstatic``, which a test does
not run; the page cache, sessions, security middleware and everything else are production's.
"""

from gongkai.config.settings.prod import *  # noqa: F403

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
