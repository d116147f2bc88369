"""Django system checks for what an operator can get wrong."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

from lti_1p3_provider.conf import provider_settings


@register(Tags.compatibility)
def check_edxapp_backend(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """The configured platform backend must construct, which proves its platform imports (E001)."""
    from lti_1p3_provider.edxapp import api

    name = provider_settings.LTI_1P3_PROVIDER_EDXAPP_BACKEND
    try:
        api.backend()
    except ImportError as exc:
        return [
            Error(
                f"LTI 1.3 provider backend {name!r} cannot import: {exc}",
                hint="Inside an Open edX LMS use 'openedx'; elsewhere set "
                "LTI_1P3_PROVIDER_EDXAPP_BACKEND = 'sandbox' and install its app.",
                id="lti_1p3_provider.E001",
            )
        ]
    return []


@register(Tags.compatibility)
def check_tool_config_installed(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """pylti1p3's tool config app holds registrations and keys (E002)."""
    if "pylti1p3.contrib.django.lti1p3_tool_config" not in settings.INSTALLED_APPS:
        return [
            Error(
                "pylti1p3.contrib.django.lti1p3_tool_config is not in INSTALLED_APPS.",
                hint="Add it; the LMS plugin settings add it automatically.",
                id="lti_1p3_provider.E002",
            )
        ]
    return []
