"""Session grants: a launch lets this session reach its one target (and the blocks inside it)
until the grant expires. Grants also carry the origins allowed to frame that target."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from lti_1p3_provider.conf import provider_settings
from lti_1p3_provider.core.target_link import ContentTarget
from lti_1p3_provider.core.text import _
from lti_1p3_provider.exceptions import AccessDenied

SESSION_KEY = "lti_1p3_provider.grants"


@dataclass(frozen=True)
class Grant:
    """One launched target this session may reach, until ``expires_at`` (a timestamp) if set."""

    path: str
    usage_key: str
    expires_at: float | None
    frame_origins: tuple[str, ...]

    def is_live(self, now: float | None = None) -> bool:
        """True while the grant has not expired."""
        now = timezone.now().timestamp() if now is None else now
        return self.expires_at is None or self.expires_at > now


def access_expiry(now: datetime | None = None) -> datetime | None:
    """When a launch made now stops granting access; None: while the session lasts."""
    length = provider_settings.LTI_1P3_PROVIDER_ACCESS_LENGTH_SEC
    if length is None:
        return None
    return (now or timezone.now()) + timedelta(seconds=int(length))


def grant(
    request: HttpRequest,
    target: ContentTarget,
    expires_at: datetime | None,
    frame_origins: tuple[str, ...],
) -> None:
    """Grant this session access to one target; earlier grants of the session are kept."""
    grants = dict(request.session.get(SESSION_KEY, {}))
    grants[target.path] = {
        "usage_key": str(target.usage_key),
        "exp": expires_at.timestamp() if expires_at else None,
        "origins": list(frame_origins),
    }
    request.session[SESSION_KEY] = grants


def is_lti_session(request: HttpRequest) -> bool:
    """True when a launch opened (or joined) this session."""
    session = getattr(request, "session", None)
    return session is not None and SESSION_KEY in session


def session_grants(request: HttpRequest) -> list[Grant]:
    """Every grant this session holds, live or not."""
    raw: Any = request.session.get(SESSION_KEY, {}) if hasattr(request, "session") else {}
    found = []
    for path, value in raw.items() if isinstance(raw, dict) else ():
        if isinstance(value, dict):
            found.append(
                Grant(
                    path=path,
                    usage_key=str(value.get("usage_key", "")),
                    expires_at=value.get("exp"),
                    frame_origins=tuple(value.get("origins") or ()),
                )
            )
    return found


def live_frame_origins(request: HttpRequest) -> tuple[str, ...]:
    """The origins of every live grant of the session (for its error pages)."""
    origins: list[str] = []
    for item in session_grants(request):
        if item.is_live():
            origins.extend(o for o in item.frame_origins if o not in origins)
    return tuple(origins)


def check(request: HttpRequest, target_path: str) -> Grant:
    """The session's live grant for the path; AccessDenied when there is none."""
    if not request.user.is_authenticated:
        raise AccessDenied(_("You are not signed in. Launch this content again from your course."))
    found = next((g for g in session_grants(request) if g.path == target_path), None)
    if found is None:
        raise AccessDenied(_("This content was not launched in this browser session."))
    if not found.is_live():
        raise AccessDenied(
            _("Your access has expired. Launch this content again from your course.")
        )
    return found
