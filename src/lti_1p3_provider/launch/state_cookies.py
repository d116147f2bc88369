"""OIDC state cookies: bind a launch to the browser that logged in, and stay bounded.

Each login sets one cookie named after its (unguessable) state, valued with its issue time,
scoped to the provider's paths. A login prunes the oldest so a browser never carries more than
``MAX_STATE_COOKIES``, whatever a hostile page makes it request.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from lti_1p3_provider.conf import provider_settings
from lti_1p3_provider.launch.hosts import provider_prefix

STATE_COOKIE_PREFIX = "lti1p3_state_"
# Several iframes on one platform page log in at once; five covers that and stays ~250 bytes.
MAX_STATE_COOKIES = 5


def _secure(request: HttpRequest) -> bool:
    # Like the LMS's session cookie: browsers also keep Secure cookies of http://localhost.
    return request.is_secure() or bool(getattr(settings, "SESSION_COOKIE_SECURE", False))


def _attributes(request: HttpRequest) -> dict[str, object]:
    # Inside a cross-site iframe only SameSite=None; Secure cookies come back.
    return {"path": provider_prefix(), "samesite": "None" if _secure(request) else "Lax"}


def has_state_cookie(cookies: dict[str, str], state: str) -> bool:
    """True when this browser holds the cookie of this login state."""
    return bool(state) and (STATE_COOKIE_PREFIX + state) in cookies


def _issued(value: str) -> int:
    # A browser may send anything: "²" is a digit to str.isdigit but not to int().
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 20 else 0


def set_state_cookie(request: HttpRequest, response: HttpResponse, state: str) -> None:
    """Set this login's cookie and delete the oldest ones beyond the bound."""
    attributes = _attributes(request)
    held = sorted(
        ((_issued(v), k) for k, v in request.COOKIES.items() if k.startswith(STATE_COOKIE_PREFIX)),
        reverse=True,
    )
    for _, name in held[MAX_STATE_COOKIES - 1 :]:
        response.delete_cookie(name, **attributes)  # type: ignore[arg-type]
    response.set_cookie(
        STATE_COOKIE_PREFIX + state,
        str(time.time_ns() // 1000),
        max_age=provider_settings.LTI_1P3_PROVIDER_LOGIN_STATE_TTL_SEC,
        secure=_secure(request),
        httponly=True,
        **attributes,  # type: ignore[arg-type]
    )


def clear_state_cookie(request: HttpRequest, response: HttpResponse, state: str) -> None:
    """Delete a used login's cookie."""
    if has_state_cookie(request.COOKIES, state):
        response.delete_cookie(STATE_COOKIE_PREFIX + state, **_attributes(request))  # type: ignore[arg-type]
