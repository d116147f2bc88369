"""The LTI 1.1 launch: OAuth checks, then the same gate, identity, login, grant and record."""

from __future__ import annotations

import logging

from django.db import transaction
from django.http import HttpRequest

from lti_1p3_provider.core.lti1p1 import Lti1p1Launch
from lti_1p3_provider.core.target_link import ContentTarget
from lti_1p3_provider.edxapp import api as edxapp
from lti_1p3_provider.exceptions import LtiProviderError
from lti_1p3_provider.i18n import activate_launch_language, remember_language
from lti_1p3_provider.launch import access
from lti_1p3_provider.launch.content import check_rules, enroll, published_block
from lti_1p3_provider.launch.identities import find_or_create_profile
from lti_1p3_provider.launch.oauth1 import find_consumer, form_params, verify_launch
from lti_1p3_provider.models import Lti1p1Consumer, LtiLaunch

log = logging.getLogger(__name__)


def handle_lti1p1_launch(request: HttpRequest, target: ContentTarget) -> LtiLaunch:
    """Verify a signed LTI 1.1 launch of ``target`` and take it through the launch pipeline."""
    params = form_params(request)
    consumer: Lti1p1Consumer | None = None
    try:
        consumer = find_consumer(params)
        verify_launch(request, params, consumer)
        message = Lti1p1Launch.from_params(params)
        check_rules(consumer, consumer.org, target)
        published_block(target)
        # The consumer's locale for this page and the pages the launch leads to.
        language = activate_launch_language(message.locale)
        with transaction.atomic():
            launch = _record(consumer, message, target, params)
            edxapp.login(request, launch.user)
            if language:
                edxapp.set_language(request, launch.user, language)
                remember_language(request, language)
    except LtiProviderError as error:
        error.context.update(
            consumer=consumer.pk if consumer else None,
            consumer_key=params.get("oauth_consumer_key", "")[:255],
            target=str(target.usage_key),
        )
        error.frame_origins = consumer.frame_origins if consumer else ()
        raise
    access.grant(request, target, launch.expires_at, consumer.frame_origins)
    log.info(
        "LTI 1.1 launch: consumer=%s user=%s target=%s",
        consumer.pk,
        launch.user_id,
        target.usage_key,
    )
    return launch


def _record(
    consumer: Lti1p1Consumer,
    message: Lti1p1Launch,
    target: ContentTarget,
    params: dict[str, str],
) -> LtiLaunch:
    hint = params.get(consumer.username_source, "") if consumer.username_source else ""
    profile = find_or_create_profile({"consumer": consumer}, message, username=hint)
    enroll(profile.user, target.course_key)
    graded = message.takes_grades and not profile.is_retired
    return LtiLaunch.objects.create(
        consumer=consumer,
        deployment_id="",
        profile=profile,
        user=profile.user,
        course_key=target.course_key,
        usage_key=target.usage_key,
        resource_link_id=message.resource_link_id,
        context_id=message.context_id or "",
        context_title=message.context_title or "",
        roles=list(message.roles),
        outcome_service_url=(message.outcome_service_url or "") if graded else "",
        result_sourcedid=(message.result_sourcedid or "") if graded else "",
        expires_at=access.access_expiry(),
    )
