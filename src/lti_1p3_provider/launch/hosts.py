"""Hosts a target_link_uri may name."""

from __future__ import annotations

from functools import lru_cache

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from lti_1p3_provider.conf import provider_settings


def allowed_target_hosts(request: HttpRequest) -> frozenset[str]:
    """This request's host plus ``LTI_1P3_PROVIDER_TARGET_HOSTS`` (a string counts as one host)."""
    extra = provider_settings.LTI_1P3_PROVIDER_TARGET_HOSTS or ()
    if isinstance(extra, str):
        extra = (extra,)
    return frozenset({request.get_host().lower(), *(str(h).lower() for h in extra)})


@lru_cache(maxsize=1)
def provider_prefix() -> str:
    """The path prefix of the provider's URLs (``/lti/1p3/`` in an LMS)."""
    try:
        return reverse("lti_1p3_provider:login").removesuffix("login/")
    except NoReverseMatch:
        return "/lti/1p3/"


@lru_cache(maxsize=1)
def lti1p1_prefix() -> str:
    """The path prefix of the provider's LTI 1.1 launch URLs (``/lti/1p1/launch/``)."""
    try:
        return reverse("lti_1p3_provider:lti1p1_launch_base")
    except NoReverseMatch:
        return "/lti/1p1/launch/"
