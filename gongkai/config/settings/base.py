"""Settings shared by every environment; deployment specifics come from the environment."""

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent.parent
VAR_DIR = Path(os.environ.get("GONGKAI_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("GONGKAI_SECRET_KEY", "")
DEBUG = env_bool("GONGKAI_DEBUG", False)
ALLOWED_HOSTS = [h for h in os.environ.get("GONGKAI_ALLOWED_HOSTS", "").split(",") if h]
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("GONGKAI_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "ninja",
    "huey.contrib.djhuey",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # The 正文 editor's widget and static assets (ADR 0013); served by us, never a CDN.
    "django_prose_editor",
    "gongkai.core",
    "gongkai.accounts",
    "gongkai.workdays",
    "gongkai.catalogue",
    "gongkai.policies",
    "gongkai.checks",
    "gongkai.search",
    "gongkai.foi",
    "gongkai.review",
    "gongkai.interaction",
    "gongkai.registers",
    "gongkai.participation",
    "gongkai.subscriptions",
    "gongkai.oversight",
    "gongkai.reports",
    "gongkai.portal",
    "gongkai.staff",
    "gongkai.api",
    "gongkai.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETag/304 for anonymous GETs; its response step runs last, over the final body and headers.
    "django.middleware.http.ConditionalGetMiddleware",
    # Anonymous public GETs from the shared cache, invalidated by table generations; then the
    # per-address limits of search and the API (a cached page is never limited).
    "gongkai.core.page_cache.PageCacheMiddleware",
    "gongkai.core.ratelimit.PublicReadLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Signed-in users' pages: private, no-store, no validators (gongkai.core.http_cache).
    "gongkai.core.http_cache.PrivateResponsesMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
    # After messages and axes: idle/absolute session limits, TOTP, password expiry.
    "gongkai.accounts.middleware.AccountSecurityMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "gongkai.config.urls"
WSGI_APPLICATION = "gongkai.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "gongkai" / "templates"],
        "OPTIONS": {
            # Django's default loaders (project directory, then the apps'), kept once compiled
            # as Django's cached loader does, with constant {% translate %} folded per language
            # (gongkai.core.template_loader, issue 17).
            "loaders": [
                (
                    "gongkai.core.template_loader.Loader",
                    [
                        "django.template.loaders.filesystem.Loader",
                        "django.template.loaders.app_directories.Loader",
                    ],
                )
            ],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "gongkai.core.context_processors.site",
                "gongkai.accounts.context_processors.site_government",
            ],
        },
    }
]


def database_from_env() -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'gongkai.sqlite3'}"
    config: dict[str, Any] = dict(
        dj_database_url.parse(url, conn_max_age=60 if not url.startswith("sqlite") else 0)
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers run beside the single writer; IMMEDIATE makes a write transaction
        # take the lock up front, so two writers queue instead of failing half-way.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
            " PRAGMA busy_timeout=10000;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    elif config["ENGINE"] == "django.db.backends.postgresql" and env_bool(
        "GONGKAI_PREPARED_STATEMENTS", True
    ):
        # The statements compiled once per process are prepared on the server (planned once
        # per connection, core.prepared). A threshold no query reaches: psycopg prepares only
        # what is executed with prepare=True. Off behind a pooler in transaction mode.
        # Merged into the URL's own options (?sslmode=…, which dj_database_url puts there).
        config["OPTIONS"] = {**config.get("OPTIONS", {}), "prepare_threshold": 2**31 - 1}
    return config


