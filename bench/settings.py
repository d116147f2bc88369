"""Benchmark settings: the demo site on a throwaway SQLite file, an in-memory broker."""

import os
import tempfile

from demo.settings import *  # noqa: F403

# In the environment, so the platform's server process (a child) opens the same database.
BENCH_DIR = os.environ.setdefault("LTI_BENCH_DIR", tempfile.mkdtemp(prefix="lti-bench-"))
DATABASES = {
    "default": {
        **DATABASES["default"],  # noqa: F405 - the demo's, on another file
        "NAME": os.path.join(BENCH_DIR, "bench.sqlite3"),
        "OPTIONS": {**DATABASES["default"]["OPTIONS"], "timeout": 30},  # noqa: F405 - the demo's
    }
}
CACHES = {
    "default": {**CACHES["default"], "LOCATION": os.path.join(BENCH_DIR, "cache")},  # noqa: F405
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {"version": 1, "disable_existing_loggers": True}
CELERY_BROKER_URL = "memory://"
CELERY_BROKER_TRANSPORT_OPTIONS = {}
LTI_AGGREGATE_SCORE_PASSBACK_DELAY = 3
DEBUG = False
# The test platforms (key sets, AGS, registration) listen on loopback, with DEBUG off.
LTI_1P3_PROVIDER_ALLOW_LOCAL_ADDRESSES = True
# BENCH_CONCURRENCY: the provider's setting (default 8); BENCH_PLATFORM_DELAY_MS: the built-in
# LMS answers AGS calls that much later, as a platform across a network would (bench/latency.py).
if "BENCH_CONCURRENCY" in os.environ:
    LTI_1P3_PROVIDER_PASSBACK_CONCURRENCY = int(os.environ["BENCH_CONCURRENCY"])
if os.environ.get("BENCH_PLATFORM_DELAY_MS"):
    MIDDLEWARE = ["bench.latency.PlatformLatency", *MIDDLEWARE]  # noqa: F405
