"""The tool side of LTI Dynamic Registration: from a pasted link to a working registration."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

from lti_1p3_provider.conf import provider_settings
from lti_1p3_provider.core.dynamic_registration import (
    PlatformConfiguration,
    RegistrationAnswer,
    ToolRegistration,
)
from lti_1p3_provider.core.text import _
from lti_1p3_provider.exceptions import (
    PlatformConfigurationRefused,
    RegistrationError,
    RegistrationLinkRefused,
)
from lti_1p3_provider.models import RegistrationLink, policy_for
from lti_1p3_provider.registration import platform_http
from lti_1p3_provider.registration.links import holding, open_link
from lti_1p3_provider.services.canvas_config import DESCRIPTION, PRIVACY_LEVEL, SCOPES, TOOL_ID
from lti_1p3_provider.services.platform_registration import (
    PlatformRegistration,
    register_platform,
)
from lti_1p3_provider.services.registrations import registration_login_url, tool_urls

# A registration token is opaque to us (Canvas sends a JWT): bounded, printable, no spaces.
_REGISTRATION_TOKEN = re.compile(r"^[\x21-\x7e]{1,4096}$")


@dataclass(frozen=True)
class DynamicRegistration:
    """A finished registration: the new row, the platform it is for, its deployment if given."""

    tool: LtiTool
    platform: PlatformConfiguration
    deployment_id: str | None


def tool_name() -> str:
    """The name platforms show for this tool: the setting, else the LMS's PLATFORM_NAME."""
    name = provider_settings.LTI_1P3_PROVIDER_TOOL_NAME
    return str(name or getattr(settings, "PLATFORM_NAME", "") or "Open edX")[:255]


def tool_registration(base_url: str, public_id: str | None = None) -> ToolRegistration:
    """This tool as the registration request describes it, served from ``base_url``.

    With ``public_id``, the login initiation URL is the new registration's own.
    """
    urls = tool_urls(base_url)
    login = registration_login_url(base_url, public_id) if public_id else urls.login_initiation
    return ToolRegistration(
        client_name=tool_name(),
        initiate_login_uri=login,
        redirect_uris=(urls.redirect_uri,),
        jwks_uri=urls.jwks,
        target_link_uri=urls.redirect_uri,
        deep_linking_uri=urls.deep_linking,
        course_home_uri=urls.redirect_uri,
        domain=urlsplit(urls.base_url).hostname or "",
        description=DESCRIPTION,
        scopes=SCOPES,
        logo_uri=provider_settings.LTI_1P3_PROVIDER_TOOL_LOGO_URL,
        # Registered only with platforms whose configuration lists the message type.
        submission_review_uri=(
            urls.redirect_uri if provider_settings.LTI_1P3_PROVIDER_SUBMISSION_REVIEW else None
        ),
        data_privacy_uri=urls.base_url + reverse("lti_1p3_provider:privacy"),
        canvas_extensions={"privacy_level": PRIVACY_LEVEL, "tool_id": TOOL_ID},
    )


def register_by_url(
    token: str, config_url: str | None, registration_token: str | None, base_url: str
) -> DynamicRegistration:
    """Run the whole exchange for the link ``token``; a failure leaves nothing behind."""
    link = open_link(token)
    if not config_url:
        raise PlatformConfigurationRefused(
            _("The link was opened without the platform's openid_configuration parameter.")
        )
    if registration_token is not None and not _REGISTRATION_TOKEN.match(registration_token):
        raise PlatformConfigurationRefused(_("The platform's registration_token is not usable."))
    hold = 4 * provider_settings.LTI_1P3_PROVIDER_HTTP_TIMEOUT_SEC + 30
    with holding(link, hold):
        data = platform_http.fetch_configuration(config_url, registration_token)
        https = not platform_http.insecure_allowed()
        platform = PlatformConfiguration.from_json(data, config_url, https=https)
        for name in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
            platform_http.check_platform_url(
                getattr(platform, name), _("The platform's %(name)s") % {"name": name}
            )
        body = tool_registration(base_url, link.login_slug).request_for(platform)
        answer = RegistrationAnswer.from_json(
            platform_http.post_registration(
                platform.registration_endpoint, body, registration_token
            )
        )
        tool = _save(link, platform, answer)
    return DynamicRegistration(tool=tool, platform=platform, deployment_id=answer.deployment_id)


def _save(
    link: RegistrationLink, platform: PlatformConfiguration, answer: RegistrationAnswer
) -> LtiTool:
    with transaction.atomic():
        locked = RegistrationLink.objects.select_for_update().get(pk=link.pk)
        if locked.status != "open":
            raise RegistrationLinkRefused(
                _("This registration link was used or expired meanwhile.")
            )
        if LtiTool.objects.filter(issuer=platform.issuer, client_id=answer.client_id).exists():
            raise RegistrationError(
                _(
                    "This site already has a registration for %(issuer)s with client id "
                    "%(client_id)s; it was left unchanged."
                )
                % {"issuer": platform.issuer, "client_id": answer.client_id},
                admin_hint=_(
                    "Edit the existing registration in the Django admin instead, or "
                    "delete it first if the platform should register anew."
                ),
            )
        host = urlsplit(platform.issuer).hostname
        tool, _created = register_platform(
            PlatformRegistration(
                title=f"{link.label} ({platform.product_family_code} at {host})"[:255],
                issuer=platform.issuer,
                client_id=answer.client_id,
                auth_login_url=platform.authorization_endpoint,
                auth_token_url=platform.token_endpoint,
                auth_audience=platform.authorization_server,
                key_set_url=platform.jwks_uri,
                deployment_ids=(answer.deployment_id,) if answer.deployment_id else (),
                key_name=link.tool_key.name,
                allowed_keys=tuple(link.allowed_keys),
                allowed_courses=tuple(link.allowed_courses),
                allowed_orgs=tuple(link.allowed_orgs),
                allow_all_content=link.allow_all_content,
            )
        )
        policy = policy_for(tool)
        policy.public_id = link.login_slug  # the login URL the platform was given
        # Canvas and Brightspace name deployments only when an admin deploys the tool.
        policy.accept_new_deployments = answer.deployment_id is None
        policy.org = link.org  # the organization that made the link manages the registration
        policy.save()
        locked.used_at, locked.registration = timezone.now(), tool
        locked.save(update_fields=["used_at", "registration"])
    return tool
