"""The platform's public signing keys: pasted, or fetched by URL, cached, refetched on rotation."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

from lti_1p3_provider import outbound
from lti_1p3_provider.conf import provider_settings
from lti_1p3_provider.core.id_token import find_jwk, read_key_set, signing_keys
from lti_1p3_provider.core.text import _
from lti_1p3_provider.exceptions import (
    BadSignature,
    PlatformAddressRefused,
    PlatformUnreachable,
)
from lti_1p3_provider.services.cache import provider_cache

log = logging.getLogger(__name__)


def _cache_key(kind: str, url: str) -> str:
    return f"lti1p3:{kind}:{hashlib.sha256(url.encode()).hexdigest()}"


def fetch_key_set(url: str) -> dict[str, Any]:
    """GET a JWKS over HTTP (its signing keys are cached); PlatformUnreachable when it is down
    or not a key set."""
    return _fetch(url)[0]


def _fetch(url: str) -> tuple[dict[str, Any], dict[str, Any]]:
    # The whole key set (the self-check lists its kids) and its signing keys, as cached.
    try:
        answer = outbound.call("GET", url)
        if answer.status != 200:
            raise outbound.OutboundError(f"answered {outbound.reason(answer)}")
        key_set = answer.json()
    except outbound.AddressRefused as exc:
        log.warning("LTI 1.3: key set %s not fetched: %s", url, exc)
        raise PlatformAddressRefused(
            _("The platform's key set URL leads to an address this site never calls.")
        ) from exc
    except (outbound.OutboundError, ValueError) as exc:
        log.warning("LTI 1.3: could not fetch key set %s: %s", url, exc)
        raise PlatformUnreachable(_("The platform's public keys could not be fetched.")) from exc
    if not isinstance(key_set, dict) or not isinstance(key_set.get("keys"), list):
        raise PlatformUnreachable(_("The platform's key set URL did not return a JWKS."))
    # Only the signing keys: a whole key set may be near 1 MB, which memcached refuses to
    # store (and Django's backend raises for), and the rest is never read.
    usable = signing_keys(key_set)
    cache_sec = provider_settings.LTI_1P3_PROVIDER_JWKS_CACHE_SEC
    provider_cache().set(_cache_key("jwks", url), usable, cache_sec)
    return key_set, usable


def signing_key(tool: LtiTool, kid: str) -> dict[str, Any]:
    """The platform's JWK with this kid; refetch the URL once (throttled) when it is unknown."""
    pasted = read_key_set(tool.key_set)
    if pasted is not None:
        jwk = find_jwk(pasted, kid)
        if jwk is None:
            raise BadSignature(
                _("The launch was signed with a key this registration does not hold.")
            )
        return jwk
    url = tool.key_set_url or ""
    if not url:
        raise BadSignature(_("The registration has neither a key set URL nor a pasted key set."))
    cache = provider_cache()
    key_set = cache.get(_cache_key("jwks", url)) or _fetch(url)[1]
    jwk = find_jwk(key_set, kid)
    throttle = provider_settings.LTI_1P3_PROVIDER_JWKS_REFETCH_MIN_SEC
    if jwk is None and cache.add(_cache_key("jwks-refetch", url), 1, throttle):
        # An unknown kid usually means the platform rotated its keys: look once more.
        jwk = find_jwk(_fetch(url)[1], kid)
    if jwk is None:
        raise BadSignature(_("The launch was signed with a key the platform does not publish."))
    return jwk
