"""Defaults for every LMS environment; the values are documented in conf.py."""

from typing import Any


def plugin_settings(settings: Any) -> None:
    """Add the provider's defaults and its dependency app without overriding operator values."""
    tool_config_app = "pylti1p3.contrib.django.lti1p3_tool_config"
    if tool_config_app not in settings.INSTALLED_APPS:
        settings.INSTALLED_APPS.append(tool_config_app)
    from lti_1p3_provider.conf import SETTINGS

    for setting in SETTINGS:
        if not hasattr(settings, setting.name):
            setattr(settings, setting.name, setting.default)
