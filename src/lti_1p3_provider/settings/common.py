"""Defaults for every LMS environment; the values are documented in conf.py."""

from pathlib import Path
from typing import Any

CONFINEMENT_MIDDLEWARE = "lti_1p3_provider.launch.confinement.LtiSessionConfinementMiddleware"
AUTH_MIDDLEWARE = "django.contrib.auth.middleware.AuthenticationMiddleware"
SWEEP_TASK = "lti_1p3_provider.sweep_score_passbacks"
PRUNE_TASK = "lti_1p3_provider.prune_lti_launches"
# OEP-58's layout (``<module>/conf/locale``): openedx-atlas pulls translations by module name
# into the LMS's plugins-locale; these bundled catalogs are the fallback.
LOCALE_DIR = Path(__file__).resolve().parent.parent / "conf" / "locale"


def install_middleware(settings: Any) -> None:
    """Put the session confinement middleware right after authentication (it needs the user)."""
    middleware = list(getattr(settings, "MIDDLEWARE", []) or [])
    if CONFINEMENT_MIDDLEWARE in middleware:
        return
    if AUTH_MIDDLEWARE in middleware:
        middleware.insert(middleware.index(AUTH_MIDDLEWARE) + 1, CONFINEMENT_MIDDLEWARE)
    else:
        middleware.append(CONFINEMENT_MIDDLEWARE)
    settings.MIDDLEWARE = middleware


def plugin_settings(settings: Any) -> None:
    """Add the provider's defaults and its dependency app without overriding operator values."""
    tool_config_app = "pylti1p3.contrib.django.lti1p3_tool_config"
    if tool_config_app not in settings.INSTALLED_APPS:
        settings.INSTALLED_APPS.append(tool_config_app)
    from lti_1p3_provider.conf import SETTINGS

    for setting in SETTINGS:
        if not hasattr(settings, setting.name):
            setattr(settings, setting.name, setting.default)
    install_middleware(settings)
    # The bundled catalogs come last: translations pulled by openedx-atlas into the LMS's
    # plugins-locale (earlier in LOCALE_PATHS) take precedence.
    locale_paths = list(getattr(settings, "LOCALE_PATHS", []) or [])
    if str(LOCALE_DIR) not in map(str, locale_paths):
        settings.LOCALE_PATHS = [*locale_paths, str(LOCALE_DIR)]
    # The sweep re-queues passbacks whose task or worker was lost; once a minute is plenty.
    # Only an existing schedule is extended; without beat the sweep queues itself (ADR 0021).
    for name in ("CELERY_BEAT_SCHEDULE", "CELERYBEAT_SCHEDULE"):
        schedule = getattr(settings, name, None)
        if isinstance(schedule, dict):
            schedule.setdefault(SWEEP_TASK, {"task": SWEEP_TASK, "schedule": 60.0})
            # Does nothing until LTI_1P3_PROVIDER_LAUNCH_RETENTION_DAYS is set.
            schedule.setdefault(PRUNE_TASK, {"task": PRUNE_TASK, "schedule": 24 * 3600.0})
