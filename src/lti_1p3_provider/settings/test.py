"""Test settings inside an LMS test run."""

from typing import Any

from lti_1p3_provider.settings.common import plugin_settings as common_settings


def plugin_settings(settings: Any) -> None:
    """Common defaults; tests in an LMS use the real backend."""
    common_settings(settings)
