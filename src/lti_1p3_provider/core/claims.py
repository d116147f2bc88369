"""LTI 1.3 claim names and the typed view of a validated id_token."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from lti_1p3_provider.core import claim_types as t
from lti_1p3_provider.core.origins import url_host
from lti_1p3_provider.core.text import _
from lti_1p3_provider.exceptions import UnsupportedMessage

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
CLAIM_MESSAGE_TYPE = LTI + "message_type"
CLAIM_VERSION = LTI + "version"
CLAIM_DEPLOYMENT_ID = LTI + "deployment_id"
CLAIM_TARGET_LINK_URI = LTI + "target_link_uri"
CLAIM_RESOURCE_LINK = LTI + "resource_link"
CLAIM_CONTEXT = LTI + "context"
CLAIM_ROLES = LTI + "roles"
CLAIM_AGS_ENDPOINT = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
CLAIM_NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
CLAIM_LAUNCH_PRESENTATION = LTI + "launch_presentation"
# A BCP 47 language tag as platforms send it ("es-419", "pt_BR", "en"), bounded.
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8}){0,3}$")

RESOURCE_LINK_REQUEST = "LtiResourceLinkRequest"
DEEP_LINKING_REQUEST = "LtiDeepLinkingRequest"
# LTI Submission Review Service 1.0: a platform's gradebook opens a learner's work in the tool.
SUBMISSION_REVIEW_REQUEST = "LtiSubmissionReviewRequest"
# 1EdTech LTI Data Privacy Launch; platforms are seen to send both spellings.
DATA_PRIVACY_REQUESTS = frozenset({"DataPrivacyLaunchRequest", "LtiDataPrivacyLaunchRequest"})
SUPPORTED_MESSAGE_TYPES = frozenset(
    {RESOURCE_LINK_REQUEST, DEEP_LINKING_REQUEST, SUBMISSION_REVIEW_REQUEST, *DATA_PRIVACY_REQUESTS}
)
LTI_VERSION = "1.3.0"

SCOPE_SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
SCOPE_LINEITEM = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
SCOPE_LINEITEM_READONLY = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly"
SCOPE_RESULT_READONLY = "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly"
SCOPE_NRPS = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
TARGET_LENGTH = 2048
EMAIL_LENGTH = 254


@dataclass(frozen=True)
class AgsEndpoint:
    """The AGS endpoint claim: where scores go and what the tool may do there."""

    scopes: tuple[str, ...] = ()
    lineitems_url: str | None = None
    lineitem_url: str | None = None

    @classmethod
    def from_claim(cls, claim: dict[str, Any] | None) -> AgsEndpoint | None:
        """Parse the (already object-checked) claim; refuse wrong types and non-URLs."""
        if claim is None:
            return None
        name = CLAIM_AGS_ENDPOINT
        return cls(
            scopes=t.string_list(
                claim, "scope", max_items=20, max_length=t.URL_LENGTH, where=name + " scope"
            ),
            lineitems_url=t.url(claim, "lineitems", where=name + " lineitems"),
            lineitem_url=t.url(claim, "lineitem", where=name + " lineitem"),
        )

    def as_claim(self) -> dict[str, Any]:
        """Back to the claim's JSON shape, for storage on the launch record."""
        return {
            "scope": list(self.scopes),
            "lineitems": self.lineitems_url,
            "lineitem": self.lineitem_url,
        }


def memberships_url(payload: dict[str, Any]) -> str | None:
    """The Names and Role Provisioning Services claim's memberships URL (NRPS 2.0), if usable.

    Only the teachers' roster reads it: a malformed claim is ignored, not a failed launch.
    """
    claim = payload.get(CLAIM_NRPS)
    url = claim.get("context_memberships_url") if isinstance(claim, dict) else None
    if not isinstance(url, str) or len(url) > t.URL_LENGTH or url_host(url) is None:
        return None
    return url


