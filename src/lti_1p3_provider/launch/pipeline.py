"""The launch pipeline: validate, gate, find content, map the user, log in, grant, record."""

from __future__ import annotations

import logging

from django.db import transaction
from django.http import HttpRequest

from lti_1p3_provider.core.target_link import ContentTarget
from lti_1p3_provider.edxapp import api as edxapp
from lti_1p3_provider.exceptions import LtiProviderError
from lti_1p3_provider.i18n import remember_language
from lti_1p3_provider.launch import access
from lti_1p3_provider.launch.account_links import awaits_choice, settle_pending
from lti_1p3_provider.launch.content import check_gate, enroll, published_block
from lti_1p3_provider.launch.identities import profile_for_launch
from lti_1p3_provider.launch.validation import ValidatedLaunch
from lti_1p3_provider.models import LtiLaunch

log = logging.getLogger(__name__)


def handle_launch(
    request: HttpRequest,
    validated: ValidatedLaunch,
    origins: tuple[str, ...],
    language: str = "",
) -> LtiLaunch:
    """Take a validated content launch through gate, content, user, login and grant.

    A new identity whose registration offers account linking stops after its record: no
    enrollment, login or grant until the learner chooses (``awaits_choice``). ``origins`` may
    frame the content (``framing.frame_origins`` with what the launch showed).
    """
    target = validated.target
    assert target is not None  # the launch view sends tool-page targets elsewhere
    try:
        check_gate(validated.tool, target)
        published_block(target)
        # One commit for everything the launch writes, the login's last_login included.
        with transaction.atomic():
            launch = _record(validated, target)
            if awaits_choice(launch):
                return launch
            settle_pending(launch.profile)
            enroll(launch.user, target.course_key)
            edxapp.login(request, launch.user)
            if language:  # chosen once by the launch view (lms_language)
                edxapp.set_language(request, launch.user, language)
                remember_language(request, language)
    except LtiProviderError as error:
        claims = validated.claims
        error.context.update(
            tool=validated.tool.pk,
            iss=claims.iss,
            client_id=claims.client_id,
            deployment_id=claims.deployment_id,
            target=claims.target_link_uri,
        )
        error.frame_origins = origins
        raise
    access.grant(request, target, launch.expires_at, origins)
    log.info(
        "LTI 1.3 launch: tool=%s deployment=%s user=%s target=%s",
        validated.tool.pk,
        launch.deployment_id,
        launch.user_id,
        target.usage_key,
    )
    return launch


def _record(validated: ValidatedLaunch, target: ContentTarget) -> LtiLaunch:
    claims = validated.claims
    profile = profile_for_launch(validated.tool, claims)
    ags = claims.ags
    return LtiLaunch.objects.create(
        tool=validated.tool,
        deployment_id=claims.deployment_id,
        profile=profile,
        user=profile.user,
        course_key=target.course_key,
        usage_key=target.usage_key,
        resource_link_id=claims.resource_link_id,
        context_id=claims.context_id or "",
        context_title=claims.context_title or "",
        roles=list(claims.roles),
        ags_claim=ags.as_claim() if ags else None,
        lineitem_url=(ags.lineitem_url or "") if ags else "",
        expires_at=access.access_expiry(),
    )
