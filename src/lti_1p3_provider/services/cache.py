"""The Django cache the provider keeps login state, nonces, key sets and tokens in."""

import re

from django.core.cache import BaseCache, caches

from lti_1p3_provider.conf import provider_settings


def provider_cache() -> BaseCache:
    """The configured cache (``LTI_1P3_PROVIDER_CACHE``, default ``default``)."""
    return caches[provider_settings.LTI_1P3_PROVIDER_CACHE]


# What ``secrets.token_urlsafe`` makes: every state and capability id the provider hands out.
_ISSUED_ID = re.compile(r"[A-Za-z0-9_-]+")


def is_issued_id(value: object, max_length: int = 64) -> bool:
    """True when ``value`` has the shape of an id the provider issued, so it may go into a
    cache key: memcached refuses keys with spaces or control characters, or over 250 characters,
    and a browser or platform may send anything."""
    return (
        isinstance(value, str)
        and 0 < len(value) <= max_length
        and bool(_ISSUED_ID.fullmatch(value))
    )
