"""Demo site: the provider on the sandbox backend, plus a built-in LTI 1.3 platform (the LMS)."""

import os
from pathlib import Path
from typing import Any

import django

from lti_1p3_provider.settings.common import LOCALE_DIR

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("LTI_DEMO_DIR", ROOT / ".demo"))

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "demo-only-not-secret")
DEBUG = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "pylti1p3.contrib.django.lti1p3_tool_config",
    "lti_1p3_provider",
    "lti_1p3_provider.edxapp.sandbox",
    "demo.lms",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # As in the LMS: a page's language follows the browser unless a launch chose one.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lti_1p3_provider.launch.confinement.LtiSessionConfinementMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "demo.urls"
# The LMS's sign-in page (Open edX: /login) is the sandbox's in the demo.
LOGIN_URL = "/sandbox/login/"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
DATABASES: dict[str, dict[str, Any]] = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(DATA_DIR / "demo.sqlite3"),
        "OPTIONS": {"timeout": 20},
        # Each web thread and the worker keep their connection: opening one (and registering
        # SQLite's functions) took a fifth of a platform score request.
        "CONN_MAX_AGE": 300,
        "CONN_HEALTH_CHECKS": True,
    }
}
if django.VERSION >= (5, 1):
    # BEGIN IMMEDIATE: a request that will write takes the write lock first and waits for it,
    # instead of failing with "database is locked" when it upgrades a read lock while the
    # Celery worker writes. WAL lets readers go on while one process writes; synchronous=NORMAL
    # skips the fsync per commit (a power cut may lose the last commits, never the file).
    DATABASES["default"]["OPTIONS"].update(
        transaction_mode="IMMEDIATE",
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    )
# One cache for every demo process (gunicorn's workers and the Celery worker): OIDC state,
# single-use nonces, access tokens and sessions must be the same in all of them.
CACHES = {
    "default": {
        "BACKEND": "demo.cache.SharedFileCache",
        "LOCATION": str(DATA_DIR / "cache"),
        "OPTIONS": {"MAX_ENTRIES": 100000},
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.cache"
# As in the LMS; pylti1p3's models were made with AutoField.
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
STATIC_URL = "/static/"
USE_TZ = True
# UTC like the database and like the LMS (lms/envs/common.py sets TIME_ZONE = "UTC").
TIME_ZONE = "UTC"
X_FRAME_OPTIONS = "DENY"
# The built-in LMS (localhost) frames the tool (127.0.0.1): a third-party iframe, as in
# production, where only SameSite=None; Secure cookies come back. Browsers keep Secure cookies
# of http://localhost and http://127.0.0.1, so the demo needs no certificate.
SESSION_COOKIE_SAMESITE = "None"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SAMESITE = "None"
CSRF_COOKIE_SECURE = True
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "utc": {
            "()": "demo.logs.UTCFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "utc"}},
    # propagate=False: the Celery worker puts its own handler on the root logger, and a line
    # would otherwise be printed twice.
    "loggers": {"lti_1p3_provider": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}

# The provider, as an operator would set it in the LMS.
ENABLE_LTI_1P3_PROVIDER = True
LTI_1P3_PROVIDER_EDXAPP_BACKEND = "sandbox"
LTI_1P3_PROVIDER_ACCESS_LENGTH_SEC = None
LTI_AGGREGATE_SCORE_PASSBACK_DELAY = 10
# The built-in LMS shares this site (one host, one session cookie): a launched learner's
# confined session must still reach the platform's own pages.
LTI_1P3_PROVIDER_CONFINE_ALLOW_PATHS = ("/lms/",)

# Celery: a file-system broker, so the demo needs no server; `make demo` starts one worker and
# no beat, as Tutor does: the passback sweep queues itself every 15 s (ADR 0021).
CELERY_BROKER_URL = "demofs://"  # kombu's filesystem transport, whole-message writes
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "data_folder_in": str(DATA_DIR / "celery"),
    "data_folder_out": str(DATA_DIR / "celery"),
    "control_folder": str(DATA_DIR / "celery-control"),
}
CELERY_TASK_IGNORE_RESULT = True
# Celery's Django fixup closes the database connection before and after every task unless this
# is set: each passback task then opened a new one (about 3 ms on SQLite, more with MySQL's TLS).
CELERY_DB_REUSE_MAX = 50
LTI_1P3_PROVIDER_PASSBACK_SWEEP_SEC = 15

# The languages this LMS offers (a subset of Open edX's): launches choose among them.
LANGUAGES = [
    ("en", "English"),
    ("es-419", "Español (Latinoamérica)"),
    ("fr", "Français"),
    ("pt-br", "Português (Brasil)"),
]
# The provider's bundled catalogs, as its plugin settings add them in an LMS.
LOCALE_PATHS = [str(LOCALE_DIR)]
