"""Validate a launch POST: registration, state, signature, nonce, deployment, message, target."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

from lti_1p3_provider.conf import provider_settings
from lti_1p3_provider.core.claims import LaunchClaims
from lti_1p3_provider.core.id_token import peek, verify
from lti_1p3_provider.core.target_link import ContentTarget, parse_target_link_uri
from lti_1p3_provider.exceptions import (
    BadTargetLink,
    InvalidState,
    ReplayedLaunch,
    UnknownDeployment,
    UnknownRegistration,
)
from lti_1p3_provider.launch.login import STATE_COOKIE_PREFIX, load_state
from lti_1p3_provider.launch.platform_keys import signing_key
from lti_1p3_provider.services.cache import provider_cache
from lti_1p3_provider.services.registrations import deployment_ids, find_registration

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ValidatedLaunch:
    """A launch that passed every security check."""

    tool: LtiTool
    claims: LaunchClaims
    target: ContentTarget


def validate_launch(
    form: Mapping[str, str], cookies: Mapping[str, str], hosts: frozenset[str]
) -> ValidatedLaunch:
    """Run every check on the id_token POST; raise a LaunchValidationError on the first failure."""
    token = peek(form.get("id_token", ""))
    tool = find_registration(token.issuer, token.client_id or None)
    if tool is None or not token.client_id:
        raise UnknownRegistration("This platform is not registered with this site.")
    state_value = form.get("state", "")
    state = load_state(state_value)
    if state is None or state.tool_id != tool.pk:
        raise InvalidState("The launch's login state is missing or has expired.")
    require_cookie = provider_settings.LTI_1P3_PROVIDER_REQUIRE_STATE_COOKIE
    if require_cookie and cookies.get(STATE_COOKIE_PREFIX + state_value) != state_value:
        raise InvalidState("The launch did not return to the browser that started it.")
    body = verify(
        form["id_token"],
        signing_key(tool, token.kid),
        issuer=tool.issuer,
        client_id=tool.client_id,
        leeway=provider_settings.LTI_1P3_PROVIDER_JWT_LEEWAY_SEC,
        max_age=provider_settings.LTI_1P3_PROVIDER_MAX_TOKEN_AGE_SEC,
    )
    if body.get("nonce") != state.nonce:
        raise InvalidState("The launch's nonce does not match its login request.")
    _use_nonce(tool.pk, state.nonce)
    claims = LaunchClaims.from_payload(body, client_id=tool.client_id)
    if claims.deployment_id not in deployment_ids(tool):
        raise UnknownDeployment("This deployment of the tool is not registered.")
    if claims.target_link_uri != state.target_link_uri:
        raise BadTargetLink("The launch's target differs from the one it logged in for.")
    target = parse_target_link_uri(claims.target_link_uri, hosts)
    return ValidatedLaunch(tool=tool, claims=claims, target=target)


def _use_nonce(tool_id: int, nonce: str) -> None:
    # cache.add is atomic: of two concurrent replays only one can claim the nonce.
    ttl = (
        provider_settings.LTI_1P3_PROVIDER_MAX_TOKEN_AGE_SEC
        + 2 * provider_settings.LTI_1P3_PROVIDER_JWT_LEEWAY_SEC
        + provider_settings.LTI_1P3_PROVIDER_LOGIN_STATE_TTL_SEC
    )
    if not provider_cache().add(f"lti1p3:nonce:{tool_id}:{nonce}", 1, ttl):
        raise ReplayedLaunch("This launch was already used; launch again from your course.")
