"""Session grants: a launch lets this session see its one target until the grant expires."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.http import HttpRequest
from django.utils import timezone

from lti_1p3_provider.conf import provider_settings
from lti_1p3_provider.exceptions import AccessDenied

SESSION_KEY = "lti_1p3_provider.grants"


def access_expiry(now: datetime | None = None) -> datetime | None:
    """When a launch made now stops granting access; None: while the session lasts."""
    length = provider_settings.LTI_1P3_PROVIDER_ACCESS_LENGTH_SEC
    if length is None:
        return None
    return (now or timezone.now()) + timedelta(seconds=int(length))


def grant(request: HttpRequest, target_path: str, expires_at: datetime | None) -> None:
    """Grant this session access to one target path."""
    grants = dict(request.session.get(SESSION_KEY, {}))
    grants[target_path] = expires_at.timestamp() if expires_at else None
    request.session[SESSION_KEY] = grants


def check(request: HttpRequest, target_path: str) -> None:
    """Raise AccessDenied unless a logged-in session holds a live grant for the path."""
    if not request.user.is_authenticated:
        raise AccessDenied("You are not signed in. Launch this content again from your course.")
    grants = request.session.get(SESSION_KEY, {})
    if target_path not in grants:
        raise AccessDenied("This content was not launched in this browser session.")
    expires = grants[target_path]
    if expires is not None and expires <= timezone.now().timestamp():
        raise AccessDenied("Your access has expired. Launch this content again from your course.")
