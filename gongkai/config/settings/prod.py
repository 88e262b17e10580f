"""Production settings: secrets and hosts must come from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured

from gongkai.core.keys import pii_key_problem, secret_key_problem

from .base import *  # noqa: F403
from .base import GONGKAI_PII_KEY, MIDDLEWARE, SECRET_KEY, env_bool

# Applicants' personal data is encrypted with SM4 (128-bit key = 32 hex characters); a key
# published in this repository or typed by hand protects nothing.
for _problem in (secret_key_problem(SECRET_KEY), pii_key_problem(GONGKAI_PII_KEY)):
    if _problem:
        raise ImproperlyConfigured(_problem)

DEBUG = env_bool("GONGKAI_DEBUG", False)
SECURE_SSL_REDIRECT = env_bool("GONGKAI_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# nginx on the same machine: its X-Real-IP is the client's address (gongkai.core.middleware).
GONGKAI_TRUSTED_PROXIES = [
    a.strip()
    for a in os.environ.get("GONGKAI_TRUSTED_PROXIES", "127.0.0.1,::1").split(",")
    if a.strip()
]
MIDDLEWARE = ["gongkai.core.middleware.ProxiedClientAddressMiddleware", *MIDDLEWARE]
# The link check's SSRF rule has no exceptions in production (the override is for tests only).
GONGKAI_LINK_CHECK_ALLOW_HOSTS: list[str] = []
# Hashed static file names (app.3f9c1e2a7b4d.css) via the manifest collectstatic writes: a file
# can then be cached "forever" (nginx: immutable, a year) because a changed file gets a new name.
# {% static %} raises for a file missing from the manifest, so collectstatic must have run.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
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
