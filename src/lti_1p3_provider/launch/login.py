"""OIDC third-party login initiation: remember state and nonce, send the browser to the platform."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit

from lti_1p3_provider.conf import provider_settings
from lti_1p3_provider.core.target_link import parse_target_link_uri
from lti_1p3_provider.exceptions import LoginError
from lti_1p3_provider.services.cache import provider_cache
from lti_1p3_provider.services.registrations import find_registration

log = logging.getLogger(__name__)
STATE_COOKIE_PREFIX = "lti1p3_state_"


@dataclass(frozen=True)
class LoginState:
    """What the launch must match: stored server-side under the state value."""

    tool_id: int
    nonce: str
    target_link_uri: str


@dataclass(frozen=True)
class LoginRedirect:
    """Where to send the browser, and the state whose cookie binds it to this browser."""

    url: str
    state: str


def state_cache_key(state: str) -> str:
    """Cache key of a login state."""
    return f"lti1p3:state:{state}"


def load_state(state: str) -> LoginState | None:
    """The stored login state, if it exists and has not expired."""
    data = provider_cache().get(state_cache_key(state)) if state else None
    return LoginState(**data) if isinstance(data, dict) else None


def initiate_login(
    params: Mapping[str, str], redirect_uri: str, hosts: frozenset[str]
) -> LoginRedirect:
    """Validate a login initiation request and build the platform authentication redirect."""
    issuer = params.get("iss", "")
    login_hint = params.get("login_hint", "")
    target_link_uri = params.get("target_link_uri", "")
    if not issuer or not login_hint or not target_link_uri:
        raise LoginError("The login request is missing iss, login_hint or target_link_uri.")
    tool = find_registration(issuer, params.get("client_id") or None)
    if tool is None:
        log.warning(
            "LTI 1.3 login: no registration for iss=%r client_id=%r",
            issuer,
            params.get("client_id"),
        )
        raise LoginError("This platform is not registered with this site.")
    parse_target_link_uri(target_link_uri, hosts)
    state = secrets.token_urlsafe(32)
    record = LoginState(
        tool_id=tool.pk, nonce=secrets.token_urlsafe(32), target_link_uri=target_link_uri
    )
    provider_cache().set(
        state_cache_key(state),
        asdict(record),
        provider_settings.LTI_1P3_PROVIDER_LOGIN_STATE_TTL_SEC,
    )
    query = {
        "scope": "openid",
        "response_type": "id_token",
        "response_mode": "form_post",
        "prompt": "none",
        "client_id": tool.client_id,
        "redirect_uri": redirect_uri,
        "login_hint": login_hint,
        "state": state,
        "nonce": record.nonce,
    }
    if params.get("lti_message_hint"):
        query["lti_message_hint"] = params["lti_message_hint"]
    return LoginRedirect(url=_with_query(tool.auth_login_url, query), state=state)


def _with_query(url: str, query: dict[str, str]) -> str:
    parts = urlsplit(url)
    joined = "&".join(filter(None, [parts.query, urlencode(query)]))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, joined, parts.fragment))
