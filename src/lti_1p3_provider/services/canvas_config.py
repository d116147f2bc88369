"""The JSON configuration that Canvas's developer key "Enter URL" flow accepts."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from lti_1p3_provider.core.claims import (
    SCOPE_LINEITEM,
    SCOPE_LINEITEM_READONLY,
    SCOPE_NRPS,
    SCOPE_RESULT_READONLY,
    SCOPE_SCORE,
)
from lti_1p3_provider.services.registrations import ToolUrls

CANVAS_PLATFORM = "canvas.instructure.com"
TOOL_ID = "open-edx-lti-1p3-provider"
# name_only: enough for readable names in Open edX; the provider never needs e-mail addresses.
PRIVACY_LEVEL = "name_only"
DESCRIPTION = (
    "Open edX course content (problems, units, subsections) inside Canvas, with scores sent "
    "to the Canvas gradebook through LTI Advantage Assignment and Grade Services."
)
# The roster scope: the teachers' learners page names the class through NRPS.
SCOPES = (
    SCOPE_LINEITEM,
    SCOPE_LINEITEM_READONLY,
    SCOPE_RESULT_READONLY,
    SCOPE_SCORE,
    SCOPE_NRPS,
)


# Canvas opens these to let a teacher choose content: modules ("External tool"), assignments
# (graded, with a line item) and the rich content editor.
DEEP_LINKING_PLACEMENTS = ("link_selection", "assignment_selection", "editor_button")


def canvas_configuration(urls: ToolUrls, title: str, target_link_uri: str | None = None) -> dict:
    """The developer key JSON; ``target_link_uri`` defaults to the LMS's launch endpoint.

    Selection placements send LtiDeepLinkingRequest to the deep linking URL (the picker);
    course navigation opens the course home page (the teacher's overview of launched links).
    """
    target = target_link_uri or urls.redirect_uri
    text = title
    placements: list[dict[str, Any]] = [
        {
            "placement": placement,
            "message_type": "LtiDeepLinkingRequest",
            "text": text,
            "target_link_uri": urls.deep_linking,
        }
        for placement in DEEP_LINKING_PLACEMENTS
    ]
    placements.append(
        {
            "placement": "course_navigation",
            "message_type": "LtiResourceLinkRequest",
            "text": text,
            "target_link_uri": urls.redirect_uri,
            "default": "disabled",
        }
    )
    return {
        "title": title,
        "description": DESCRIPTION,
        "oidc_initiation_url": urls.login_initiation,
        "target_link_uri": target,
        "public_jwk_url": urls.jwks,
        "scopes": list(SCOPES),
        "extensions": [
            {
                "domain": urlsplit(urls.base_url).hostname or "",
                "tool_id": TOOL_ID,
                "platform": CANVAS_PLATFORM,
                "privacy_level": PRIVACY_LEVEL,
                "settings": {"text": text, "placements": placements},
            }
        ],
        "custom_fields": {},
    }
