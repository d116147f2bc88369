"""The sandbox backend's Django app (demo site and tests only)."""

from django.apps import AppConfig


class SandboxConfig(AppConfig):
    """Holds the sandbox's enrollments and problem scores."""

    name = "lti_1p3_provider.edxapp.sandbox"
    label = "lti_sandbox"
    verbose_name = "LTI provider sandbox LMS"
    default_auto_field = "django.db.models.BigAutoField"
