"""System checks: a backend that cannot import fails loudly."""

from __future__ import annotations

from lti_1p3_provider.checks import check_edxapp_backend, check_tool_config_installed
from lti_1p3_provider.edxapp import api


def test_sandbox_backend_passes(settings):
    assert check_edxapp_backend() == []


def test_openedx_backend_without_edx_platform_fails(settings):
    settings.LTI_1P3_PROVIDER_EDXAPP_BACKEND = "openedx"
    api._load.cache_clear()
    try:
        errors = check_edxapp_backend()
    finally:
        api._load.cache_clear()
    assert [e.id for e in errors] == ["lti_1p3_provider.E001"]
    assert "xmodule" in errors[0].msg


def test_unknown_dotted_backend_fails(settings):
    settings.LTI_1P3_PROVIDER_EDXAPP_BACKEND = "no.such.Backend"
    errors = check_edxapp_backend()
    assert errors and errors[0].id == "lti_1p3_provider.E001"


def test_tool_config_app_required(settings):
    settings.INSTALLED_APPS = [a for a in settings.INSTALLED_APPS if "lti1p3_tool_config" not in a]
    assert [e.id for e in check_tool_config_installed()] == ["lti_1p3_provider.E002"]
