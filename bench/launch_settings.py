"""Launch benchmark settings: in-process cache and sessions, both launch paths routed."""

from bench.settings import *  # noqa: F403

ROOT_URLCONF = "bench.launch_urls"
# One process: a local-memory cache (sessions, state, nonces, key sets) for both paths alike.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 100000},  # no culling of login state mid-run
    }
}
ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
