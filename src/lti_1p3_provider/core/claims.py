"""LTI 1.3 claim names and the typed view of a validated id_token."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lti_1p3_provider.exceptions import InvalidToken, UnsupportedMessage

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
CLAIM_MESSAGE_TYPE = LTI + "message_type"
CLAIM_VERSION = LTI + "version"
CLAIM_DEPLOYMENT_ID = LTI + "deployment_id"
CLAIM_TARGET_LINK_URI = LTI + "target_link_uri"
CLAIM_RESOURCE_LINK = LTI + "resource_link"
CLAIM_CONTEXT = LTI + "context"
CLAIM_ROLES = LTI + "roles"
CLAIM_AGS_ENDPOINT = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"

RESOURCE_LINK_REQUEST = "LtiResourceLinkRequest"
SUPPORTED_MESSAGE_TYPES = frozenset({RESOURCE_LINK_REQUEST})
LTI_VERSION = "1.3.0"

SCOPE_SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
SCOPE_LINEITEM = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
SCOPE_LINEITEM_READONLY = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly"
SCOPE_RESULT_READONLY = "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly"


@dataclass(frozen=True)
class AgsEndpoint:
    """The AGS endpoint claim: where scores go and what the tool may do there."""

    scopes: tuple[str, ...] = ()
    lineitems_url: str | None = None
    lineitem_url: str | None = None

    @classmethod
    def from_claim(cls, claim: Any) -> AgsEndpoint | None:
        """Parse the claim, or None when the launch carries no (usable) AGS claim."""
        if not isinstance(claim, dict):
            return None
        scopes = claim.get("scope") or []
        return cls(
            scopes=tuple(s for s in scopes if isinstance(s, str)),
            lineitems_url=_opt_str(claim.get("lineitems")),
            lineitem_url=_opt_str(claim.get("lineitem")),
        )

    def as_claim(self) -> dict[str, Any]:
        """Back to the claim's JSON shape, for storage on the launch record."""
        return {
            "scope": list(self.scopes),
            "lineitems": self.lineitems_url,
            "lineitem": self.lineitem_url,
        }


@dataclass(frozen=True)
class LaunchClaims:
    """What a validated resource link launch says, in LTI words."""

    iss: str
    client_id: str
    sub: str
    deployment_id: str
    message_type: str
    target_link_uri: str
    resource_link_id: str
    nonce: str
    context_id: str | None = None
    context_title: str | None = None
    roles: tuple[str, ...] = ()
    name: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    email: str | None = None
    ags: AgsEndpoint | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_payload(cls, payload: dict[str, Any], client_id: str) -> LaunchClaims:
        """Build from a signature-checked id_token body; raise when LTI-required claims are off."""
        message_type = payload.get(CLAIM_MESSAGE_TYPE)
        if message_type not in SUPPORTED_MESSAGE_TYPES:
            raise UnsupportedMessage("This tool only accepts LtiResourceLinkRequest launches.")
        if payload.get(CLAIM_VERSION) != LTI_VERSION:
            raise UnsupportedMessage("This tool only accepts LTI version 1.3.0.")
        sub = payload.get("sub")
        if not isinstance(sub, str) or not sub.strip():
            raise InvalidToken("The launch does not identify the user (no 'sub' claim).")
        resource_link = payload.get(CLAIM_RESOURCE_LINK) or {}
        if not isinstance(resource_link, dict) or not _opt_str(resource_link.get("id")):
            raise InvalidToken("The launch has no resource link id.")
        context = payload.get(CLAIM_CONTEXT) or {}
        context = context if isinstance(context, dict) else {}
        roles = payload.get(CLAIM_ROLES) or []
        return cls(
            iss=str(payload["iss"]),
            client_id=client_id,
            sub=sub,
            deployment_id=str(payload.get(CLAIM_DEPLOYMENT_ID) or ""),
            message_type=message_type,
            target_link_uri=str(payload.get(CLAIM_TARGET_LINK_URI) or ""),
            resource_link_id=str(resource_link["id"]),
            nonce=str(payload.get("nonce") or ""),
            context_id=_opt_str(context.get("id")),
            context_title=_opt_str(context.get("title")),
            roles=tuple(r for r in roles if isinstance(r, str)),
            name=_opt_str(payload.get("name")),
            given_name=_opt_str(payload.get("given_name")),
            family_name=_opt_str(payload.get("family_name")),
            email=_opt_str(payload.get("email")),
            ags=AgsEndpoint.from_claim(payload.get(CLAIM_AGS_ENDPOINT)),
            raw=payload,
        )

    @property
    def display_name(self) -> str | None:
        """The learner's full name as the platform sent it, if it did."""
        if self.name:
            return self.name
        parts = [p for p in (self.given_name, self.family_name) if p]
        return " ".join(parts) or None


def _opt_str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