DATABASES = {"default": database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# 等保 三级 / ASVS L2: at least 12 characters of 3 of the 4 classes, not blank, not the
# username or like the name, not a common password (gongkai/accounts/password_validation.py).
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "gongkai.accounts.password_validation.NotBlankValidator"},
    {"NAME": "gongkai.accounts.password_validation.CharacterClassesValidator"},
    {"NAME": "gongkai.accounts.password_validation.NotUsernameValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# 定期更换: staff must change a password older than this many days (0: never). 等保 三级
# assessors usually expect 90; off by default so an upgrade does not lock staff out at once.
GONGKAI_STAFF_PASSWORD_MAX_AGE_DAYS = int(
    os.environ.get("GONGKAI_STAFF_PASSWORD_MAX_AGE_DAYS", "0")
)
# Staff sessions end after this many idle minutes and at browser close; every session ends
# after the absolute limit, however busy.
GONGKAI_STAFF_IDLE_MINUTES = int(os.environ.get("GONGKAI_STAFF_IDLE_MINUTES", "30"))
GONGKAI_SESSION_ABSOLUTE_HOURS = int(os.environ.get("GONGKAI_SESSION_ABSOLUTE_HOURS", "12"))
# Second factor (TOTP, django-otp): staff who enrolled always use it; with this on, every staff
# account must enrol before reaching the workbench.
GONGKAI_STAFF_REQUIRE_TOTP = env_bool("GONGKAI_STAFF_REQUIRE_TOTP", False)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文"))]
LOCALE_PATHS = [BASE_DIR / "gongkai" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "gongkai" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("GONGKAI_MEDIA_ROOT", VAR_DIR / "media"))
# Personal files (FOI applicants' identity documents, 依申请公开 letters and notices): never
# under MEDIA_ROOT, served only by views that check permission (gongkai.core.storage).
GONGKAI_PRIVATE_DIR = Path(os.environ.get("GONGKAI_PRIVATE_DIR", VAR_DIR / "private"))
# Empty: the app streams private files itself (development). Behind nginx: the prefix of an
# ``internal`` location aliased to GONGKAI_PRIVATE_DIR (deploy/nginx/gongkai.conf), so the app
# only checks permission and nginx sends the bytes (X-Accel-Redirect).
GONGKAI_PRIVATE_ACCEL_PREFIX = os.environ.get("GONGKAI_PRIVATE_ACCEL_PREFIX", "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

# Uploads: the attachment service sniffs the type and enforces this limit itself.
GONGKAI_MAX_ATTACHMENT_BYTES = int(os.environ.get("GONGKAI_MAX_ATTACHMENT_BYTES", 50 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

GONGKAI_SITE_NAME = os.environ.get("GONGKAI_SITE_NAME", "政务公开平台")
# Site furniture the national norms for government websites expect in every page's footer
# (主办单位, 承办单位, 网站标识码, ICP备案号, 公网安备号); empty values are left out.
GONGKAI_SITE_SPONSOR = os.environ.get("GONGKAI_SITE_SPONSOR", "")
GONGKAI_SITE_ORGANIZER = os.environ.get("GONGKAI_SITE_ORGANIZER", "")
GONGKAI_SITE_CODE = os.environ.get("GONGKAI_SITE_CODE", "")
GONGKAI_ICP = os.environ.get("GONGKAI_ICP", "")
GONGKAI_PSB = os.environ.get("GONGKAI_PSB", "")
GONGKAI_SEARCH_DIR = Path(os.environ.get("GONGKAI_SEARCH_DIR", VAR_DIR / "search"))
# CPU threads of the embedding model of free-text 政策找人 (ADR 0011).
GONGKAI_EMBED_THREADS = int(os.environ.get("GONGKAI_EMBED_THREADS", "1"))
# Queries with more candidate documents than this are answered the broad way (title hits first,
# then newest; estimated totals) — see docs/adr/0002-search-engine.md.
GONGKAI_SEARCH_BROAD_CANDIDATES = int(os.environ.get("GONGKAI_SEARCH_BROAD_CANDIDATES", "25000"))

# Review (issue 5): 规章/行政规范性文件 without an approved or published 解读 — "block", "warn"
# or "off" (三同步; local rules differ on whether this blocks).
GONGKAI_SANTONGBU_MODE = os.environ.get("GONGKAI_SANTONGBU_MODE", "block")
# Hosts treated as government sites by the link check, besides *.gov.cn (comma-separated).
GONGKAI_LINK_ALLOWLIST = [h for h in os.environ.get("GONGKAI_LINK_ALLOWLIST", "").split(",") if h]
# 条例第十八条 定期评估审查 of items marked 依申请公开/不予公开: months between two reviews (the
# 条例 says only "定期"; yearly is common practice, not a national rule).
GONGKAI_DISCLOSURE_REVIEW_MONTHS = int(os.environ.get("GONGKAI_DISCLOSURE_REVIEW_MONTHS", "12"))

# 依申请公开 reminders: handlers are e-mailed when a case is this many working days from its due
# date (and daily once overdue).
GONGKAI_FOI_REMIND_DAYS = [5, 2, 0]
# Whether the time from sending a 信息处理费 notice to payment is left out of the reply period
# (the 处理费办法 as commonly read; ADR 0003 addendum). Fixed on each notice when it is issued.
GONGKAI_FOI_FEE_WAIT_EXCLUDED = os.environ.get("GONGKAI_FOI_FEE_WAIT_EXCLUDED", "1") != "0"
# Annual-report rows of the reply kinds whose mapping the rules note could not verify, e.g.
# {"36.7": "6.3"} (see gongkai/foi/reply_kinds.py).
GONGKAI_FOI_REPLY_ROWS: dict[str, str] = {}

# Personal data of applicants is encrypted with SM4; the key comes from the environment.
GONGKAI_PII_KEY = os.environ.get("GONGKAI_PII_KEY", "")

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "gongkai.core.redis_cache.RedisCache", "LOCATION": REDIS_URL}}
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "gongkai",
        "url": REDIS_URL,
        "immediate": False,
        "utc": False,  # crontab() hours are China time (TIME_ZONE), not UTC
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "gongkai",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": False,
        "utc": False,  # crontab() hours are China time (TIME_ZONE), not UTC
    }

# Cached public pages (gongkai.core.page_cache, docs/adr/0008): on with a shared cache (Redis)
# unless turned off. Without REDIS_URL the cache is each process's own memory, and a write from
# another process (an import, `gongkai shell`, the job consumer) could not invalidate it: off.
# Entries live at most this many seconds (and never past midnight); these prefixes never cached.
GONGKAI_PAGE_CACHE = env_bool("GONGKAI_PAGE_CACHE", bool(REDIS_URL))
# Small values every page reads (the header's issuing government) are kept the same way, by
# table generation (page_cache.cached_read), and under the same condition: a shared cache.
GONGKAI_READ_CACHE = env_bool("GONGKAI_READ_CACHE", bool(REDIS_URL))
GONGKAI_PAGE_CACHE_SECONDS = int(os.environ.get("GONGKAI_PAGE_CACHE_SECONDS", "600"))
GONGKAI_PAGE_CACHE_EXCLUDE = (
    "/staff/",
    "/admin/",
    "/accounts/",
    "/search/",
    "/api/v1/search",
    "/api/v1/docs",
    "/api/v1/foi",
    "/api/v1/review",
    "/zfxxgk/ysqgk/apply/",
    "/zfxxgk/ysqgk/done/",
    "/zfxxgk/ysqgk/status/",
    "/zfxxgk/ysqgk/correction/",
    "/zfxxgk/ysqgk/my/",
    "/hudong/write/",
    "/hudong/status/",
    "/hudong/done/",
    "/subscriptions/",
    "/policies/match/",
    "/report-error/",
    "/display/",
)

MAILERS: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": os.environ.get(
            "GONGKAI_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
        )
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("GONGKAI_FROM_EMAIL", "noreply@gongkai.localhost")
# The site's public address, for links in mail sent by the job consumer (no request there).
GONGKAI_SITE_URL = os.environ.get("GONGKAI_SITE_URL", "http://localhost:8000").rstrip("/")

