"""LTI Dynamic Registration 1.0 as typed values: platform configuration, request, answer.

Everything a platform sends is checked here (types, lengths, the issuer's site) before any of
it is stored or used to choose where a request goes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lti_1p3_provider.core.claim_types import PRINTABLE_ID
from lti_1p3_provider.core.dr_messages import CANVAS, MessageTargets, tool_messages
from lti_1p3_provider.core.origins import url_origin
from lti_1p3_provider.core.text import Text, _
from lti_1p3_provider.exceptions import PlatformConfigurationRefused, RegistrationRejected

PLATFORM_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-platform-configuration"
TOOL_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-tool-configuration"
URL_LENGTH = 1024
TEXT_LENGTH = 255
MAX_ITEMS = 100


def _refuse(message: Text, **params: Any) -> PlatformConfigurationRefused:
    return PlatformConfigurationRefused(message % params if params else message)


def _text(data: dict[str, Any], name: str, *, required: bool = True) -> str | None:
    value = data.get(name)
    if value is None or value == "":
        if required:
            raise _refuse(_("The platform's OpenID configuration has no '%(name)s'."), name=name)
        return None
    if not isinstance(value, str) or len(value) > TEXT_LENGTH:
        message = _(
            "The platform's OpenID configuration has a '%(name)s' that is not a string of at most "
            "%(count)s characters."
        )
        raise _refuse(message, name=name, count=TEXT_LENGTH)
    return value


def _url(data: dict[str, Any], name: str, https: bool, *, required: bool = True) -> str | None:
    value = data.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or len(value) > URL_LENGTH or url_origin(value) is None:
        raise _refuse(
            _("The platform's OpenID configuration has no usable '%(name)s' (an absolute URL)."),
            name=name,
        )
    if https and not value.startswith("https://"):
        raise _refuse(
            _("The platform's OpenID configuration names a '%(name)s' that is not HTTPS."),
            name=name,
        )
    return value


def _strings(data: dict[str, Any], name: str) -> tuple[str, ...] | None:
    value = data.get(name)
    if value is None:
        return None
    if (
        not isinstance(value, list)
        or len(value) > MAX_ITEMS
        or not all(isinstance(v, str) and len(v) <= URL_LENGTH for v in value)
    ):
        raise _refuse(
            _(
                "The platform's OpenID configuration has a '%(name)s' that is not a list of "
                "strings."
            ),
            name=name,
        )
    return tuple(value)


@dataclass(frozen=True)
class SupportedMessage:
    """A message type the platform can send, and where it offers it (its placements)."""

    type: str
    placements: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlatformConfiguration:
    """The fields of a platform's OpenID configuration that registering needs."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    registration_endpoint: str
    scopes_supported: tuple[str, ...]
    product_family_code: str
    version: str = ""
    messages: tuple[SupportedMessage, ...] = ()
    authorization_server: str | None = None

    @classmethod
    def from_json(cls, data: object, config_url: str, *, https: bool) -> PlatformConfiguration:
        """Check the configuration fetched from ``config_url``; refuse what LTI cannot use.

        The issuer must be on the configuration URL's own site (scheme, host and port): a
        configuration cannot speak for another platform.
        """
        if not isinstance(data, dict):
            raise _refuse(_("The platform's OpenID configuration is not a JSON object."))
        issuer = _url(data, "issuer", https)
        assert issuer is not None
        if url_origin(issuer) != url_origin(config_url):
            message = _(
                "The platform's OpenID configuration names the issuer %(issuer)s but was served "
                "from "
                "%(origin)s: the issuer must be the configuration URL's own site."
            )
            raise _refuse(message, issuer=issuer, origin=url_origin(config_url))
        lti = data.get(PLATFORM_CONFIGURATION)
        if not isinstance(lti, dict):
            raise _refuse(
                _("The platform's OpenID configuration has no '%(name)s' object."),
                name=PLATFORM_CONFIGURATION,
            )
        methods = _strings(data, "token_endpoint_auth_methods_supported")
        if methods is not None and "private_key_jwt" not in methods:
            raise _refuse(
                _(
                    "The platform's OpenID configuration does not accept private_key_jwt at its "
                    "token endpoint."
                )
            )
        algorithms = _strings(data, "id_token_signing_alg_values_supported")
        if algorithms is not None and "RS256" not in algorithms:
            raise _refuse(
                _("The platform's OpenID configuration does not sign id_tokens with RS256.")
            )
        return cls(
            issuer=issuer,
            authorization_endpoint=str(_url(data, "authorization_endpoint", https)),
            token_endpoint=str(_url(data, "token_endpoint", https)),
            jwks_uri=str(_url(data, "jwks_uri", https)),
            registration_endpoint=str(_url(data, "registration_endpoint", https)),
            scopes_supported=_strings(data, "scopes_supported") or (),
            product_family_code=str(_text(lti, "product_family_code")),
            version=_text(lti, "version", required=False) or "",
            messages=_messages(lti),
            authorization_server=_url(data, "authorization_server", https, required=False),
        )

    def message(self, message_type: str) -> SupportedMessage | None:
        """The platform's support for this message type, or None when it does not send it."""
        return next((m for m in self.messages if m.type == message_type), None)

    @property
    def is_canvas(self) -> bool:
        """Canvas wants its own extension keys (privacy level, placements' defaults)."""
        return self.product_family_code.lower() == "canvas"


