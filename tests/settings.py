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
CELERY_BROKER_URL = "memory://"
CELERY_BROKER_TRANSPORT_OPTIONS = {}
