"""Validate a launch POST: registration, state, signature, nonce, deployment, message, target."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

from lti_1p3_provider.conf import provider_settings
from lti_1p3_provider.core.claims import (
    CLAIM_DEPLOYMENT_ID,
    CLAIM_TARGET_LINK_URI,
    DATA_PRIVACY_REQUESTS,
    DEEP_LINKING_REQUEST,
    SUBMISSION_REVIEW_REQUEST,
    LaunchClaims,
    check_message,
)
from lti_1p3_provider.core.data_privacy import DataPrivacyClaims
from lti_1p3_provider.core.deep_linking import DeepLinkingClaims
from lti_1p3_provider.core.id_token import UnverifiedToken, peek, verify
from lti_1p3_provider.core.submission_review import SubmissionReviewClaims
from lti_1p3_provider.core.target_link import (
    ContentTarget,
    is_redirect_uri,
    parse_launch_target,
)
from lti_1p3_provider.core.text import _
from lti_1p3_provider.exceptions import (
    BadTargetLink,
    InvalidState,
    InvalidToken,
    LtiProviderError,
    ReplayedLaunch,
    UnknownDeployment,
    UnknownRegistration,
)
from lti_1p3_provider.launch.framing import frame_origins
from lti_1p3_provider.launch.login import LoginState, posted_state_key, stored_state
from lti_1p3_provider.launch.platform_keys import signing_key
from lti_1p3_provider.launch.platform_storage import check_stored_values, has_stored_values
from lti_1p3_provider.launch.state_cookies import has_state_cookie
from lti_1p3_provider.models import policy_for
from lti_1p3_provider.services.cache import provider_cache
from lti_1p3_provider.services.registrations import (
    adopt_deployment,
    deployment_ids,
    find_registration_with,
)

log = logging.getLogger(__name__)
MAX_ID_TOKEN_LENGTH = 64 * 1024


@dataclass(frozen=True)
class ValidatedLaunch:
    """A resource link launch that passed every security check.

    ``target`` is None when the link names one of the tool's own pages rather than content
    (Canvas's course navigation, a link to the bare launch URL): the course home page.
    """

    tool: LtiTool
    claims: LaunchClaims
    target: ContentTarget | None


@dataclass(frozen=True)
class ValidatedDeepLinking:
    """A deep linking request that passed every security check."""

    tool: LtiTool
    claims: DeepLinkingClaims


@dataclass(frozen=True)
class ValidatedDataPrivacy:
    """A data privacy launch that passed every security check."""

    tool: LtiTool
    claims: DataPrivacyClaims


@dataclass(frozen=True)
class ValidatedSubmissionReview:
    """A submission review request that passed every security check.

    ``target`` is None when the message names the tool rather than content (the line item has
    no review URL and the platform used the tool's launch URL): the learner's launches tell.
    """

    tool: LtiTool
    claims: SubmissionReviewClaims
    target: ContentTarget | None


@dataclass(frozen=True)
class NeedsPlatformStorage:
    """No state cookie came back, but the login stored its state in the platform's storage:
    a page must read it back before any check runs (nothing is consumed yet)."""

    tool: LtiTool
    state: str
    login: LoginState


Validated = (
    ValidatedLaunch | ValidatedDeepLinking | ValidatedDataPrivacy | ValidatedSubmissionReview
)


def validate_launch(
    form: Mapping[str, str],
    cookies: Mapping[str, str],
    hosts: frozenset[str],
    *,
    same_origin: bool = False,
) -> Validated | NeedsPlatformStorage:
    """Run every check on the id_token POST; raise a LaunchValidationError on the first failure.

    ``same_origin``: the POST came from one of our own pages (the platform storage page).
    """
    raw = form.get("id_token", "")
    if len(raw) > MAX_ID_TOKEN_LENGTH:
        raise InvalidToken(_("The launch's id_token is too large."))
    token = peek(raw)
    # The login state comes back with the cached registration: one cache round trip for both.
    state_key = posted_state_key(form.get("state", ""))
    tool, found = find_registration_with(
        token.issuer, token.client_id or None, [state_key] if state_key else []
    )
    if tool is None or not token.client_id:
        error = UnknownRegistration(_("This platform is not registered with this site."))
        error.context.update(iss=token.issuer, client_id=token.client_id)
        raise error
    try:
        state = stored_state(found.get(state_key)) if state_key else None
        return _validate_for(tool, token, state, form, cookies, hosts, same_origin)
    except LtiProviderError as error:
        # Refusals after the registration is known: log it, and frame the page for it.
        error.context.update(tool=tool.pk, iss=tool.issuer, client_id=tool.client_id)
        _add_claim_context(error, token)
        error.frame_origins = frame_origins(tool)
        raise


def _add_claim_context(error: LtiProviderError, token: UnverifiedToken) -> None:
    for key, claim in (("deployment_id", CLAIM_DEPLOYMENT_ID), ("target", CLAIM_TARGET_LINK_URI)):
        value = token.body.get(claim)
        if isinstance(value, str) and key not in error.context:
            error.context[key] = value


def _validate_for(
    tool: LtiTool,
    token: UnverifiedToken,
    state: LoginState | None,
    form: Mapping[str, str],
    cookies: Mapping[str, str],
    hosts: frozenset[str],
    same_origin: bool,
) -> Validated | NeedsPlatformStorage:
    state_value = form.get("state", "")
    if state is None or state.tool_id != tool.pk:
        raise InvalidState(_("The launch's login state is missing or has expired."))
    if not has_state_cookie(dict(cookies), state_value):
        if state.storage_target and not has_stored_values(form):
            if provider_cache().get(_nonce_key(tool.pk, state.nonce)) is not None:
                raise ReplayedLaunch(
                    _("This launch was already used; launch again from your course.")
                )
            return NeedsPlatformStorage(tool=tool, state=state_value, login=state)
        _check_without_cookie(form, state_value, state, same_origin)
    body = verify(
        form["id_token"],
        signing_key(tool, token.kid),
        issuer=tool.issuer,
        client_id=tool.client_id,
        leeway=provider_settings.LTI_1P3_PROVIDER_JWT_LEEWAY_SEC,
        max_age=provider_settings.LTI_1P3_PROVIDER_MAX_TOKEN_AGE_SEC,
    )
    if body.get("nonce") != state.nonce:
        raise InvalidState(_("The launch's nonce does not match its login request."))
    _use_nonce(tool.pk, state.nonce)
    message_type = check_message(body)
    if message_type == DEEP_LINKING_REQUEST:
        return _deep_linking(tool, body, state.target_link_uri)
    if message_type in DATA_PRIVACY_REQUESTS:
        return _data_privacy(tool, body, state.target_link_uri)
    if message_type == SUBMISSION_REVIEW_REQUEST:
        return _submission_review(tool, body, state.target_link_uri, hosts)
    claims = LaunchClaims.from_payload(body, client_id=tool.client_id)
    _check_deployment(tool, claims.deployment_id)
    if claims.target_link_uri != state.target_link_uri and not _item_of_launch_url(
        claims.target_link_uri, state.target_link_uri, hosts
    ):
        raise BadTargetLink(_("The launch's target differs from the one it logged in for."))
    target = parse_launch_target(claims.target_link_uri, hosts)
    return ValidatedLaunch(tool=tool, claims=claims, target=target)


def _item_of_launch_url(signed: str, login_target: str, hosts: frozenset[str]) -> bool:
    """Open edX's LTI component logs in for its *Tool Launch URL* (our redirect URI when it deep
    links) and signs the chosen item's URL instead: the signed content is shown (ADR 0016). Any
    other difference is refused."""
    try:
        return (
            is_redirect_uri(login_target, hosts) and parse_launch_target(signed, hosts) is not None
        )
    except LtiProviderError:
        return False


def _check_without_cookie(
    form: Mapping[str, str], state_value: str, state: LoginState, same_origin: bool
) -> None:
    if state.storage_target:
        # Only our storage page may post the values it read: a form on another site could
        # post the values of a login it made itself (a login CSRF).
        if not same_origin:
            raise InvalidState(_("The launch's stored login state was not sent by this site."))
        check_stored_values(form, state_value, state.nonce)
    elif provider_settings.LTI_1P3_PROVIDER_REQUIRE_STATE_COOKIE:
        raise InvalidState(_("The launch did not return to the browser that started it."))


def _deep_linking(tool: LtiTool, body: dict, login_target: str) -> ValidatedDeepLinking:
    claims = DeepLinkingClaims.from_payload(body, client_id=tool.client_id)
    _check_deployment(tool, claims.deployment_id)
    # The claim is optional in a deep linking request; when sent it must match the login's.
    target = body.get(CLAIM_TARGET_LINK_URI)
    if target is not None and target != login_target:
        raise BadTargetLink(_("The launch's target differs from the one it logged in for."))
    return ValidatedDeepLinking(tool=tool, claims=claims)


def _data_privacy(tool: LtiTool, body: dict, login_target: str) -> ValidatedDataPrivacy:
    claims = DataPrivacyClaims.from_payload(body)
    _check_deployment(tool, claims.deployment_id)
    if claims.target_link_uri is not None and claims.target_link_uri != login_target:
        raise BadTargetLink(_("The launch's target differs from the one it logged in for."))
    return ValidatedDataPrivacy(tool=tool, claims=claims)


def _submission_review(
    tool: LtiTool, body: dict, login_target: str, hosts: frozenset[str]
) -> ValidatedSubmissionReview:
    claims = SubmissionReviewClaims.from_payload(body)
    _check_deployment(tool, claims.deployment_id)
    if claims.target_link_uri != login_target:
        raise BadTargetLink(_("The launch's target differs from the one it logged in for."))
    target = parse_launch_target(claims.target_link_uri, hosts)
    return ValidatedSubmissionReview(tool=tool, claims=claims, target=target)


def _check_deployment(tool: LtiTool, deployment_id: str) -> None:
    if deployment_id in deployment_ids(tool):
        return
    if policy_for(tool).accept_new_deployments and adopt_deployment(tool, deployment_id):
        return
    raise UnknownDeployment(_("This deployment of the tool is not registered."))


def _nonce_key(tool_id: int, nonce: str) -> str:
    return f"lti1p3:nonce:{tool_id}:{nonce}"


def _use_nonce(tool_id: int, nonce: str) -> None:
    # cache.add is atomic: of two concurrent replays only one can claim the nonce.
    ttl = (
        provider_settings.LTI_1P3_PROVIDER_MAX_TOKEN_AGE_SEC
        + 2 * provider_settings.LTI_1P3_PROVIDER_JWT_LEEWAY_SEC
        + provider_settings.LTI_1P3_PROVIDER_LOGIN_STATE_TTL_SEC
    )
    if not provider_cache().add(_nonce_key(tool_id, nonce), 1, ttl):
        raise ReplayedLaunch(_("This launch was already used; launch again from your course."))
