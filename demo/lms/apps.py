"""The built-in LMS: an LTI 1.3 platform made with the lti1p3platform library."""

from django.apps import AppConfig


class DemoLmsConfig(AppConfig):
    """Demo platform app."""

    name = "demo.lms"
    label = "demo_lms"
    default_auto_field = "django.db.models.BigAutoField"
