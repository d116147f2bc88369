"""OIDC third-party login initiation: remember state and nonce, send the browser to the platform."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit

from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

from lti_1p3_provider.conf import provider_settings
from lti_1p3_provider.core.target_link import parse_launch_target
from lti_1p3_provider.core.text import _
from lti_1p3_provider.exceptions import LoginError, LtiProviderError
from lti_1p3_provider.launch.framing import frame_origins
from lti_1p3_provider.launch.platform_storage import StorageLogin, platform_origin, storage_target
from lti_1p3_provider.services.cache import is_issued_id, provider_cache
from lti_1p3_provider.services.registrations import find_registration, registration_by_public_id

log = logging.getLogger(__name__)


MAX_PARAM_LENGTH = 2048


@dataclass(frozen=True)
class LoginState:
    """What the launch must match: stored server-side under the state value."""

    tool_id: int
    nonce: str
    target_link_uri: str
    # The platform's storage frame when it offered one ("": the state cookie only).
    storage_target: str = ""


@dataclass(frozen=True)
class LoginRedirect:
    """Where to send the browser, and the state whose cookie binds it to this browser.

    ``storage`` is set when the platform offered its storage: a page stores the state there
    before it sends the browser on.
    """

    url: str
    state: str
    storage: StorageLogin | None = None
    frame_origins: tuple[str, ...] = ()


def state_cache_key(state: str) -> str:
    """Cache key of a login state."""
    return f"lti1p3:state:{state}"


def posted_state_key(state: str) -> str | None:
    """The cache key of the login state a launch posted; None when the value is not shaped like
    a state this provider issues (a browser may post anything, and memcached refuses keys with
    spaces or control characters, or over 250 characters)."""
    return state_cache_key(state) if is_issued_id(state) else None


def stored_state(data: object) -> LoginState | None:
    """The login state from what its cache entry held (None: no entry)."""
    return LoginState(**data) if isinstance(data, dict) else None


def initiate_login(
    params: Mapping[str, str],
    redirect_uri: str,
    hosts: frozenset[str],
    public_id: str | None = None,
) -> LoginRedirect:
    """Validate a login initiation request and build the platform authentication redirect.

    ``public_id``: the login came to a registration's own URL, which names the registration
    even when the platform sends no client_id and has several registrations here.
    """
    issuer, target_link_uri = _required(params)
    tool = _registration(issuer, params.get("client_id") or None, public_id)
    if tool is None:
        error = LoginError(_("This platform is not registered with this site."))
        error.context.update(iss=issuer, client_id=params.get("client_id", ""))
        raise error
    try:
        parse_launch_target(target_link_uri, hosts)
    except LtiProviderError as error:
        error.context.update(tool=tool.pk, iss=issuer, client_id=tool.client_id)
        error.context["target"] = target_link_uri
        error.frame_origins = frame_origins(tool)
        raise
    target = storage_target(params)
    origin = platform_origin(tool) if target else ""
    state, record = _new_state(tool, target_link_uri, target)
    url = _with_query(tool.auth_login_url, _auth_query(params, tool, redirect_uri, state, record))
    storage = StorageLogin(target, origin, state, record.nonce, url) if target else None
    origins = frame_origins(tool) if storage else ()
    return LoginRedirect(url=url, state=state, storage=storage, frame_origins=origins)


def _new_state(tool: LtiTool, target_link_uri: str, target: str) -> tuple[str, LoginState]:
    """A new state value and what the launch must match, kept until the login expires."""
    state = secrets.token_urlsafe(16)
    record = LoginState(
        tool_id=tool.pk,
        nonce=secrets.token_urlsafe(32),
        target_link_uri=target_link_uri,
        storage_target=target,
    )
    ttl = provider_settings.LTI_1P3_PROVIDER_LOGIN_STATE_TTL_SEC
    provider_cache().set(state_cache_key(state), asdict(record), ttl)
    return state, record


def _required(params: Mapping[str, str]) -> tuple[str, str]:
    """``iss`` and ``target_link_uri``, once all three required parameters are there."""
    values = (
        params.get("iss", ""),
        params.get("login_hint", ""),
        params.get("target_link_uri", ""),
    )
    if not all(values):
        raise LoginError(_("The login request is missing iss, login_hint or target_link_uri."))
    if max(len(value) for value in values) > MAX_PARAM_LENGTH:
        raise LoginError(_("The login request's parameters are too long."))
    return values[0], values[2]


def _auth_query(
    params: Mapping[str, str], tool: LtiTool, redirect_uri: str, state: str, record: LoginState
) -> dict[str, str]:
    """The OIDC authentication request's parameters (LTI 1.3 Core 5.1.1.2)."""
    query = {
        "scope": "openid",
        "response_type": "id_token",
        "response_mode": "form_post",
        "prompt": "none",
        "client_id": tool.client_id,
        "redirect_uri": redirect_uri,
        "login_hint": params.get("login_hint", ""),
        "state": state,
        "nonce": record.nonce,
    }
    hint = params.get("lti_message_hint")
    if hint:
        if len(hint) > MAX_PARAM_LENGTH:
            raise LoginError(_("The login request's lti_message_hint is too long."))
        query["lti_message_hint"] = hint
    return query


def _registration(issuer: str, client_id: str | None, public_id: str | None) -> LtiTool | None:
    if public_id is None:
        return find_registration(issuer, client_id)
    tool = registration_by_public_id(public_id)
    # The URL names the registration; the platform's own values must still agree with it.
    if tool is None or tool.issuer != issuer or client_id not in (None, tool.client_id):
        return None
    return tool


def _with_query(url: str, query: dict[str, str]) -> str:
    parts = urlsplit(url)
    joined = "&".join(filter(None, [parts.query, urlencode(query)]))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, joined, parts.fragment))
