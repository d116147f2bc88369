"""Onboarding: Canvas JSON configuration (validated against Canvas's field table) and the admin's
platform configuration page (the self-check is in test_self_check.py)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.helpers import COURSE, PROBLEM

pytestmark = pytest.mark.django_db

# From Canvas's "Configuring" page (shared/seeds/002): required fields and allowed values.
CANVAS_REQUIRED = ("title", "description", "oidc_initiation_url", "target_link_uri")
CANVAS_SCOPES = {
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
    "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/score",
    "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
    "https://canvas.instructure.com/lti/public_jwk/scope/update",
}
PRIVACY_LEVELS = {"anonymous", "public", "name_only", "email_only"}
MESSAGE_TYPES = {"LtiResourceLinkRequest", "LtiDeepLinkingRequest"}
TOP_FIELDS = {
    "title",
    "description",
    "oidc_initiation_url",
    "oidc_initiation_urls",
    "target_link_uri",
    "scopes",
    "extensions",
    "public_jwk",
    "public_jwk_url",
    "custom_fields",
}
EXTENSION_FIELDS = {"domain", "tool_id", "platform", "privacy_level", "settings"}
SETTINGS_FIELDS = {
    "custom_fields",
    "icon_url",
    "labels",
    "placements",
    "required_permissions",
    "selection_height",
    "selection_width",
    "text",
}
PLACEMENT_FIELDS = {
    "placement",
    "custom_fields",
    "enabled",
    "icon_url",
    "labels",
    "message_type",
    "required_permissions",
    "selection_height",
    "selection_width",
    "text",
    "target_link_uri",
    "default",
    "windowTarget",
    "use_tray",
    "accept_media_types",
    "icon_svg_path_64",
}


def kid(key) -> str:
    """A tool key's public kid (its Canvas configuration URL's slug)."""
    from lti_1p3_provider.services.tool_keys import tool_key_jwk

    return tool_key_jwk(key)["kid"]


def validate_canvas_configuration(config: dict) -> None:
    """Fail unless the JSON fits Canvas's documented developer key configuration."""
    assert set(config) <= TOP_FIELDS, set(config) - TOP_FIELDS
    for field in CANVAS_REQUIRED:
        assert isinstance(config.get(field), str) and config[field], field
    assert config.get("public_jwk") or config.get("public_jwk_url")
    assert set(config.get("scopes", [])) <= CANVAS_SCOPES
    for url_field in ("oidc_initiation_url", "target_link_uri", "public_jwk_url"):
        assert urlsplit(config[url_field]).scheme in ("http", "https")
    for extension in config["extensions"]:
        assert set(extension) <= EXTENSION_FIELDS
        assert extension["privacy_level"] in PRIVACY_LEVELS
        assert extension["platform"] == "canvas.instructure.com"
        assert set(extension["settings"]) <= SETTINGS_FIELDS
        for placement in extension["settings"]["placements"]:
            assert set(placement) <= PLACEMENT_FIELDS, set(placement) - PLACEMENT_FIELDS
            assert placement["placement"]
            assert placement.get("message_type", "LtiResourceLinkRequest") in MESSAGE_TYPES


def test_validator_rejects_bad_configurations():
    good = {
        "title": "t",
        "description": "d",
        "oidc_initiation_url": "https://x/l",
        "target_link_uri": "https://x/t",
        "public_jwk_url": "https://x/j",
        "scopes": [],
        "extensions": [],
    }
    validate_canvas_configuration(good)
    for bad in (
        {**good, "title": ""},
        {**good, "scopes": ["https://evil/scope"]},
        {**good, "public_jwk_url": None},
        {
            **good,
            "extensions": [
                {
                    "privacy_level": "everything",
                    "platform": "canvas.instructure.com",
                    "settings": {"placements": []},
                }
            ],
        },
        {**good, "unknown_field": 1},
    ):
        with pytest.raises(AssertionError):
            validate_canvas_configuration(bad)