def return_url(payload: dict[str, Any]) -> str | None:
    """``launch_presentation.return_url`` when it is an absolute http(s) URL, else None.

    Optional in LTI and only used to know which site frames the launch: a malformed value is
    ignored, not refused.
    """
    presentation = payload.get(CLAIM_LAUNCH_PRESENTATION)
    url = presentation.get("return_url") if isinstance(presentation, dict) else None
    if not isinstance(url, str) or len(url) > t.URL_LENGTH or url_host(url) is None:
        return None
    return url


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
    memberships_url: str | None = None
    locale: str | None = None
    return_url: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_payload(cls, payload: dict[str, Any], client_id: str) -> LaunchClaims:
        """Build from a signature-checked id_token body; refuse any claim LTI does not allow."""
        if check_message(payload) != RESOURCE_LINK_REQUEST:
            raise UnsupportedMessage(_("This message is not a resource link launch."))
        resource_link = t.obj(payload, CLAIM_RESOURCE_LINK, required=True) or {}
        context = t.obj(payload, CLAIM_CONTEXT) or {}
        ctx = CLAIM_CONTEXT
        return cls(
            iss=t.string(payload, "iss", required=True, max_length=t.URL_LENGTH) or "",
            client_id=client_id,
            sub=t.string(payload, "sub", required=True) or "",
            deployment_id=t.string(payload, CLAIM_DEPLOYMENT_ID, required=True) or "",
            message_type=payload[CLAIM_MESSAGE_TYPE],
            target_link_uri=t.string(
                payload, CLAIM_TARGET_LINK_URI, required=True, max_length=TARGET_LENGTH
            )
            or "",
            resource_link_id=t.string(
                resource_link, "id", required=True, where=CLAIM_RESOURCE_LINK + " id"
            )
            or "",
            nonce=t.string(payload, "nonce", required=True) or "",
            context_id=t.string(context, "id", where=ctx + " id"),
            context_title=t.string(context, "title", truncate=True, where=ctx + " title"),
            roles=t.string_list(payload, CLAIM_ROLES, required=True),
            name=t.string(payload, "name", truncate=True),
            given_name=t.string(payload, "given_name", truncate=True),
            family_name=t.string(payload, "family_name", truncate=True),
            email=_email(t.string(payload, "email", max_length=1024)),
            ags=AgsEndpoint.from_claim(t.obj(payload, CLAIM_AGS_ENDPOINT)),
            memberships_url=memberships_url(payload),
            locale=launch_locale(payload),
            return_url=return_url(payload),
            raw=payload,
        )

    @property
    def display_name(self) -> str | None:
        """The learner's full name as the platform sent it, if it did."""
        if self.name:
            return self.name
        parts = [p for p in (self.given_name, self.family_name) if p]
        return " ".join(parts)[: t.TEXT_LENGTH] or None


def check_message(payload: dict[str, Any]) -> str:
    """The message type; refuse message types and LTI versions this tool does not handle."""
    message_type = payload.get(CLAIM_MESSAGE_TYPE)
    if message_type is None:
        raise t.refuse(CLAIM_MESSAGE_TYPE, _("a message type"), got=_("it is missing"))
    if not isinstance(message_type, str) or message_type not in SUPPORTED_MESSAGE_TYPES:
        raise UnsupportedMessage(
            _(
                "This tool only accepts LtiResourceLinkRequest, LtiDeepLinkingRequest, "
                "LtiSubmissionReviewRequest and DataPrivacyLaunchRequest messages."
            )
        )
    version = payload.get(CLAIM_VERSION)
    if version is None:
        raise t.refuse(CLAIM_VERSION, '"1.3.0"', got=_("it is missing"))
    if version != LTI_VERSION:
        raise UnsupportedMessage(_("This tool only accepts LTI version 1.3.0."))
    return message_type


def launch_locale(payload: dict[str, Any]) -> str | None:
    """The message's language tag (``locale``, then ``launch_presentation.locale``), or None."""
    # OIDC's ``locale`` first, then ``launch_presentation.locale``; a malformed tag is ignored,
    # not refused: the learner still gets the content, in the LMS's default language.
    presentation = payload.get(CLAIM_LAUNCH_PRESENTATION)
    candidates = [payload.get("locale")]
    if isinstance(presentation, dict):
        candidates.append(presentation.get("locale"))
    for value in candidates:
        if isinstance(value, str) and _LANGUAGE_TAG.match(value):
            return value
    return None


def _email(value: str | None) -> str | None:
    # An e-mail is only displayed and stored, never matched: an unusable one is dropped.
    if value is None or len(value) > EMAIL_LENGTH or value.count("@") != 1:
        return None
    local, domain = value.split("@")
    return value if local and "." in domain and not any(c.isspace() for c in value) else None
