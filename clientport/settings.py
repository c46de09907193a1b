"""Settings, read from environment variables with safe local defaults.

Only what differs between machines comes from the environment: the database, secrets, hosts,
mail and where files live. Everything else is fixed here.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


VAR_DIR = Path(os.environ.get("CLIENTPORT_VAR_DIR", BASE_DIR / "var"))

DEBUG = env_bool("DEBUG", False)

_INSECURE_KEY = "insecure-local-development-key-never-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY to a long random value, or DEBUG=1 for local use."
        )
    SECRET_KEY = _INSECURE_KEY
elif not DEBUG and (SECRET_KEY == _INSECURE_KEY or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured("SECRET_KEY must be a real secret of at least 32 characters when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Behind a reverse proxy: trust its X-Forwarded-Proto, and take the client's address from the
# last X-Forwarded-For entry (clientport.auth.client_ip) rather than the proxy's own.
BEHIND_PROXY = env_bool("BEHIND_PROXY")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "clientport",
    "crm",
    "imports",
    "portal",
    "webhooks",
    "ninja",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "clientport.middleware.NoStoreWhenSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "crm.middleware.CurrentFirmMiddleware",
    # Last, as django-axes asks: it turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "clientport.urls"
WSGI_APPLICATION = "clientport.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "clientport" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "crm.context_processors.current_firm",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'clientport.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A web process and a worker write at once: IMMEDIATE transactions take the write lock up
    # front (no lock upgrades, which fail regardless of timeout) and WAL lets readers go on.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        # sqlite3 keeps 128 compiled statements by default; the import's IN (...) lookups of a
        # thousand keys compile to large programs, and 128 of them held ~100 MB.
        "cached_statements": 16,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            # 32 MB of page cache (the default is 2 MB): index inserts in a large client list
            # land on random pages, and a cache that holds the indexes keeps them off the disk.
            "PRAGMA cache_size=-32768; PRAGMA temp_store=MEMORY;"
        ),
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("CLIENTPORT_TEST_DB") or None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "crm.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# django-axes first: it refuses a locked-out account or address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "crm:account_list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Files ----------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "media/"  # never served publicly: uploads are only reachable through checked views
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# WhiteNoise serves straight from the apps' static folders, so `clientport serve` needs no
# collectstatic step on the embedded default.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# The largest client list accepted, checked before a byte is parsed.
IMPORT_MAX_UPLOAD_BYTES = int(os.environ.get("IMPORT_MAX_UPLOAD_BYTES", 200 * 1024 * 1024))
# A workbook (XLSX/ODS: a ZIP of XML) is read whole; this caps what it may unpack to.
IMPORT_MAX_WORKBOOK_UNPACKED_BYTES = int(
    os.environ.get("IMPORT_MAX_WORKBOOK_UNPACKED_BYTES", 1024 * 1024 * 1024)
)
# A line (or a spreadsheet row) longer than this refuses the file as soon as it is met.
IMPORT_MAX_LINE_CHARS = int(os.environ.get("IMPORT_MAX_LINE_CHARS", 1024 * 1024))
# Custom fields one import may create, and the most a firm may have (imports stop adding at it).
IMPORT_MAX_NEW_CUSTOM_FIELDS = int(os.environ.get("IMPORT_MAX_NEW_CUSTOM_FIELDS", 100))
IMPORT_MAX_FIRM_CUSTOM_FIELDS = int(os.environ.get("IMPORT_MAX_FIRM_CUSTOM_FIELDS", 500))
# Worker processes that clean rows while the import writes earlier ones (0: clean in-process).
# Default: one per core beyond the first, at most 4.
IMPORT_CLEANING_PROCESSES = int(
    os.environ.get("IMPORT_CLEANING_PROCESSES", max(0, min((os.cpu_count() or 1) - 1, 4)))
)
# A running import (or undo) that wrote no heartbeat for this long has lost its worker: every
# worker (`clientport worker`) sweeps for such jobs this often and queues them again, to resume
# after their last committed batch (docs/import-rules.md, "Workers").
IMPORT_HEARTBEAT_TIMEOUT_SECONDS = int(os.environ.get("IMPORT_HEARTBEAT_TIMEOUT_SECONDS", 300))
IMPORT_SWEEP_SECONDS = float(os.environ.get("IMPORT_SWEEP_SECONDS", IMPORT_HEARTBEAT_TIMEOUT_SECONDS / 2))
# The most one portal upload (all the files of one post, by the team or a client) may weigh,
# checked while the body arrives: the rest never reaches the disk.
PORTAL_MAX_UPLOAD_BYTES = int(os.environ.get("PORTAL_MAX_UPLOAD_BYTES", 50 * 1024 * 1024))
# Uploads bigger than this go to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Requests per token per window (api/ratelimit.py): "120/min", "10/s", "5000/hour".
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "120/min")
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Mail -----------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Clientport <no-reply@clientport.localhost>")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 587))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
else:
    # Local default: each mail is a file under var/mail/ that a person can open and read.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"

# The address links in emails point at (results page, password reset).
SITE_URL = os.environ.get("SITE_URL", f"http://localhost:{os.environ.get('PORT', '8000')}")

# --- Sign-in and password-reset throttling ------------------------------------------------
# django-axes counts failed sign-ins per account and per address, separately: either reaching
# the limit within the lockout window locks it for the window (further tries extend it).
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", 10))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Not reset on success: one valid account would otherwise clear its address's count, and with
# it the failures against everyone else's account from that address.
AXES_RESET_ON_SUCCESS = False
# Only failures are needed to throttle; a row per successful sign-in would grow forever.
AXES_DISABLE_ACCESS_LOG = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "clientport.auth.signin_email"
AXES_CLIENT_IP_CALLABLE = "clientport.auth.client_ip"
AXES_LOCKOUT_CALLABLE = "clientport.auth.lockout_response"
# At most this many reset mails per address, and reset requests per client address, an hour.
PASSWORD_RESET_MAILS_PER_HOUR = int(os.environ.get("PASSWORD_RESET_MAILS_PER_HOUR", 3))
PASSWORD_RESET_REQUESTS_PER_IP_PER_HOUR = int(os.environ.get("PASSWORD_RESET_REQUESTS_PER_IP_PER_HOUR", 20))

# --- Background tasks -----------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Webhooks (docs/webhooks.md) --------------------------------------------------------------
# On: endpoints may be plain http and on this machine or the local network, for trying webhooks
# against a receiver of your own. Off (production): https on public hosts only.
WEBHOOKS_ALLOW_LOCAL = env_bool("WEBHOOKS_ALLOW_LOCAL", DEBUG)

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Only our own files run or style a page: no inline <script>, on...= handler or style="..."
# (static/clientport/app.js does what those did), so injected markup cannot run either.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 0))
    # Both bind more than this site (every subdomain; browsers' built-in list): the operator's call.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None

# Everything goes to stderr (`clientport serve` shows it; a service manager keeps it). An
# unhandled exception in a request is logged with its path and user id, without exception
# messages (clientport/logging.py); Django alone logs it nowhere when DEBUG is off.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "clientport.logging.RequestContextFilter"}},
    "formatters": {
        "plain": {
            "()": "clientport.logging.RedactingFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s: %(message)s%(context)s",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_context"]},
    },
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django_tasks": {"handlers": ["console"], "level": "INFO"},
        "django_tasks_db": {"handlers": ["console"], "level": "INFO"},
        "imports": {"handlers": ["console"], "level": "INFO"},
    },
}

# The client lists count exactly up to this many records, and a firm up to this size searches
# anywhere in names; beyond it a count is "about N"/"more than N" and a search matches the start
# of names and emails (docs/crm-rules.md, "Lists of big firms").
CLIENT_LIST_EXACT_COUNT = int(os.environ.get("CLIENT_LIST_EXACT_COUNT", 10_000))
