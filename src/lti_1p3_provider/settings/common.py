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
    # The sweep re-queues passbacks whose task or worker was lost; once a minute is plenty.
    for name in ("CELERY_BEAT_SCHEDULE", "CELERYBEAT_SCHEDULE"):
        schedule = getattr(settings, name, None)
        if isinstance(schedule, dict):
            schedule.setdefault(
                "lti_1p3_provider.sweep_score_passbacks",
                {"task": "lti_1p3_provider.sweep_score_passbacks", "schedule": 60.0},
            )