# Login throttling (django-axes): five failures lock the username/IP pair for an hour. The
# address is REMOTE_ADDR only, which ProxiedClientAddressMiddleware sets from a trusted proxy
# (never a client-sent X-Forwarded-For). Per-address and site-wide limits of the login form
# come from GONGKAI_RATE_LIMITS["login"] (gongkai.core.ratelimit) in front of axes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_CLIENT_IP_CALLABLE = "gongkai.core.ratelimit.axes_client_ip"
AXES_RESET_ON_SUCCESS = True

# Anti-automation of the public forms (gongkai.core.ratelimit): per scope, limits as
# (requests, window in seconds) per client address, browser session, account and site-wide,
# and after how many requests of a window the form asks an arithmetic question. For "login"
# and "foi_status" only failures count. Over a limit: HTTP 429 in Chinese. Site-wide ("global")
# limits never block, they make everyone answer the question.
_HOUR = 3600


def _rate(text: str) -> tuple[int, int]:
    requests, seconds = text.split("/")
    return int(requests), int(seconds)


GONGKAI_RATE_LIMITS: dict[str, dict[str, Any]] = {
    "error_report": {
        "ip": (30, _HOUR),
        "session": (10, _HOUR),
        "user": (10, _HOUR),
        "captcha_after": 3,
    },
    "register": {"ip": (10, _HOUR), "session": (5, _HOUR), "captcha_after": 2},
    "foi_apply": {
        "ip": (20, _HOUR),
        "session": (10, _HOUR),
        "user": (10, _HOUR),
        "captcha_after": 3,
    },
    "correction": {"ip": (20, _HOUR), "session": (10, _HOUR), "captcha_after": 3},
    # Failed 查询码 look-ups, portal and API together (8 of 32 characters: 10 guesses an hour).
    "foi_status": {"ip": (10, _HOUR), "captcha_after": 3},
    "login": {"ip": (30, 900), "global": (300, 900), "captcha_after": 5},
    "password_reset": {"ip": (10, _HOUR), "session": (5, _HOUR), "captcha_after": 2},
    # 政民互动: every message answers the question; failed 查询码 look-ups as for FOI.
    "message_submit": {
        "ip": (10, _HOUR),
        "session": (5, _HOUR),
        "user": (10, _HOUR),
        "captcha_after": 0,
    },
    "message_status": {"ip": (10, _HOUR), "captcha_after": 3},
    "consultation_comment": {"ip": (30, _HOUR), "session": (10, _HOUR), "captcha_after": 3},
    # Public reads (issue 17 item 5): GETs of search and every API call per client address,
    # "requests/seconds"; answers served from the page cache are not counted.
    "search": {"ip": _rate(os.environ.get("GONGKAI_SEARCH_RATE", "60/60"))},
    "api": {"ip": _rate(os.environ.get("GONGKAI_API_RATE", "300/60"))},
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    # The nonce is only sent on pages that use it: the staff forms with the 正文 editor, whose
    # import map must be an inline <script type="importmap"> (ADR 0013).
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# The 正文 editor's own extension (paste-from-Word cleaning, catalogue/editor.py), loaded by the
# "configurable" preset of django-prose-editor; it adds no tags, nh3 stays the one sanitiser.
# ``static_lazy`` as js_asset defines it (``lazy(static, str)``), but importing js_asset here
# would import the forms and template machinery into every process that loads the settings
# (``gongkai check_text`` needs neither: issue 18).
from django.utils.functional import lazy  # noqa: E402


def _static(path: str) -> str:
    from django.templatetags.static import static

    return static(path)


static_lazy = lazy(_static, str)


def _no_tags(extension_config: object, shared_config: object) -> None:
    """The WordPaste extension only rewrites pasted HTML: it allows no tag of its own."""


DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("gongkai/editor-wordpaste.js")],
        "extensions": {"WordPaste": _no_tags},
    }
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("GONGKAI_LOG_LEVEL", "WARNING")},
}
