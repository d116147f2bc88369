"""Test settings: the demo site's, on a throwaway SQLite file and fast password hashing."""

from demo.settings import *  # noqa: F403
from demo.settings import ROOT

# A file, not :memory:, so the live server, a Celery worker thread and the test share one DB.
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(ROOT / ".test-db.sqlite3"),
        "TEST": {"NAME": str(ROOT / ".test-db.sqlite3")},
        "OPTIONS": {"timeout": 30},
    }
}
# One process: a local-memory cache is shared by the live server, the worker thread and the test.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
LOGGING = {"version": 1, "disable_existing_loggers": False}
LTI_AGGREGATE_SCORE_PASSBACK_DELAY = 900
# HTTP clients in the tests (requests, Django's client) talk plain http to one site: they would
# not send Secure cookies. The browser tests put the demo's cross-site cookie settings back.
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = False
CELERY_BROKER_URL = "memory://"
CELERY_BROKER_TRANSPORT_OPTIONS = {}

# The languages this LMS offers (a subset of Open edX's): launches choose among them.
LANGUAGES = [
    ("en", "English"),
    ("es-419", "Español (Latinoamérica)"),
    ("fr", "Français"),
    ("pt-br", "Português (Brasil)"),
]
# The test platforms (key sets, AGS, registration) listen on loopback, with DEBUG off.
LTI_1P3_PROVIDER_ALLOW_LOCAL_ADDRESSES = True
