"""The Django cache the provider keeps login state, nonces, key sets and tokens in."""

from django.core.cache import BaseCache, caches

from lti_1p3_provider.conf import provider_settings


def provider_cache() -> BaseCache:
    """The configured cache (``LTI_1P3_PROVIDER_CACHE``, default ``default``)."""
    return caches[provider_settings.LTI_1P3_PROVIDER_CACHE]
