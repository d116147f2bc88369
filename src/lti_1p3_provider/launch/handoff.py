"""Handoffs: give a launch's session to a context where the browser keeps our cookie.

When the browser drops the session cookie in the platform's frame, the launch page asks for
storage access (then the frame may keep a cookie) or opens a first-party window. Either way it
redeems the launch's handoff: a short-lived, single-use capability bound to that launch, which
logs in the launch's user and grants exactly the launch's target (ADR 0007).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from lti_1p3_provider.conf import provider_settings
from lti_1p3_provider.core.target_link import content_target_path, parse_target_path
from lti_1p3_provider.core.text import _
from lti_1p3_provider.edxapp import api as edxapp
from lti_1p3_provider.exceptions import AccessDenied, HandoffRefused
from lti_1p3_provider.launch import access
from lti_1p3_provider.models import LtiLaunch
from lti_1p3_provider.services.capabilities import (
    close_capability,
    open_capability,
    read_capability,
)

HANDOFF = "handoff"


@dataclass(frozen=True)
class Redeemed:
    """Where the redeemed session goes next, and the handoff that replaces the used one."""

    next_path: str
    handoff_url: str | None


def handoff_url(handoff_id: str) -> str:
    """The URL a launch page posts a handoff to."""
    return reverse("lti_1p3_provider:handoff", args=[handoff_id])


def open_handoff(
    launch: LtiLaunch,
    next_path: str,
    origins: tuple[str, ...],
    expires: float | None = None,
) -> str:
    """A new handoff for ``launch``; it lasts until ``expires`` (default: the TTL from now)."""
    now = time.time()
    if expires is None:
        expires = now + int(provider_settings.LTI_1P3_PROVIDER_HANDOFF_TTL_SEC)
    record = {
        "launch_id": launch.pk,
        "next_path": next_path,
        "frame_origins": list(origins),
        "expires": expires,
    }
    return open_capability(HANDOFF, record, ttl=max(1, int(expires - now) + 1))


def has_session(request: HttpRequest, launch_id: int) -> bool:
    """True when this request's session already holds the launch's live grant."""
    launch = LtiLaunch.objects.filter(pk=launch_id).first()
    if launch is None or request.user.pk != launch.user_id:
        return False
    try:
        access.check(request, content_target_path(launch.course_key, launch.usage_key))
    except AccessDenied:
        return False
    return True


def handoff_launch_id(handoff_id: str) -> int | None:
    """The launch a live handoff belongs to, without using it."""
    record = read_capability(HANDOFF, handoff_id)
    if record is None or float(record.get("expires", 0)) <= time.time():
        return None
    return int(record["launch_id"])


def sign_in(request: HttpRequest, launch: LtiLaunch, origins: tuple[str, ...]) -> None:
    """Log the launch's user in on this request's session and grant its target."""
    target = parse_target_path(content_target_path(launch.course_key, launch.usage_key))
    edxapp.login(request, launch.user)
    access.grant(request, target, launch.expires_at, origins)


def redeem(request: HttpRequest, handoff_id: str, *, same_origin: bool) -> Redeemed:
    """Use the handoff once: log in the launch's user, grant its target, issue a successor."""
    if not same_origin:
        # A page on another site could post a handoff it got from its own launch.
        raise HandoffRefused(_("This request to open your content did not come from this site."))
    record = read_capability(HANDOFF, handoff_id)
    if record is None or float(record.get("expires", 0)) <= time.time():
        raise HandoffRefused(_("This link to your content has expired or was already used."))
    if not close_capability(HANDOFF, handoff_id):
        raise HandoffRefused(_("This link to your content was already used."))
    launch = LtiLaunch.objects.select_related("user").filter(pk=record["launch_id"]).first()
    if launch is None:
        raise HandoffRefused(_("The launch of this content no longer exists."))
    if launch.expires_at is not None and launch.expires_at.timestamp() <= time.time():
        raise AccessDenied(
            _("Your access has expired. Launch this content again from your course.")
        )
    origins = tuple(record.get("frame_origins") or ())
    sign_in(request, launch, origins)
    successor = None
    if float(record["expires"]) > time.time() + 1:
        successor = open_handoff(launch, record["next_path"], origins, float(record["expires"]))
    return Redeemed(
        next_path=str(record["next_path"]),
        handoff_url=handoff_url(successor) if successor else None,
    )
