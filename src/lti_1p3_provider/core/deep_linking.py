"""LTI Deep Linking 2.0: the request's settings, who may pick, and the response's claims.

Framework-free like the rest of ``core/``: the views and services add storage and signing.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass
from typing import Any

from lti_1p3_provider.core import claim_types as t
from lti_1p3_provider.core.claims import (
    CLAIM_CONTEXT,
    CLAIM_DEPLOYMENT_ID,
    CLAIM_MESSAGE_TYPE,
    CLAIM_ROLES,
    CLAIM_VERSION,
    LTI_VERSION,
    launch_locale,
)
from lti_1p3_provider.core.submission_review import review_declaration
from lti_1p3_provider.core.text import _

DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"
CLAIM_DL_SETTINGS = DL + "deep_linking_settings"
CLAIM_CONTENT_ITEMS = DL + "content_items"
CLAIM_DL_DATA = DL + "data"
CLAIM_DL_MSG = DL + "msg"
CLAIM_DL_ERRORMSG = DL + "errormsg"
DEEP_LINKING_RESPONSE = "LtiDeepLinkingResponse"
RESOURCE_LINK_TYPE = "ltiResourceLink"
# The opaque ``data`` is echoed to the platform: bounded so a platform cannot make us store
# or sign megabytes.
MAX_DATA_LENGTH = 4096
RESPONSE_LIFETIME_SEC = 600

_MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
_INSTRUCTOR_SUB = "http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#"
TEACHING_ROLES = frozenset(
    {
        _MEMBERSHIP + "Instructor",
        _MEMBERSHIP + "ContentDeveloper",
        _MEMBERSHIP + "TeachingAssistant",
        _MEMBERSHIP + "Administrator",
        _INSTRUCTOR_SUB + "TeachingAssistant",
        "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator",
    }
)


def is_teaching_role(roles: tuple[str, ...]) -> bool:
    """True when a role lets its holder choose content: teaching context roles or an admin.

    Sub-roles of Instructor (``membership/Instructor#...``) count as Instructor.
    """
    return any(role in TEACHING_ROLES or role.startswith(_INSTRUCTOR_SUB) for role in roles)


@dataclass(frozen=True)
class DeepLinkingSettings:
    """The platform's ``deep_linking_settings`` claim, type-checked and bounded."""

    return_url: str
    accept_types: tuple[str, ...]
    accept_multiple: bool
    accept_lineitem: bool
    auto_create: bool
    title: str | None
    text: str | None
    data: Any = None

    @classmethod
    def from_claim(cls, claim: dict[str, Any]) -> DeepLinkingSettings:
        """Parse the claim; refuse wrong types, a missing return URL or an oversized ``data``."""
        where = CLAIM_DL_SETTINGS
        return_url = t.url(claim, "deep_link_return_url", where=where + " deep_link_return_url")
        if return_url is None:
            raise t.refuse(where + " deep_link_return_url", _("a URL"), got=_("it is missing"))
        data = claim.get("data")
        if data is not None and len(json.dumps(data)) > MAX_DATA_LENGTH:
            expected = _("at most %(count)s characters of JSON") % {"count": MAX_DATA_LENGTH}
            raise t.refuse(where + " data", expected, data)
        multiple = t.boolean(claim, "accept_multiple", where=where + " accept_multiple")
        lineitem = t.boolean(claim, "accept_lineitem", where=where + " accept_lineitem")
        return cls(
            return_url=return_url,
            accept_types=t.string_list(
                claim, "accept_types", required=True, max_items=20, where=where + " accept_types"
            ),
            # The spec's default for an absent accept_multiple is true; for accept_lineitem
            # the spec leaves it to the platform, and only an explicit false refuses items.
            accept_multiple=multiple is not False,
            accept_lineitem=lineitem is not False,
            auto_create=bool(t.boolean(claim, "auto_create", where=where + " auto_create")),
            title=t.string(claim, "title", truncate=True, max_length=t.TEXT_LENGTH),
            text=t.string(claim, "text", truncate=True, max_length=1024),
            data=data,
        )

    @property
    def accepts_links(self) -> bool:
        """The platform takes LTI resource links back."""
        return RESOURCE_LINK_TYPE in self.accept_types


@dataclass(frozen=True)
class DeepLinkingClaims:
    """A validated ``LtiDeepLinkingRequest``: who asks, from where, and what they accept."""

    iss: str
    client_id: str
    sub: str
    deployment_id: str
    roles: tuple[str, ...]
    settings: DeepLinkingSettings
    context_id: str | None = None
    context_title: str | None = None
    locale: str | None = None

    @classmethod
    def from_payload(cls, payload: dict[str, Any], client_id: str) -> DeepLinkingClaims:
        """Build from a signature-checked id_token body whose message type was checked."""
        context = t.obj(payload, CLAIM_CONTEXT) or {}
        settings = t.obj(payload, CLAIM_DL_SETTINGS, required=True) or {}
        return cls(
            iss=t.string(payload, "iss", required=True, max_length=t.URL_LENGTH) or "",
            client_id=client_id,
            # ``sub`` is optional in a deep linking request (an anonymous picker is allowed).
            sub=t.string(payload, "sub") or "",
            deployment_id=t.string(payload, CLAIM_DEPLOYMENT_ID, required=True) or "",
            roles=t.string_list(payload, CLAIM_ROLES, required=True),
            settings=DeepLinkingSettings.from_claim(settings),
            context_id=t.string(context, "id", where=CLAIM_CONTEXT + " id"),
            context_title=t.string(context, "title", truncate=True, where=CLAIM_CONTEXT + " title"),
            locale=launch_locale(payload),
        )


@dataclass(frozen=True)
class LinkItem:
    """One chosen block, as an ``ltiResourceLink`` content item."""

    url: str
    title: str
    text: str = ""
    score_maximum: float | None = None
    resource_id: str = ""
    tag: str = ""
    submission_review: bool = False  # declare LTI Submission Review on the line item

    def as_item(self, with_lineitem: bool) -> dict[str, Any]:
        """The content item JSON; a ``lineItem`` only for scored content when allowed."""
        item: dict[str, Any] = {"type": RESOURCE_LINK_TYPE, "url": self.url, "title": self.title}
        if self.text:
            item["text"] = self.text
        if with_lineitem and self.score_maximum:
            item["lineItem"] = {
                "scoreMaximum": self.score_maximum,
                "label": self.title,
                "resourceId": self.resource_id,
                "tag": self.tag,
            }
            if self.submission_review:
                item["lineItem"]["submissionReview"] = review_declaration()
        return item


def response_claims(
    *,
    client_id: str,
    issuer: str,
    deployment_id: str,
    settings: DeepLinkingSettings,
    items: list[LinkItem],
    message: str | None = None,
    error: str | None = None,
    now: float | None = None,
) -> dict[str, Any]:
    """The ``LtiDeepLinkingResponse`` body: ``iss`` is the client id, ``aud`` the platform."""
    issued = int(time.time() if now is None else now)
    chosen = items if settings.accept_multiple else items[:1]
    claims: dict[str, Any] = {
        "iss": client_id,
        "aud": issuer,
        "iat": issued,
        "exp": issued + RESPONSE_LIFETIME_SEC,
        "nonce": secrets.token_urlsafe(24),
        CLAIM_MESSAGE_TYPE: DEEP_LINKING_RESPONSE,
        CLAIM_VERSION: LTI_VERSION,
        CLAIM_DEPLOYMENT_ID: deployment_id,
        CLAIM_CONTENT_ITEMS: [item.as_item(settings.accept_lineitem) for item in chosen],
    }
    if settings.data is not None:
        claims[CLAIM_DL_DATA] = settings.data
    if message:
        claims[CLAIM_DL_MSG] = message
    if error:
        claims[CLAIM_DL_ERRORMSG] = error
    return claims
