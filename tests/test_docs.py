"""The docs stay true to the code: every setting and every error page is documented."""

from __future__ import annotations

from pathlib import Path

from lti_1p3_provider import exceptions
from lti_1p3_provider.conf import SETTINGS

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_settings_reference_lists_every_setting_and_its_default():
    text = (DOCS / "settings.rst").read_text()
    for setting in SETTINGS:
        assert f"``{setting.name}``" in text, setting.name
        assert f"Default ``{setting.default!r}``" in text, setting.name


def test_troubleshooting_covers_every_error_page():
    text = (DOCS / "troubleshooting.rst").read_text()
    errors = [
        cls
        for cls in vars(exceptions).values()
        if isinstance(cls, type)
        and issubclass(cls, exceptions.LtiProviderError)
        and cls not in (exceptions.LtiProviderError, exceptions.LaunchValidationError)
    ]
    for cls in errors:
        assert f"``{cls.__name__}``" in text, cls.__name__


def test_install_and_registering_pages_exist():
    for name in (
        "install-tutor.rst",
        "install-lms.rst",
        "registering.rst",
        "settings.rst",
        "troubleshooting.rst",
        "edx-platform-api.rst",
        "benchmarks.rst",
    ):
        assert (DOCS / name).stat().st_size > 500, name
    registering = (DOCS / "registering.rst").read_text()
    for platform in ("Canvas", "Moodle", "Brightspace", "Blackboard"):
        assert platform in registering
