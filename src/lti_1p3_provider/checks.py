"""Django system checks for what an operator can get wrong."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.db import connection

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


def _as_warning(result: Any, check_id: str) -> list[CheckMessage]:
    return [] if result.ok else [Warning(f"{result.name}: {result.message}", id=check_id)]


@register(Tags.security, deploy=True)
def check_iframe_cookies(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """W001 (``check --deploy``): cookies must be SameSite=None; Secure for iframe launches."""
    from lti_1p3_provider.services.self_check import check_cookies

    return _as_warning(check_cookies(), "lti_1p3_provider.W001")


@register(Tags.security, deploy=True)
def check_https(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """W002 (``check --deploy``): platforms need the LMS on HTTPS."""
    from lti_1p3_provider.services.self_check import check_https as https_result

    return _as_warning(https_result(), "lti_1p3_provider.W002")


@register(Tags.database)
def check_tool_key(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list:
    """W003 (``check --database default``): a tool key must exist for platforms to trust us."""
    if not databases:
        return []
    from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiToolKey

    from lti_1p3_provider.services.self_check import check_tool_key as tool_key_result

    # `migrate` runs database checks before it creates the tables: nothing to say yet then.
    if LtiToolKey._meta.db_table not in connection.introspection.table_names():
        return []
    return _as_warning(tool_key_result(), "lti_1p3_provider.W003")