def _messages(lti: dict[str, Any]) -> tuple[SupportedMessage, ...]:
    value = lti.get("messages_supported")
    if not isinstance(value, list) or len(value) > MAX_ITEMS:
        raise _refuse(_("The platform's OpenID configuration has no 'messages_supported' list."))
    messages = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("type"), str):
            raise _refuse(
                _(
                    "The platform's OpenID configuration has a 'messages_supported' entry without "
                    "a type."
                )
            )
        placements = _strings(item, "placements") or ()
        messages.append(SupportedMessage(type=item["type"][:TEXT_LENGTH], placements=placements))
    return tuple(messages)


@dataclass(frozen=True)
class ToolRegistration:
    """What this tool tells a platform about itself (the client registration request)."""

    client_name: str
    initiate_login_uri: str
    redirect_uris: tuple[str, ...]
    jwks_uri: str
    target_link_uri: str
    deep_linking_uri: str
    course_home_uri: str
    domain: str
    description: str
    scopes: tuple[str, ...]
    claims: tuple[str, ...] = ("iss", "sub", "name", "given_name", "family_name")
    logo_uri: str | None = None
    submission_review_uri: str | None = None  # None: the tool does not offer the message
    data_privacy_uri: str | None = None
    canvas_extensions: dict[str, str] = field(default_factory=dict)

    def request_for(self, platform: PlatformConfiguration) -> dict[str, Any]:
        """The registration request body for this platform: only what it supports."""
        body: dict[str, Any] = {
            "application_type": "web",
            "response_types": ["id_token"],
            "grant_types": ["implicit", "client_credentials"],
            "initiate_login_uri": self.initiate_login_uri,
            "redirect_uris": list(self.redirect_uris),
            "client_name": self.client_name,
            "jwks_uri": self.jwks_uri,
            "token_endpoint_auth_method": "private_key_jwt",
            "scope": " ".join(s for s in self.scopes if s in platform.scopes_supported),
            TOOL_CONFIGURATION: self._tool_configuration(platform),
        }
        if self.logo_uri:
            body["logo_uri"] = self.logo_uri
        return body

    def _tool_configuration(self, platform: PlatformConfiguration) -> dict[str, Any]:
        config: dict[str, Any] = {
            "domain": self.domain,
            "target_link_uri": self.target_link_uri,
            "description": self.description,
            "claims": list(self.claims),
            "messages": self._messages(platform),
        }
        if platform.is_canvas:
            config.update({CANVAS + k: v for k, v in self.canvas_extensions.items()})
        return config

    def _messages(self, platform: PlatformConfiguration) -> list[dict[str, Any]]:
        targets = MessageTargets(
            label=self.client_name,
            deep_linking=self.deep_linking_uri,
            course_home=self.course_home_uri,
            submission_review=self.submission_review_uri,
            data_privacy=self.data_privacy_uri,
        )
        return tool_messages(targets, platform)


@dataclass(frozen=True)
class RegistrationAnswer:
    """What the platform gave back: our client id and, on some platforms, a deployment id."""

    client_id: str
    deployment_id: str | None

    @classmethod
    def from_json(cls, data: object) -> RegistrationAnswer:
        """Read the platform's answer; refuse one without a usable client_id."""
        client_id = data.get("client_id") if isinstance(data, dict) else None
        if isinstance(client_id, int) and not isinstance(client_id, bool):
            client_id = str(client_id)
        if not isinstance(client_id, str) or not PRINTABLE_ID.match(client_id):
            raise RegistrationRejected(
                _("The platform accepted the registration but sent no usable client_id.")
            )
        assert isinstance(data, dict)
        tool = data.get(TOOL_CONFIGURATION)
        deployment = tool.get("deployment_id") if isinstance(tool, dict) else None
        if isinstance(deployment, int) and not isinstance(deployment, bool):
            deployment = str(deployment)
        if not isinstance(deployment, str) or not PRINTABLE_ID.match(deployment):
            deployment = None
        return cls(client_id=client_id, deployment_id=deployment)
