"""Development and `make run` settings: an embedded SQLite database under var/ and debug on."""

import os

os.environ.setdefault("GONGKAI_DEBUG", "1")

from .base import *  # noqa: F403
from .base import VAR_DIR, env_bool

DEBUG = env_bool("GONGKAI_DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-change-me"  # noqa: F405
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]  # noqa: F405
VAR_DIR.mkdir(parents=True, exist_ok=True)
GONGKAI_PII_KEY = GONGKAI_PII_KEY or "0123456789abcdef0123456789abcdef"  # noqa: F405