def test_registration_canvas_configuration(client, tool):
    response = client.get(f"/lti/1p3/canvas/{tool.policy.public_id}/config.json")
    assert response.status_code == 200
    config = response.json()
    validate_canvas_configuration(config)
    assert config["title"] == "Test platform"
    assert config["oidc_initiation_url"] == "http://testserver/lti/1p3/login/"
    assert config["public_jwk_url"] == "http://testserver/lti/1p3/pub/jwks/"
    assert "https://purl.imsglobal.org/spec/lti-ags/scope/score" in config["scopes"]
    [extension] = config["extensions"]
    assert extension["domain"] == "testserver"
    placements = {p["placement"]: p for p in extension["settings"]["placements"]}
    assert set(placements) == {
        "course_navigation",
        "link_selection",
        "assignment_selection",
        "editor_button",
    }
    for name in ("link_selection", "assignment_selection", "editor_button"):
        assert placements[name]["message_type"] == "LtiDeepLinkingRequest"
        assert placements[name]["target_link_uri"] == "http://testserver/lti/1p3/deep-link/"
    # Course navigation opens the course home page (the redirect URI names no content).
    assert placements["course_navigation"]["message_type"] == "LtiResourceLinkRequest"
    assert placements["course_navigation"]["target_link_uri"] == "http://testserver/lti/1p3/launch/"


def test_canvas_configuration_with_a_content_target(client, tool):
    target = f"http://testserver/lti/1p3/launch/{COURSE}/{PROBLEM}"
    config = client.get(
        f"/lti/1p3/canvas/{tool.policy.public_id}/config.json", {"target_link_uri": target}
    ).json()
    validate_canvas_configuration(config)
    assert config["target_link_uri"] == target
    evil = client.get(
        f"/lti/1p3/canvas/{tool.policy.public_id}/config.json",
        {"target_link_uri": "https://evil.example/x"},
    )
    assert evil.status_code == 400


def test_tool_key_canvas_configuration_before_registration(client, tool_key):
    config = client.get(
        f"/lti/1p3/canvas/key/{kid(tool_key)}/config.json", {"title": "My Open edX"}
    ).json()
    validate_canvas_configuration(config)
    assert config["title"] == "My Open edX"


def test_canvas_configuration_unknown_ids_are_404(client, tool):
    assert client.get("/lti/1p3/canvas/999/config.json").status_code == 404
    assert client.get("/lti/1p3/canvas/key/999/config.json").status_code == 404


def test_platform_configuration_page(admin_client, tool):
    page = admin_client.get(f"/admin/lti1p3_tool_config/ltitool/{tool.pk}/platform-config/")
    assert page.status_code == 200
    text = page.content.decode()
    for value in (
        "http://testserver/lti/1p3/login/",
        "http://testserver/lti/1p3/launch/",
        "http://testserver/lti/1p3/pub/jwks/",
        "http://testserver/lti/1p3/deep-link/",
        f"http://testserver/lti/1p3/canvas/{tool.policy.public_id}/config.json",
        "-----BEGIN PUBLIC KEY-----",
        "&quot;kty&quot;: &quot;RSA&quot;",
    ):
        assert value in text, value
    assert "PRIVATE" not in text
    for platform in ("Canvas", "Moodle", "Brightspace", "Blackboard"):
        assert f"<h2>{platform}</h2>" in text
    assert text.count('class="copy"') >= 7
    change = admin_client.get(f"/admin/lti1p3_tool_config/ltitool/{tool.pk}/change/")
    assert (
        f"/admin/lti1p3_tool_config/ltitool/{tool.pk}/platform-config/" in change.content.decode()
    )


def test_platform_configuration_page_needs_staff(client, tool):
    response = client.get(f"/admin/lti1p3_tool_config/ltitool/{tool.pk}/platform-config/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_tool_key_page_shows_its_canvas_url(admin_client, tool_key):
    text = admin_client.get(
        f"/admin/lti1p3_tool_config/ltitoolkey/{tool_key.pk}/change/"
    ).content.decode()
    assert f"http://testserver/lti/1p3/canvas/key/{kid(tool_key)}/config.json" in text
