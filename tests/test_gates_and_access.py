"""Launch gates, access grants and their expiry, missing content, and the feature flag."""

from __future__ import annotations

import pytest
from django.utils import timezone

from lti_1p3_provider.models import LaunchGate, LtiLaunch
from tests.helpers import COURSE, PROBLEM, UNIT, UNPUBLISHED, error_detail, launch, target_uri

pytestmark = pytest.mark.django_db
CONTENT_PATH = f"/lti/1p3/launch/{COURSE}/{PROBLEM}"
UNIT_PATH = f"/lti/1p3/launch/{COURSE}/{UNIT}"


def set_gate(tool, **fields):
    gate = LaunchGate.objects.get(tool=tool)
    gate.allowed_courses = []
    for key, value in fields.items():
        setattr(gate, key, value)
    gate.save()


@pytest.mark.parametrize(
    "fields",
    [
        {"allowed_keys": [PROBLEM]},
        {"allowed_courses": [COURSE]},
        {"allowed_orgs": ["OpenedX"]},
        {"allow_all_content": True},
    ],
)
def test_gate_allows_what_it_lists(client, platform, tool, fields):
    set_gate(tool, **fields)
    assert launch(client, platform).status_code == 302


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"allowed_keys": [UNIT]},
        {"allowed_courses": ["course-v1:OpenedX+Other+2026"]},
        {"allowed_orgs": ["OtherOrg"]},
    ],
)
def test_gate_refuses_what_it_does_not_list(client, platform, tool, fields):
    set_gate(tool, **fields)
    response = launch(client, platform)
    assert response.status_code == 403
    assert "may not launch this content" in error_detail(response)
    assert LtiLaunch.objects.count() == 0


def test_registration_without_gate_launches_nothing(client, platform, tool):
    LaunchGate.objects.filter(tool=tool).delete()
    response = launch(client, platform)
    assert response.status_code == 403
    assert "may not launch" in error_detail(response)


def test_unpublished_content_is_404(client, platform, tool):
    response = launch(client, platform, target=target_uri(UNPUBLISHED))
    assert response.status_code == 404
    assert "not published" in error_detail(response)


def test_missing_content_is_404(client, platform, tool):
    missing = "block-v1:OpenedX+DemoX+2026+type@problem+block@does_not_exist"
    response = launch(client, platform, target=target_uri(missing))
    assert response.status_code == 404
    assert "does not exist" in error_detail(response)


def test_grant_covers_only_the_launched_target(client, platform, tool):
    launch(client, platform)
    assert client.get(CONTENT_PATH).status_code == 200
    other = client.get(UNIT_PATH)
    assert other.status_code == 403
    assert "not launched in this browser session" in error_detail(other)


def test_content_without_login_asks_to_launch_again(client, tool):
    response = client.get(CONTENT_PATH)
    assert response.status_code == 403
    assert "Launch this content again" in error_detail(response)


def test_access_expires_after_configured_length(client, platform, tool, settings):
    settings.LTI_1P3_PROVIDER_ACCESS_LENGTH_SEC = 60
    launch(client, platform)
    record = LtiLaunch.objects.get()
    assert record.expires_at is not None
    assert 55 <= (record.expires_at - timezone.now()).total_seconds() <= 60
    assert client.get(CONTENT_PATH).status_code == 200
    session = client.session
    grants = session["lti_1p3_provider.grants"]
    grants[CONTENT_PATH]["exp"] = timezone.now().timestamp() - 1
    session["lti_1p3_provider.grants"] = grants
    session.save()
    expired = client.get(CONTENT_PATH)
    assert expired.status_code == 403
    assert "expired" in error_detail(expired)


def test_default_access_lasts_with_the_session(client, platform, tool):
    launch(client, platform)
    assert client.session["lti_1p3_provider.grants"][CONTENT_PATH]["exp"] is None


@pytest.mark.parametrize(
    "flag_settings",
    [
        {"ENABLE_LTI_1P3_PROVIDER": False},
        {"ENABLE_LTI_1P3_PROVIDER": None, "FEATURES": {}},
    ],
)
@pytest.mark.parametrize("path", ["/lti/1p3/login/", "/lti/1p3/pub/jwks/", CONTENT_PATH])
def test_every_endpoint_is_404_when_disabled(client, tool, settings, flag_settings, path):
    for key, value in flag_settings.items():
        setattr(settings, key, value)
    assert client.get(path).status_code == 404


def test_launch_endpoint_is_404_when_disabled(client, tool, settings):
    settings.ENABLE_LTI_1P3_PROVIDER = False
    assert client.post("/lti/1p3/launch/", {}).status_code == 404


def test_legacy_features_flag_enables(client, tool, settings):
    settings.ENABLE_LTI_1P3_PROVIDER = None
    settings.FEATURES = {"ENABLE_LTI_1P3_PROVIDER": True}
    assert client.get("/lti/1p3/pub/jwks/").status_code == 200
