"""App registration: an Open edX LMS plugin (edx-django-utils ``plugin_app``)."""

from __future__ import annotations

import logging
from typing import Any

from django.apps import AppConfig


class Lti1p3ProviderConfig(AppConfig):
    """The LTI 1.3 provider app; the LMS finds it through the ``lms.djangoapp`` entry point."""

    name = "lti_1p3_provider"
    label = "lti_1p3_provider"
    verbose_name = "LTI 1.3 provider"
    default_auto_field = "django.db.models.BigAutoField"

    # Plain strings rather than edx-platform's ProjectType/SettingsType enums: no platform import.
    plugin_app = {
        "url_config": {
            "lms.djangoapp": {
                "namespace": "lti_1p3_provider",
                "regex": r"^lti/",
                "relative_path": "site_urls",
            }
        },
        "settings_config": {
            "lms.djangoapp": {
                "common": {"relative_path": "settings.common"},
                "production": {"relative_path": "settings.production"},
                "test": {"relative_path": "settings.test"},
            }
        },
    }

    @staticmethod
    def _forget_cached_registrations_on_change() -> None:
        from django.db.models.signals import post_delete, post_save
        from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool, LtiToolKey

        from lti_1p3_provider.models import LaunchGate, RegistrationPolicy
        from lti_1p3_provider.services.registrations import forget_registrations

        for model in (LtiTool, LtiToolKey, LaunchGate, RegistrationPolicy):
            for signal in (post_save, post_delete):
                uid = f"lti_1p3_provider.forget:{model.__name__}:{signal is post_save}"
                signal.connect(forget_registrations, sender=model, dispatch_uid=uid)

    @staticmethod
    def _readable_names() -> None:
        # pylti1p3's models have no __str__: admin dropdowns and logs showed "LtiTool object (1)".
        from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool, LtiToolKey

        def tool_name(tool: Any) -> str:
            return f"{tool.title} ({tool.issuer}, client {tool.client_id})"

        def key_name(key: Any) -> str:
            return f"Tool key {key.name}"

        LtiTool.__str__ = tool_name  # type: ignore[method-assign,assignment]
        LtiToolKey.__str__ = key_name  # type: ignore[method-assign,assignment]

    def ready(self) -> None:
        from django.db.models.signals import post_save
        from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

        from lti_1p3_provider import checks  # noqa: F401  (registers system checks)
        from lti_1p3_provider.edxapp import api
        from lti_1p3_provider.grades.receivers import on_score_changed
        from lti_1p3_provider.grades.sweeping import connect_worker_ready
        from lti_1p3_provider.launch.retirement import retire_lti_user
        from lti_1p3_provider.models.policies import create_policy

        self._readable_names()
        post_save.connect(create_policy, sender=LtiTool, dispatch_uid="lti_1p3_provider.policy")
        self._forget_cached_registrations_on_change()
        connect_worker_ready()
        try:
            api.connect_score_events(on_score_changed)
        except ImportError:
            # Reported by system check lti_1p3_provider.E001; the LMS must still start.
            logging.getLogger(__name__).exception("LTI 1.3 provider: score events not connected")
        try:
            api.connect_retirement(retire_lti_user)
        except ImportError:
            logging.getLogger(__name__).exception("LTI 1.3 provider: retirement not connected")
