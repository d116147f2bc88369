"""The operator REST API: staff only, CSRF on sessions, field-level errors, a valid OpenAPI schema,
and a registration made through it that launches and whose failed passback is resent."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from drf_spectacular.validation import validate_schema
from opaque_keys.edx.keys import UsageKey

from lti_1p3_provider.edxapp.sandbox.backend import find_block, submit_answer
from lti_1p3_provider.models import LtiLaunch, PassbackStatus, ScorePassback
from tests.helpers import COURSE, PROBLEM, launch

pytestmark = pytest.mark.django_db
API = "/lti/1p3/api/v1/"
ENDPOINTS = ["registrations/", "tool-keys/", "registration-links/", "launches/", "passbacks/"]


@pytest.fixture
def staff(client):
    user = get_user_model().objects.create(username="operator", is_staff=True)
    client.force_login(user)
    return client


def registration_body(platform, **changes):
    body = {
        "title": "Physics platform",
        "issuer": platform.issuer,
        "client_id": platform.client_id,
        "auth_login_url": "https://platform.example/auth",
        "auth_token_url": "https://platform.example/token",
        "key_set": platform.jwks,
        "deployment_ids": [platform.deployment_id],
        "tool_key": "api-key",
        "gate": {"allowed_courses": [COURSE]},
    }
    return {**body, **changes}


def post(client, path, body):
    return client.post(API + path, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("path", ENDPOINTS)
def test_only_staff_may_read_or_write(client, path):
    assert client.get(API + path).status_code in (401, 403)
    learner = get_user_model().objects.create(username="learner")
    client.force_login(learner)
    assert client.get(API + path).status_code == 403
    assert post(client, path, {}).status_code == 403


def test_a_session_must_send_its_csrf_token():
    client = Client(enforce_csrf_checks=True)
    client.force_login(get_user_model().objects.create(username="op", is_staff=True))
    assert client.get(API + "tool-keys/").status_code == 200
    refused = post(client, "tool-keys/", {"name": "sneaky"})
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]


def test_invalid_values_are_field_errors(staff, platform):
    bad = registration_body(
        platform,
        issuer="not a url",
        deployment_ids=["has space"],
        gate={"allowed_courses": ["course-v1:Nope"], "allowed_orgs": ["Open edX"]},
    )
    response = post(staff, "registrations/", bad)
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"issuer", "deployment_ids", "gate"}
    assert "course-v1:Nope" in errors["gate"]["allowed_courses"][0]
    assert "Open edX" in errors["gate"]["allowed_orgs"][0]
    no_keys = post(staff, "registrations/", registration_body(platform, key_set=None))
    assert no_keys.status_code == 400 and "key_set_url" in no_keys.json()


def test_a_pasted_key_set_over_256_kb_is_a_field_error(staff, platform):
    # It rides in the cached registration on every launch; memcached holds 1 MB an item.
    padded = {**platform.jwks, "padding": "x" * (256 * 1024)}
    response = post(staff, "registrations/", registration_body(platform, key_set=padded))
    assert response.status_code == 400
    assert "limited to 256 KB" in response.json()["key_set"][0]
    assert post(staff, "registrations/", registration_body(platform)).status_code == 201


@pytest.mark.parametrize("path", ["launches/", "passbacks/"])
def test_a_registration_filter_that_is_no_id_is_a_field_error(staff, path):
    for value in ["\u00b2", "9" * 5000, "12a", "99999999999999999999"]:
        response = staff.get(API + path, {"registration": value})
        assert response.status_code == 400, (value, response.status_code)
        assert "A registration id" in str(response.json())
    assert staff.get(API + path, {"registration": "12"}).status_code == 200


def test_a_body_nested_too_deep_is_a_400_that_creates_nothing(staff):
    response = staff.post(API + "registrations/", "[" * 50_000, content_type="application/json")
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]
    assert staff.get(API + "registrations/").json()["count"] == 0


def test_the_schema_is_valid_openapi_3(staff):
    response = staff.get("/lti/1p3/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content)
    validate_schema(schema)  # raises on an invalid OpenAPI 3 document
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    assert "/lti/1p3/api/v1/registrations/" in paths
    assert "/lti/1p3/api/v1/tool-keys/{id}/rotate/" in paths
    assert "/lti/1p3/api/v1/passbacks/{id}/resend/" in paths


def test_registration_made_through_the_api_launches_and_its_failed_score_is_resent(staff, platform):
    key = post(staff, "tool-keys/", {"name": "api-key"})
    assert key.status_code == 201, key.content
    assert "d" not in key.json()["public_jwk"]  # never the private key
    assert "private_key" not in key.json()
    made = post(staff, "registrations/", registration_body(platform))
    assert made.status_code == 201, made.content
    registration = made.json()
    assert registration["gate"]["allowed_courses"] == [COURSE]
    assert registration["login_url"].startswith("http://testserver/lti/1p3/login/")
    again = post(staff, "registrations/", registration_body(platform))
    assert again.status_code == 400 and "client_id" in again.json()

    learner = Client()
    assert launch(learner, platform).status_code == 302
    record = LtiLaunch.objects.get()
    assert record.tool_id == registration["id"]
    listed = staff.get(API + "launches/", {"course": COURSE, "registration": registration["id"]})
    assert [row["id"] for row in listed.json()["results"]] == [record.pk]
    assert listed.json()["results"][0]["sub"] == "learner-1"

    submit_answer(record.user, find_block(UsageKey.from_string(PROBLEM)), "20 km/h")
    row = ScorePassback.objects.get()
    ScorePassback.objects.filter(pk=row.pk).update(
        status=PassbackStatus.FAILED, last_error="platform said 400"
    )
    failed = staff.get(API + "passbacks/", {"status": "failed"}).json()["results"]
    assert [(r["id"], r["last_error"]) for r in failed] == [(row.pk, "platform said 400")]
    resent = staff.post(API + f"passbacks/{row.pk}/resend/")
    assert resent.status_code == 200 and resent.json() == {"queued": 1}
    row.refresh_from_db()
    assert row.status != PassbackStatus.FAILED and row.last_error == ""


def test_a_gate_update_replaces_the_gate_and_ids_cannot_change(staff, platform):
    made = post(staff, "registrations/", registration_body(platform)).json()
    url = API + f"registrations/{made['id']}/"
    changed = staff.patch(
        url, json.dumps({"gate": {"allowed_orgs": ["OpenedX"]}}), content_type="application/json"
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["gate"] == {
        "allow_all_content": False,
        "allowed_keys": [],
        "allowed_courses": [],
        "allowed_orgs": ["OpenedX"],
    }
    moved = staff.patch(
        url, json.dumps({"issuer": "https://x.example"}), content_type="application/json"
    )
    assert moved.status_code == 400 and "issuer" in moved.json()


def test_rotating_a_key_publishes_a_successor(staff):
    key = post(staff, "tool-keys/", {"name": "rotating"}).json()
    rotated = staff.post(API + f"tool-keys/{key['id']}/rotate/")
    assert rotated.status_code == 201
    successor = rotated.json()
    assert successor["public_jwk"]["kid"] != key["public_jwk"]["kid"]
    old = staff.get(API + f"tool-keys/{key['id']}/").json()
    assert old["rotation"]["successor"] == successor["id"]
    twice = staff.post(API + f"tool-keys/{key['id']}/rotate/")
    assert twice.status_code == 400 and "already rotated" in twice.json()["detail"]


def test_a_registration_link_url_is_shown_once(staff):
    refused = post(staff, "registration-links/", {"label": "Moodle", "gate": {}})
    assert refused.status_code == 400 and "gate" in refused.json()
    made = post(staff, "registration-links/", {"label": "Moodle", "gate": {"allowed_orgs": ["X"]}})
    assert made.status_code == 201, made.content
    assert made.json()["url"].startswith("http://testserver/lti/1p3/register/")
    assert made.json()["status"] == "open"
    listed = staff.get(API + "registration-links/").json()["results"]
    assert listed[0]["url"] is None  # never again


def test_lists_cost_a_fixed_number_of_queries(staff, platform, django_assert_max_num_queries):
    post(staff, "registrations/", registration_body(platform))
    post(staff, "registrations/", registration_body(platform, client_id="second"))
    with django_assert_max_num_queries(6):  # session, user, count, rows (+ policies made once)
        assert len(staff.get(API + "registrations/").json()["results"]) == 2
    with django_assert_max_num_queries(4):
        staff.get(API + "passbacks/")


def test_jwt_comes_first_where_edx_drf_extensions_is_installed(monkeypatch):
    import sys
    import types

    from rest_framework.authentication import BaseAuthentication, SessionAuthentication

    from lti_1p3_provider.rest_api.v1.base import authentication_classes

    assert authentication_classes() == [SessionAuthentication]  # outside an LMS
    jwt = type("JwtAuthentication", (BaseAuthentication,), {})
    for name in (
        "edx_rest_framework_extensions",
        "edx_rest_framework_extensions.auth",
        "edx_rest_framework_extensions.auth.jwt",
    ):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    module = types.ModuleType("edx_rest_framework_extensions.auth.jwt.authentication")
    module.JwtAuthentication = jwt  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, module.__name__, module)
    assert authentication_classes() == [jwt, SessionAuthentication]
