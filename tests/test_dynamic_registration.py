"""LTI Dynamic Registration, tool side: links, the platform's configuration, the exchange."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

from lti_1p3_provider.models import RegistrationLink, policy_for
from lti_1p3_provider.registration.links import LinkGate, create_link, link_path
from lti_1p3_provider.services.registrations import deployment_ids
from tests.dr_platform import (
    AGS,
    TOOL_CONFIGURATION,
    RegistrationPlatform,
    detail,
    register,
)
from tests.helpers import COURSE

pytestmark = pytest.mark.django_db
CLOSE = "org.imsglobal.lti.close"


def test_a_pasted_link_registers_the_platform_with_the_links_gate(client, moodle, link_token):
    response = register(client, link_token, moodle)
    assert response.status_code == 200, detail(response)
    tool = LtiTool.objects.get()
    assert (tool.issuer, tool.client_id) == (moodle.url, "client-from-moodle")
    assert tool.auth_login_url == f"{moodle.url}/auth"
    assert tool.auth_token_url == f"{moodle.url}/token"
    assert tool.auth_audience == f"{moodle.url}/token"
    assert tool.key_set_url == f"{moodle.url}/jwks"
    assert deployment_ids(tool) == ["deployment-7"]
    assert tool.launch_gate.allowed_courses == [COURSE]
    assert not tool.launch_gate.allow_all_content
    assert policy_for(tool).accept_new_deployments is False
    link = RegistrationLink.objects.get()
    assert link.status == "used" and link.registration == tool
    page = response.content.decode()
    assert CLOSE in page and "window.opener || " in page
    assert "client-from-moodle" in page
    assert moodle.url in response["Content-Security-Policy"]


def test_the_registration_request_follows_the_spec(client, moodle, link_token):
    register(client, link_token, moodle)
    (post,) = moodle.posted()
    assert post.path == "/register"
    assert post.headers["Authorization"] == "Bearer reg-tok"
    body = post.body
    assert body["application_type"] == "web"
    assert body["response_types"] == ["id_token"]
    assert body["grant_types"] == ["implicit", "client_credentials"]
    assert body["token_endpoint_auth_method"] == "private_key_jwt"
    slug = RegistrationLink.objects.get().login_slug
    assert body["initiate_login_uri"] == f"http://testserver/lti/1p3/login/{slug}/"
    assert policy_for(LtiTool.objects.get()).public_id == slug
    assert body["redirect_uris"] == ["http://testserver/lti/1p3/launch/"]
    assert body["jwks_uri"] == "http://testserver/lti/1p3/pub/jwks/"
    # Only the AGS scopes the platform lists.
    assert body["scope"].split() == [AGS + "lineitem", AGS + "score"]
    config = body[TOOL_CONFIGURATION]
    assert config["domain"] == "testserver"
    assert config["target_link_uri"] == "http://testserver/lti/1p3/launch/"
    assert "sub" in config["claims"] and "email" not in config["claims"]
    (linking,) = config["messages"]
    assert linking["type"] == "LtiDeepLinkingRequest"
    assert linking["target_link_uri"] == "http://testserver/lti/1p3/deep-link/"
    assert linking["placements"] == ["ContentArea"]  # the platform's 'homework' is not ours
    assert not any(k.startswith("https://canvas.instructure.com/") for k in config)


def test_a_platform_without_deep_linking_gets_no_deep_linking_message(client, debug, link_token):
    with RegistrationPlatform(messages=[{"type": "LtiResourceLinkRequest"}]) as platform:
        assert register(client, link_token, platform).status_code == 200
    messages = platform.posted()[0].body[TOOL_CONFIGURATION]["messages"]
    assert all(m["type"] != "LtiDeepLinkingRequest" for m in messages)
    assert LtiTool.objects.count() == 1


@pytest.mark.parametrize("privacy", ["LtiDataPrivacyLaunchRequest", "DataPrivacyLaunchRequest"])
@pytest.mark.parametrize("review", [True, False])
def test_review_and_privacy_messages_are_asked_for_where_offered(
    client, debug, link_token, settings, privacy, review
):
    settings.LTI_1P3_PROVIDER_SUBMISSION_REVIEW = review
    offered = [{"type": "LtiSubmissionReviewRequest"}, {"type": privacy}]
    with RegistrationPlatform(messages=offered) as platform:
        assert register(client, link_token, platform).status_code == 200
    messages = platform.posted()[0].body[TOOL_CONFIGURATION]["messages"]
    expected = [(privacy, "http://testserver/lti/1p3/privacy/")]
    if review:  # the launch URL: the review finds the content from the learner's launches
        expected.insert(0, ("LtiSubmissionReviewRequest", "http://testserver/lti/1p3/launch/"))
    assert [(m["type"], m["target_link_uri"]) for m in messages] == expected
    assert all(m["label"] for m in messages)


def test_canvas_gets_its_extensions_and_deployments_are_adopted_later(client, debug, link_token):
    messages = [
        {"type": "LtiResourceLinkRequest", "placements": ["course_navigation"]},
        {"type": "LtiDeepLinkingRequest", "placements": ["link_selection", "editor_button"]},
    ]
    canvas = RegistrationPlatform(product="canvas", messages=messages, deployment_id=None)
    with canvas:
        assert register(client, link_token, canvas).status_code == 200
    config = canvas.posted()[0].body[TOOL_CONFIGURATION]
    assert config["https://canvas.instructure.com/lti/privacy_level"] == "name_only"
    linking, navigation = config["messages"]
    assert linking["placements"] == ["link_selection", "editor_button"]
    assert navigation["placements"] == ["course_navigation"]
    assert (
        navigation["https://canvas.instructure.com/lti/course_navigation/default_enabled"] is False
    )
    tool = LtiTool.objects.get()
    assert deployment_ids(tool) == []
    assert policy_for(tool).accept_new_deployments is True


def test_a_used_link_is_refused_and_calls_nobody(client, moodle, link_token):
    assert register(client, link_token, moodle).status_code == 200
    calls = len(moodle.requests)
    again = register(client, link_token, moodle)
    assert again.status_code == 410
    assert "already used" in detail(again)
    assert len(moodle.requests) == calls
    assert LtiTool.objects.count() == 1


def test_an_expired_link_is_refused_and_calls_nobody(client, moodle, link_token):
    RegistrationLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = register(client, link_token, moodle)
    assert response.status_code == 410
    assert "expired" in detail(response)
    assert moodle.requests == [] and not LtiTool.objects.exists()


def test_an_unknown_token_creates_nothing(client, moodle, link_token):
    response = register(client, "not-a-token", moodle)
    assert response.status_code == 404
    assert moodle.requests == [] and not LtiTool.objects.exists()


def test_a_configuration_on_another_site_than_its_issuer_is_refused(client, debug, link_token):
    other = RegistrationPlatform()
    with other:
        other.issuer = other.url.replace("127.0.0.1", "localhost")
        response = register(client, link_token, other)
    assert response.status_code == 502
    assert "the issuer must be the configuration URL's own site" in detail(response)
    assert other.posted() == [] and not LtiTool.objects.exists()
    assert RegistrationLink.objects.get().status == "open"  # fix the platform, paste again


def test_a_platform_refusal_shows_its_status_and_code_not_its_body(client, debug, link_token):
    body = json.dumps({"error": "invalid_client_metadata", "error_description": "<b>SECRET</b>"})
    with RegistrationPlatform(answer_status=400, answer_body=body.encode()) as platform:
        response = register(client, link_token, platform)
    assert response.status_code == 502
    shown = detail(response)
    assert "400" in shown and "error=invalid_client_metadata" in shown
    assert "SECRET" not in response.content.decode()
    assert not LtiTool.objects.exists()
    assert RegistrationLink.objects.get().status == "open"


def test_a_missing_registration_token_is_named_when_the_platform_wants_one(
    client, debug, link_token
):
    with RegistrationPlatform(answer_status=401, answer_body=b'{"error":"invalid_token"}') as p:
        response = client.get(link_path(link_token), {"openid_configuration": p.config_url})
    assert response.status_code == 502
    assert "requires a registration token" in response.content.decode()
    assert "Authorization" not in p.posted()[0].headers
    assert not LtiTool.objects.exists()


def test_a_link_opened_without_openid_configuration_creates_nothing(client, link_token):
    response = client.get(link_path(link_token))
    assert response.status_code == 502
    assert "openid_configuration" in detail(response)
    assert not LtiTool.objects.exists()


@pytest.mark.parametrize(
    ("override", "problem"),
    [
        ({"registration_endpoint": None}, "registration_endpoint"),
        ({"jwks_uri": "not a url"}, "jwks_uri"),
        ({"token_endpoint_auth_methods_supported": ["client_secret_basic"]}, "private_key_jwt"),
        ({"https://purl.imsglobal.org/spec/lti-platform-configuration": None}, "lti-platform"),
    ],
)
def test_an_unusable_configuration_is_refused(client, debug, link_token, override, problem):
    with RegistrationPlatform(config_overrides=override) as platform:
        response = register(client, link_token, platform)
    assert response.status_code == 502
    assert problem in detail(response)
    assert platform.posted() == [] and not LtiTool.objects.exists()


def test_outside_debug_plain_http_and_loopback_are_never_called(client, settings, link_token):
    settings.DEBUG = False
    settings.LTI_1P3_PROVIDER_ALLOW_LOCAL_ADDRESSES = None  # production: follows DEBUG
    with RegistrationPlatform() as platform:
        plain = register(client, link_token, platform)
        loopback = client.get(
            link_path(link_token),
            {"openid_configuration": "https://127.0.0.1:9/.well-known/openid-configuration"},
        )
        metadata = client.get(
            link_path(link_token),
            {"openid_configuration": "https://169.254.169.254/latest/meta-data"},
        )
    assert "is not HTTPS" in detail(plain)
    assert "never calls" in detail(loopback)
    assert "never calls" in detail(metadata)
    assert platform.requests == [] and not LtiTool.objects.exists()


def test_a_client_id_already_registered_is_left_alone(client, moodle, link_token, tool_key):
    LtiTool.objects.create(
        title="Existing",
        issuer=moodle.url,
        client_id="client-from-moodle",
        tool_key=tool_key,
        auth_login_url="https://x.example/a",
        auth_token_url="https://x.example/t",
        deployment_ids="[]",
    )
    response = register(client, link_token, moodle)
    assert response.status_code == 400
    assert "left unchanged" in detail(response)
    assert LtiTool.objects.get().title == "Existing"
    assert RegistrationLink.objects.get().status == "open"


@pytest.mark.parametrize("client_id", ["", "two words", "x" * 256, ["list"], "tab\there"])
def test_an_answer_without_a_usable_client_id_creates_nothing(client, debug, link_token, client_id):
    body = json.dumps({"client_id": client_id}).encode()
    with RegistrationPlatform(answer_body=body) as platform:
        response = register(client, link_token, platform)
    assert response.status_code == 502
    assert "no usable client_id" in detail(response)
    assert not LtiTool.objects.exists()


def test_a_registrations_own_login_url_names_it_without_a_client_id(client, moodle, link_token):
    from urllib.parse import urlsplit

    assert register(client, link_token, moodle).status_code == 200
    _, second = create_link("Second Moodle registration", LinkGate(allow_all_content=True))
    moodle.answer_body = None
    moodle.product = "moodle2"  # the platform gives another client id
    assert register(client, second, moodle).status_code == 200
    first_tool, second_tool = LtiTool.objects.order_by("pk")
    query = {
        "iss": moodle.url,
        "login_hint": "u1",
        "target_link_uri": "http://testserver/lti/1p3/deep-link/",
    }
    # Two registrations of one issuer, no client_id: the shared URL cannot tell them apart...
    assert client.get("/lti/1p3/login/", query).status_code == 400
    # ...each registration's own URL can.
    for tool in (first_tool, second_tool):
        slug = policy_for(tool).public_id
        response = client.get(f"/lti/1p3/login/{slug}/", query)
        assert response.status_code == 302, detail(response)
        assert f"client_id={tool.client_id}" in urlsplit(response["Location"]).query
    slug = policy_for(first_tool).public_id
    wrong_issuer = client.get(f"/lti/1p3/login/{slug}/", {**query, "iss": "https://other.example"})
    assert wrong_issuer.status_code == 400
    other_client = {**query, "client_id": second_tool.client_id}
    assert client.get(f"/lti/1p3/login/{slug}/", other_client).status_code == 400
