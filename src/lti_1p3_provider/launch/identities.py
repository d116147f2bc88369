"""LTI identities: (registration, sub) -> one Open edX user, created on first launch."""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

from lti_1p3_provider.conf import provider_settings
from lti_1p3_provider.core.claims import LaunchClaims
from lti_1p3_provider.edxapp import api as edxapp
from lti_1p3_provider.models import LtiProfile

USERNAME_PREFIX = "lti_"


def new_username() -> str:
    """A unique-enough, non-guessable username within Open edX's 30 characters."""
    return USERNAME_PREFIX + secrets.token_hex(12)


def profile_for_launch(tool: LtiTool, claims: LaunchClaims) -> LtiProfile:
    """The profile (and user) for this registration's ``sub``, created or refreshed."""
    profile = LtiProfile.objects.select_related("user").filter(tool=tool, sub=claims.sub).first()
    if profile is None:
        try:
            profile = _create(tool, claims)
        except IntegrityError:
            # Two first launches raced; the other one created the profile.
            profile = LtiProfile.objects.select_related("user").get(tool=tool, sub=claims.sub)
    _refresh(profile, claims)
    return profile


def _create(tool: LtiTool, claims: LaunchClaims) -> LtiProfile:
    domain = provider_settings.LTI_1P3_PROVIDER_USER_EMAIL_DOMAIN
    name = claims.display_name or ""
    with transaction.atomic():
        username = new_username()
        user = edxapp.create_user(username, f"{username}@{domain}", name)
        return LtiProfile.objects.create(
            tool=tool, sub=claims.sub, user=user, name=name, email=claims.email or ""
        )


def _refresh(profile: LtiProfile, claims: LaunchClaims) -> None:
    # Claims the platform did not send leave the stored values alone.
    changed = []
    name = claims.display_name
    if name is not None and name != profile.name:
        profile.name = name[:255]
        changed.append("name")
        edxapp.update_user_name(profile.user, profile.name)
    if claims.email is not None and claims.email != profile.email:
        profile.email = claims.email[:254]
        changed.append("email")
    if changed:
        profile.save(update_fields=[*changed, "modified"])
