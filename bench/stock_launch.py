"""The stock pylti1p3 path: DjangoOIDCLogin and DjangoMessageLaunch, then the provider's own
user, enrollment, login and access code. What the provider's launch is measured against."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.csrf import csrf_exempt
from pylti1p3.contrib.django import (
    DjangoCacheDataStorage,
    DjangoDbToolConf,
    DjangoMessageLaunch,
    DjangoOIDCLogin,
)
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

from lti_1p3_provider.core.claims import LaunchClaims
from lti_1p3_provider.core.target_link import parse_target_path
from lti_1p3_provider.edxapp import api as edxapp
from lti_1p3_provider.launch import access
from lti_1p3_provider.launch.content import enroll
from lti_1p3_provider.launch.identities import profile_for_launch


def stock_login(request: HttpRequest) -> HttpResponse:
    """pylti1p3's OIDC login initiation."""
    oidc = DjangoOIDCLogin(
        request, DjangoDbToolConf(), launch_data_storage=DjangoCacheDataStorage()
    )
    return oidc.redirect(request.GET["target_link_uri"])


@csrf_exempt
def stock_launch(request: HttpRequest) -> HttpResponse:
    """pylti1p3's launch validation, then the same identity, enrollment and login code."""
    message = DjangoMessageLaunch(
        request, DjangoDbToolConf(), launch_data_storage=DjangoCacheDataStorage()
    )
    payload = message.get_launch_data()
    client_id = payload["aud"] if isinstance(payload["aud"], str) else payload["aud"][0]
    tool = LtiTool.objects.get(issuer=payload["iss"], client_id=client_id)
    claims = LaunchClaims.from_payload(payload, client_id)
    target = parse_target_path(urlsplit(claims.target_link_uri).path)
    with transaction.atomic():
        profile = profile_for_launch(tool, claims)
        enroll(profile.user, target.course_key)
        edxapp.login(request, profile.user)
    access.grant(request, target, None, ())
    return HttpResponseRedirect(urlsplit(claims.target_link_uri).path)
