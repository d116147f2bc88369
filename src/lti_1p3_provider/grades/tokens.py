"""Client-credentials tokens for the platform's services (AGS, NRPS): signed assertions, one
shared cached token per registration and scope set, one fetch at a time."""

from __future__ import annotations

import hashlib
import math
import re
import time
import uuid

from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

from lti_1p3_provider.conf import provider_settings
from lti_1p3_provider.grades.ags import AgsError, call
from lti_1p3_provider.outbound import Answer
from lti_1p3_provider.services.cache import provider_cache
from lti_1p3_provider.services.tool_keys import sign_as_tool

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
# RFC 6750 section 2.1's b64token: what an Authorization: Bearer header can carry.
_BEARER_TOKEN = re.compile(r"[A-Za-z0-9\-._~+/]+=*")
MAX_TOKEN_CHARS = 8192  # JWT access tokens run to 2 or 3 KB; header limits are about 8 KB
DEFAULT_TOKEN_LIFETIME_SEC = 3600
MAX_TOKEN_LIFETIME_SEC = 24 * 3600


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
    token, expires_in = read_grant(call("POST", tool.auth_token_url, data=data))
    lifetime = expires_in - provider_settings.LTI_1P3_PROVIDER_TOKEN_EXPIRY_MARGIN_SEC
    if lifetime > 0:
        provider_cache().set(cache_key, token, lifetime)
    return token


def read_grant(answer: Answer) -> tuple[str, int]:
    """The access token and its lifetime in seconds from a token endpoint's answer.

    The token goes into an Authorization header and the shared cache, so it must be an RFC 6750
    bearer token of bounded length (no spaces, line breaks or other characters a header
    cannot carry). A missing, non-numeric or absurd ``expires_in`` counts as an hour, and no
    token is kept longer than a day, whatever the platform says.
    """
    try:
        body = answer.json()
    except ValueError as exc:
        raise AgsError("The token endpoint did not return an access token.") from exc
    token = body.get("access_token") if isinstance(body, dict) else None
    if not isinstance(token, str) or not token:
        raise AgsError("The token endpoint did not return an access token.")
    if len(token) > MAX_TOKEN_CHARS or not _BEARER_TOKEN.fullmatch(token):
        raise AgsError(
            "The token endpoint returned an access token that is not a bearer token "
            f"(RFC 6750: at most {MAX_TOKEN_CHARS} letters, digits and -._~+/ then any =)."
        )
    expires_in = body.get("expires_in")
    if (
        isinstance(expires_in, str)
        and len(expires_in) <= 9
        and expires_in.isascii()
        and expires_in.isdigit()
    ):
        expires_in = int(expires_in)  # some endpoints send the number as a string
    elif isinstance(expires_in, float) and math.isfinite(expires_in):
        expires_in = int(expires_in)
    if not isinstance(expires_in, int) or isinstance(expires_in, bool) or expires_in < 0:
        expires_in = DEFAULT_TOKEN_LIFETIME_SEC
    return token, min(expires_in, MAX_TOKEN_LIFETIME_SEC)


def forget_token(tool: LtiTool, scopes: tuple[str, ...]) -> None:
    """Drop a cached token the platform no longer accepts."""
    provider_cache().delete(_token_cache_key(tool, scopes))


def fetch_token(tool: LtiTool, scopes: tuple[str, ...]) -> str:
    """A token asked of the platform now, whatever the cache holds (the self-check's test)."""
    return _fetch_token(tool, scopes, _token_cache_key(tool, scopes))
