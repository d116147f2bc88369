"""Production: let operators set the provider's settings from the LMS's YAML/env tokens."""

from typing import Any

from lti_1p3_provider.settings.common import plugin_settings as common_settings


def plugin_settings(settings: Any) -> None:
    """Apply common defaults, then any value the operator put in ENV_TOKENS."""
    common_settings(settings)
    tokens = getattr(settings, "ENV_TOKENS", {}) or {}
    from lti_1p3_provider.conf import SETTINGS

    for setting in SETTINGS:
        if setting.name in tokens:
            setattr(settings, setting.name, tokens[setting.name])
