"""Production settings: secrets and hosts must come from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import GONGKAI_PII_KEY, SECRET_KEY, env_bool

if not SECRET_KEY:
    raise ImproperlyConfigured("GONGKAI_SECRET_KEY must be set in production")
if len(GONGKAI_PII_KEY) != 32:
    # Applicants' personal data is encrypted with SM4 (128-bit key = 32 hex characters).
    raise ImproperlyConfigured("GONGKAI_PII_KEY must be set to 32 hex characters in production")

DEBUG = env_bool("GONGKAI_DEBUG", False)
SECURE_SSL_REDIRECT = env_bool("GONGKAI_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

_EMAIL_BACKEND = os.environ.get(
    "GONGKAI_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
_MAILER: dict[str, object] = {"BACKEND": _EMAIL_BACKEND}
if _EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend":
    # OPTIONS only for SMTP: other backends reject options they do not know (InvalidMailer).
    _MAILER["OPTIONS"] = {
        "host": os.environ.get("GONGKAI_EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("GONGKAI_EMAIL_PORT", "25")),
        "username": os.environ.get("GONGKAI_EMAIL_USER", ""),
        "password": os.environ.get("GONGKAI_EMAIL_PASSWORD", ""),
        "use_tls": env_bool("GONGKAI_EMAIL_TLS", False),
        "use_ssl": env_bool("GONGKAI_EMAIL_SSL", False),
        "timeout": 20,
    }
MAILERS = {"default": _MAILER}
