"""The install self-check: command, admin page, and each line against real settings."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiToolKey

from lti_1p3_provider.services.self_check import run_checks
from tests.recording_server import RecordingServer
from tests.scripted_server import Reply, ScriptedServer

TOKEN = Reply(json.dumps({"access_token": "tok", "expires_in": 3600}).encode())

pytestmark = pytest.mark.django_db


def results_by_name():
    return {r.name.split(" (")[0]: r for r in run_checks()}


def production_like(settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["lms.example.org"]


def test_self_check_names_what_to_fix(settings):
    production_like(settings)
    settings.ENABLE_LTI_1P3_PROVIDER = False
    settings.SESSION_COOKIE_SAMESITE = "Lax"
    results = results_by_name()
    assert not results["Feature flag"].ok
    assert not results["Tool key"].ok and "lti_ensure_tool_key" in results["Tool key"].message
    assert not results["Registrations"].ok
    assert not results["Iframe cookies"].ok
    assert "SESSION_COOKIE_SAMESITE" in results["Iframe cookies"].message
    assert not results["HTTPS"].ok
    assert results["Platform backend"].ok
    assert results["Celery"].ok


def test_self_check_passes_a_production_setup(settings, tool, tmp_path):
    production_like(settings)
    # Shared by every process (a file cache stands in for Redis or Memcached).
    settings.CACHES = {
        **settings.CACHES,
        "shared": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        },
    }
    settings.LTI_1P3_PROVIDER_CACHE = "shared"
    settings.LMS_ROOT_URL = "https://lms.example.org"
    settings.SESSION_COOKIE_SAMESITE = settings.CSRF_COOKIE_SAMESITE = "None"
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    with ScriptedServer({"/token": TOKEN}) as platform:
        tool.auth_token_url = platform.url + "/token"
        tool.save()
        results = run_checks()
    assert all(r.ok for r in results), [r.line() for r in results if not r.ok]
    assert any("pasted key set holds kids" in r.message for r in results)
    assert any("token endpoint grants the score scope" in r.message for r in results)


def token_line(tool, reply: Reply):
    with ScriptedServer({"/token": reply}) as platform:
        tool.auth_token_url = platform.url + "/token"
        tool.save()
        return next(r for r in run_checks() if r.name.endswith("grade passback token"))


def test_a_platform_refusing_the_score_scope_is_told_to_grant_it(tool):
    line = token_line(tool, Reply(b'{"error": "invalid_scope"}', status=400))
    assert not line.ok
    assert "error=invalid_scope" in line.message
    assert "allow Assignment and Grade Services" in line.message


def test_a_token_endpoint_that_is_down_names_its_url(tool):
    tool.auth_token_url = "http://127.0.0.1:9/token"
    tool.save()
    line = next(r for r in run_checks() if r.name.endswith("grade passback token"))
    assert not line.ok and "http://127.0.0.1:9/token" in line.message


def test_self_check_reports_an_unreachable_key_set(settings, tool):
    tool.key_set, tool.key_set_url = None, "http://127.0.0.1:9/jwks"
    tool.save()
    result = results_by_name()["Registration 1" if tool.pk == 1 else f"Registration {tool.pk}"]
    assert not result.ok and "could not be fetched" in result.message


def test_self_check_names_a_key_set_on_a_refused_address(settings, tool):
    # After an upgrade, a registration whose key set URL is on loopback shows up here first.
    settings.DEBUG, settings.LTI_1P3_PROVIDER_ALLOW_LOCAL_ADDRESSES = False, None
    with RecordingServer() as server:
        tool.key_set, tool.key_set_url = None, server.url.replace("127.0.0.1", "localhost")
        tool.save()
        result = [r for r in run_checks() if r.name.startswith(f"Registration {tool.pk} ")][-1]
    assert server.requests == []
    assert not result.ok
    assert "leads to an address this site never calls" in result.message
    assert "LTI_1P3_PROVIDER_ALLOW_LOCAL_ADDRESSES" in result.message


def test_self_check_backend_failure(settings):
    from lti_1p3_provider.edxapp import api

    settings.LTI_1P3_PROVIDER_EDXAPP_BACKEND = "openedx"
    api._load.cache_clear()
    try:
        result = results_by_name()["Platform backend"]
    finally:
        api._load.cache_clear()
    assert not result.ok and "cannot import" in result.message


def test_self_check_flags_eager_celery(settings):
    from celery import current_app

    current_app.conf.task_always_eager = True
    try:
        assert not results_by_name()["Celery"].ok
    finally:
        current_app.conf.task_always_eager = False


def test_check_command_fails_with_exit_status(settings):
    production_like(settings)
    with pytest.raises(CommandError, match="need a fix"):
        call_command("lti_1p3_provider_check", stdout=StringIO())


def test_self_check_admin_page(admin_client, settings):
    production_like(settings)
    settings.ALLOWED_HOSTS = ["testserver"]
    text = admin_client.get("/admin/lti1p3_tool_config/ltitool/self-check/").content.decode()
    assert "FIX" in text and "Tool key" in text and "Iframe cookies" in text


@pytest.mark.django_db(transaction=True)
def test_demo_self_check_is_all_ok(site, settings):
    """In the demo (sandbox backend, loopback, live platform), every line is OK."""
    settings.DEBUG = True
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
    out = StringIO()
    call_command("lti_1p3_provider_check", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[-1].endswith("All OK.")
    assert all(line.startswith("[OK]") for line in lines[:-1]), lines
    assert any("key set URL answers with kids" in line for line in lines)
    assert LtiToolKey.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_platform_without_this_sites_key_set_fails_the_token_line_before_any_grade(
    site, settings
):
    # Launches work (the platform signs them); only the token request needs our key.
    from demo.lms.models import DemoPlatform
    from tests.helpers import SigningPlatform
    from tests.jwks_server import KeySetServer

    settings.DEBUG = True
    with KeySetServer() as other_keys:
        other_keys.keys = [SigningPlatform().jwk]
        DemoPlatform.objects.update(tool_jwks_url=other_keys.url)
        line = next(r for r in run_checks() if r.name.endswith("grade passback token"))
    assert not line.ok
    assert "400" in line.message and "key set URL (/lti/1p3/pub/jwks/)" in line.message


def test_jwks_and_canvas_json_are_valid_json(client, tool):
    body = client.get(f"/lti/1p3/canvas/{tool.policy.public_id}/config.json").content
    assert json.loads(body)["extensions"][0]["privacy_level"] == "name_only"


def test_self_check_names_lti1p1_consumers_without_a_site_or_gate():
    from lti_1p3_provider.models import Lti1p1Consumer

    Lti1p1Consumer.objects.create(title="Bare")
    Lti1p1Consumer.objects.create(
        title="Ready", site_origins=["https://moodle.example"], allowed_orgs=["OpenedX"]
    )
    Lti1p1Consumer.objects.create(title="Off", is_active=False)
    lines = {r.name: r for r in run_checks() if r.name.startswith("LTI 1.1 consumer")}
    assert set(lines) == {"LTI 1.1 consumer Bare", "LTI 1.1 consumer Ready"}
    bare = lines["LTI 1.1 consumer Bare"]
    assert not bare.ok and "no site origins" in bare.message and "no gate" in bare.message
    assert lines["LTI 1.1 consumer Ready"].ok


EC_KEY = {"kty": "EC", "kid": "ec-1", "crv": "P-256", "x": "a" * 43, "y": "b" * 43}


def test_a_key_set_url_with_a_key_launches_cannot_use_names_it(settings, tool, platform):
    from lti_1p3_provider.services.registration_checks import check_key_set

    settings.DEBUG = True  # the key set on loopback
    for keys, ok in (([platform.jwk, EC_KEY], True), ([EC_KEY], False)):
        with ScriptedServer({"/jwks": Reply(json.dumps({"keys": keys}).encode())}) as server:
            tool.key_set, tool.key_set_url = None, server.url + "/jwks"
            tool.save()
            result = check_key_set(tool, "Registration")
        assert result.ok is ok, result.message
        assert "key set URL answers with kids" in result.message
        assert "Not usable to sign launches" in result.message and "ec-1" in result.message


def test_a_pasted_key_set_of_keys_launches_cannot_use_fails(tool, platform):
    from lti_1p3_provider.services.registration_checks import check_key_set

    tool.key_set = json.dumps({"keys": [EC_KEY]})
    tool.save()
    result = check_key_set(tool, "Registration")
    assert not result.ok and "Not usable to sign launches" in result.message
    tool.key_set = json.dumps({"keys": [platform.jwk]})
    tool.save()
    result = check_key_set(tool, "Registration")
    assert result.ok and "Not usable" not in result.message
