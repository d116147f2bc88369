"""Client-credentials tokens for the platform's services (AGS, NRPS): signed assertions, one
shared cached token per registration and scope set, one fetch at a time."""

from __future__ import annotations

import hashlib
import time
import uuid

from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

from lti_1p3_provider.conf import provider_settings
from lti_1p3_provider.grades.ags import AgsError, call
from lti_1p3_provider.services.cache import provider_cache
from lti_1p3_provider.services.tool_keys import sign_as_tool

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def _token_cache_key(tool: LtiTool, scopes: tuple[str, ...]) -> str:
    digest = hashlib.sha256(" ".join(sorted(scopes)).encode()).hexdigest()[:16]
    return f"lti1p3:token:{tool.pk}:{digest}"


def client_assertion(tool: LtiTool) -> str:
    """The signed JWT that authenticates this tool at the platform's token endpoint."""
    now = int(time.time())
    claims = {
        "iss": tool.client_id,
        "sub": tool.client_id,
        "aud": tool.auth_audience or tool.auth_token_url,
        "iat": now,
        "exp": now + 300,
        "jti": uuid.uuid4().hex,
    }
    return sign_as_tool(tool, claims)


TOKEN_LOCK_SEC = 10


def access_token(tool: LtiTool, scopes: tuple[str, ...]) -> str:
    """A bearer token for these scopes, from the shared cache or a new client-credentials grant."""
    cache = provider_cache()
    cache_key = _token_cache_key(tool, scopes)
    cached = cache.get(cache_key)
    if cached:
        return str(cached)
    # One worker fetches; the others wait briefly for its token instead of asking for their own.
    if not cache.add(cache_key + ":lock", 1, TOKEN_LOCK_SEC):
        deadline = time.monotonic() + TOKEN_LOCK_SEC
        while time.monotonic() < deadline:
            time.sleep(0.05)
            cached = cache.get(cache_key)
            if cached:
                return str(cached)
    try:
        return _fetch_token(tool, scopes, cache_key)
    finally:
        cache.delete(cache_key + ":lock")


def _fetch_token(tool: LtiTool, scopes: tuple[str, ...], cache_key: str) -> str:
    data = {
        "grant_type": "client_credentials",
        "client_assertion_type": ASSERTION_TYPE,
        "client_assertion": client_assertion(tool),
        "scope": " ".join(scopes),
    }
    answer = call("POST", tool.auth_token_url, data=data)
    try:
        body = answer.json()
        token = str(body["access_token"])
        expires_in = int(body.get("expires_in", 3600))
    except (ValueError, KeyError, TypeError) as exc:
        raise AgsError("The token endpoint did not return an access token.") from exc
    lifetime = expires_in - provider_settings.LTI_1P3_PROVIDER_TOKEN_EXPIRY_MARGIN_SEC
    if lifetime > 0:
        provider_cache().set(cache_key, token, lifetime)
    return token


def forget_token(tool: LtiTool, scopes: tuple[str, ...]) -> None:
    """Drop a cached token the platform no longer accepts."""
    provider_cache().delete(_token_cache_key(tool, scopes))


def fetch_token(tool: LtiTool, scopes: tuple[str, ...]) -> str:
    """A token asked of the platform now, whatever the cache holds (the self-check's test)."""
    return _fetch_token(tool, scopes, _token_cache_key(tool, scopes))
