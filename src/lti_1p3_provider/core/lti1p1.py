"""LTI 1.1 launch parameters -> a typed, bounded view; roles in LTI 1.3's vocabulary.

Plain Python: the OAuth signature is checked before this runs (launch/lti1p1.py), and every
value is still bounded here, since a consumer's shared secret proves who sent it, not that
it is sane.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from lti_1p3_provider.core.claims import launch_locale
from lti_1p3_provider.core.origins import url_host
from lti_1p3_provider.core.text import _
from lti_1p3_provider.exceptions import InvalidLti1p1Launch

MESSAGE_TYPE = "basic-lti-launch-request"
# LTI 1.1 launches still say LTI-1p0 (the version of the launch message, not of the spec).
VERSIONS = frozenset({"LTI-1p0", "LTI-1p1"})
ID_LENGTH = 255
URL_LENGTH = 1024
TEXT_LENGTH = 255
MAX_ROLES = 100
_PRINTABLE = re.compile(r"^[\x21-\x7e]+$")
MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
INSTITUTION = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#"
_ROLE_PREFIXES = (
    ("urn:lti:role:ims/lis/", MEMBERSHIP),
    ("urn:lti:instrole:ims/lis/", INSTITUTION),
    ("urn:lti:sysrole:ims/lis/", "http://purl.imsglobal.org/vocab/lis/v2/system/person#"),
)


@dataclass(frozen=True)
class Lti1p1Launch:
    """What a signature-checked LTI 1.1 launch says, in LTI words."""

    consumer_key: str
    user_id: str
    resource_link_id: str
    roles: tuple[str, ...] = ()
    context_id: str | None = None
    context_title: str | None = None
    name: str | None = None
    email: str | None = None
    outcome_service_url: str | None = None
    result_sourcedid: str | None = None
    locale: str | None = None

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> Lti1p1Launch:
        """Check the message type and version, then read and bound every parameter we use."""
        if params.get("lti_message_type") != MESSAGE_TYPE:
            raise InvalidLti1p1Launch(_("lti_message_type must be basic-lti-launch-request."))
        if params.get("lti_version") not in VERSIONS:
            raise InvalidLti1p1Launch(_("lti_version must be LTI-1p0."))
        outcome_url = _text(params, "lis_outcome_service_url", URL_LENGTH)
        if outcome_url is not None and url_host(outcome_url) is None:
            raise InvalidLti1p1Launch(_("lis_outcome_service_url must be an absolute http(s) URL."))
        return cls(
            consumer_key=_id(params, "oauth_consumer_key", required=True) or "",
            user_id=_id(params, "user_id", required=True) or "",
            resource_link_id=_id(params, "resource_link_id", required=True) or "",
            roles=lti1p3_roles(params.get("roles", "")),
            context_id=_id(params, "context_id"),
            context_title=_text(params, "context_title", TEXT_LENGTH, truncate=True),
            name=_name(params),
            email=_email(params.get("lis_person_contact_email_primary")),
            outcome_service_url=outcome_url,
            result_sourcedid=_text(params, "lis_result_sourcedid", URL_LENGTH),
            locale=launch_locale({"locale": params.get("launch_presentation_locale")}),
        )

    @property
    def sub(self) -> str:
        """The consumer's user id: what ``sub`` is in LTI 1.3."""
        return self.user_id

    @property
    def display_name(self) -> str | None:
        """The learner's full name as the consumer sent it, if it did."""
        return self.name

    @property
    def takes_grades(self) -> bool:
        """True when the consumer wants a score back (Basic Outcomes URL and sourcedid)."""
        return bool(self.outcome_service_url and self.result_sourcedid)


def lti1p3_roles(value: str) -> tuple[str, ...]:
    """LTI 1.1 roles (``Instructor``, ``urn:lti:role:ims/lis/Learner``) as LTI 1.3 role URIs."""
    if not isinstance(value, str):
        return ()
    found: list[str] = []
    for raw in value.split(",")[:MAX_ROLES]:
        role = raw.strip()[:ID_LENGTH]
        if not role:
            continue
        for prefix, vocabulary in _ROLE_PREFIXES:
            if role.startswith(prefix):
                role = vocabulary + role[len(prefix) :]
                break
        else:
            if ":" not in role:  # a short context role: "Instructor", "Learner/GuestLearner"
                role = MEMBERSHIP + role
        if role not in found:
            found.append(role)
    return tuple(found)


def _text(
    params: Mapping[str, str], name: str, limit: int, *, truncate: bool = False
) -> str | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InvalidLti1p1Launch(_("%(name)s must be text.") % {"name": name})
    if len(value) > limit:
        if not truncate:
            raise InvalidLti1p1Launch(
                _("%(name)s is longer than %(count)s characters.") % {"name": name, "count": limit}
            )
        value = value[:limit]
    return value


def _id(params: Mapping[str, str], name: str, *, required: bool = False) -> str | None:
    value = _text(params, name, ID_LENGTH)
    if value is None:
        if required:
            raise InvalidLti1p1Launch(_("The launch has no %(name)s.") % {"name": name})
        return None
    if not _PRINTABLE.match(value):
        raise InvalidLti1p1Launch(_("%(name)s must be visible ASCII characters.") % {"name": name})
    return value


def _name(params: Mapping[str, str]) -> str | None:
    full = _text(params, "lis_person_name_full", TEXT_LENGTH, truncate=True)
    if full:
        return full
    parts = [
        _text(params, key, TEXT_LENGTH, truncate=True)
        for key in ("lis_person_name_given", "lis_person_name_family")
    ]
    return " ".join(p for p in parts if p)[:TEXT_LENGTH] or None


def _email(value: object) -> str | None:
    # A malformed address is dropped, not refused: the launch does not need it.
    if not isinstance(value, str) or len(value) > 254 or value.count("@") != 1:
        return None
    return value if _PRINTABLE.match(value) else None
