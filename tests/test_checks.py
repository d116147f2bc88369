"""System checks: a backend that cannot import fails loudly."""

from __future__ import annotations

import pytest

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


def test_deploy_checks_warn_about_iframe_cookies_and_https(settings):
    from lti_1p3_provider.checks import check_https, check_iframe_cookies

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["lms.example.org"]
    assert [w.id for w in check_iframe_cookies()] == ["lti_1p3_provider.W001"]
    assert [w.id for w in check_https()] == ["lti_1p3_provider.W002"]
    settings.SESSION_COOKIE_SAMESITE = settings.CSRF_COOKIE_SAMESITE = "None"
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.LMS_ROOT_URL = "https://lms.example.org"
    assert check_iframe_cookies() == [] and check_https() == []


@pytest.mark.django_db
def test_database_check_warns_without_tool_key():
    from lti_1p3_provider.checks import check_tool_key
    from lti_1p3_provider.services.tool_keys import create_tool_key

    assert check_tool_key(databases=None) == []
    assert [w.id for w in check_tool_key(databases=["default"])] == ["lti_1p3_provider.W003"]
    create_tool_key("k")
    assert check_tool_key(databases=["default"]) == []


def test_self_check_flags_a_process_local_cache_outside_debug(settings):
    from lti_1p3_provider.services.self_check import check_shared_cache

    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    result = check_shared_cache()
    assert not result.ok and "LocMemCache" in result.message
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}}
    assert check_shared_cache().ok


def test_plugin_settings_install_confinement_after_authentication():
    from types import SimpleNamespace

    from lti_1p3_provider.settings.common import CONFINEMENT_MIDDLEWARE, plugin_settings

    lms = SimpleNamespace(
        INSTALLED_APPS=[],
        MIDDLEWARE=["a", "django.contrib.auth.middleware.AuthenticationMiddleware", "b"],
    )
    plugin_settings(lms)
    plugin_settings(lms)  # idempotent
    assert lms.MIDDLEWARE == [
        "a",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        CONFINEMENT_MIDDLEWARE,
        "b",
    ]
    assert not hasattr(lms, "CELERY_BEAT_SCHEDULE")  # not invented: the self-check reports it
