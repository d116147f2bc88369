"""Deep linking requests through the provider's own launch endpoint: who may pick, what the
picker offers, and what the signed response says."""

from __future__ import annotations

import re

import jwt
import pytest

from lti_1p3_provider.core import claims as c
from lti_1p3_provider.core.deep_linking import (
    CLAIM_DL_SETTINGS,
    DeepLinkingSettings,
    LinkItem,
    is_teaching_role,
    response_claims,
)
from lti_1p3_provider.exceptions import InvalidClaim
from lti_1p3_provider.models import LaunchGate, LtiLaunch
from tests.helpers import COURSE, DROP, PROBLEM, UNPUBLISHED, error_detail, launch

pytestmark = pytest.mark.django_db
DEEP_LINK_URL = "http://testserver/lti/1p3/deep-link/"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
SEQUENCE = "block-v1:OpenedX+DemoX+2026+type@sequential+block@motion_quiz"


def dl_settings(**overrides):
    settings = {
        "deep_link_return_url": "https://platform.example/deep_links",
        "accept_types": ["ltiResourceLink"],
        "accept_presentation_document_targets": ["iframe"],
        "accept_multiple": True,
        "data": "opaque-csrf-token",
    }
    settings.update(overrides)
    return settings


def dl_launch(client, platform, roles=(INSTRUCTOR,), **settings):
    return launch(
        client,
        platform,
        target=DEEP_LINK_URL,
        **{
            c.CLAIM_MESSAGE_TYPE: c.DEEP_LINKING_REQUEST,
            c.CLAIM_RESOURCE_LINK: DROP,
            c.CLAIM_ROLES: list(roles),
            CLAIM_DL_SETTINGS: dl_settings(**settings),
        },
    )


def picker_url(client, platform, **settings) -> str:
    response = dl_launch(client, platform, **settings)
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def test_a_learner_cannot_open_the_picker(client, tool, platform):
    response = dl_launch(client, platform, roles=(LEARNER,))
    assert response.status_code == 403
    assert "Only teachers" in error_detail(response)
    assert not LtiLaunch.objects.exists()


@pytest.mark.parametrize(
    "role",
    [
        INSTRUCTOR,
        "http://purl.imsglobal.org/vocab/lis/v2/membership#ContentDeveloper",
        "http://purl.imsglobal.org/vocab/lis/v2/membership#TeachingAssistant",
        "http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant",
        "http://purl.imsglobal.org/vocab/lis/v2/membership#Administrator",
        "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator",
    ],
)
def test_teaching_roles_may_pick(role):
    assert is_teaching_role((LEARNER, role))


def test_learner_and_other_institution_roles_may_not_pick():
    assert not is_teaching_role((LEARNER,))
    assert not is_teaching_role(
        ("http://purl.imsglobal.org/vocab/lis/v2/institution/person#Instructor",)
    )


def test_the_picker_offers_the_gates_published_blocks_and_logs_nobody_in(client, tool, platform):
    url = picker_url(client, platform)
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert f'value="{PROBLEM}"' in text and f'value="{SEQUENCE}"' in text
    assert UNPUBLISHED not in text and "Draft lesson" not in text
    assert "graded, 4 points" in text  # the motion quiz: problems of 1, 2 and 1 points
    assert "_auth_user_id" not in client.session
    assert "frame-ancestors 'self' https://platform.example" in page["Content-Security-Policy"]
    assert (page["Cache-Control"], page["Referrer-Policy"]) == ("no-store", "same-origin")


def test_each_details_button_names_its_block_to_a_screen_reader(client, tool, platform):
    text = client.get(picker_url(client, platform)).content.decode()
    described = re.findall(r'class="details" aria-describedby="([^"]+)" data-title="([^"]+)"', text)
    assert len(described) == len(re.findall(r'name="usage_key"', text)) > 1
    for name_id, title in described:
        assert re.search(rf'<label for="[^"]+" id="{name_id}">{re.escape(title)}</label>', text)
    assert len({name_id for name_id, _title in described}) == len(described)


def test_a_gate_of_one_block_offers_that_block_only(client, tool, platform):
    LaunchGate.objects.filter(tool=tool).update(allowed_courses=[], allowed_keys=[PROBLEM])
    text = client.get(picker_url(client, platform)).content.decode()
    assert re.findall(r'name="usage_key" value="([^"]+)"', text) == [PROBLEM]
    assert "Speed and velocity" in text  # its unit is shown as context, not offered


def test_a_block_outside_the_gate_cannot_be_sent(client, tool, platform):
    url = picker_url(client, platform)
    LaunchGate.objects.filter(tool=tool).update(allowed_courses=[], allowed_keys=[PROBLEM])
    response = client.post(url, {"usage_key": [PROBLEM, SEQUENCE]})
    assert response.status_code == 403
    response = client.post(url, {"usage_key": [UNPUBLISHED]})
    assert response.status_code == 403


def test_the_response_is_signed_by_the_tool_key_and_echoes_data(client, tool, platform):
    response = client.post(picker_url(client, platform), {"usage_key": [PROBLEM, SEQUENCE]})
    text = response.content.decode()
    assert 'action="https://platform.example/deep_links"' in text
    token = re.search(r'name="JWT" value="([^"]+)"', text).group(1)
    header = jwt.get_unverified_header(token)
    from lti_1p3_provider.core.keys import public_jwk

    assert header["kid"] == public_jwk(tool.tool_key.public_key)["kid"]
    body = jwt.decode(
        token,
        tool.tool_key.public_key,
        algorithms=["RS256"],
        audience=platform.issuer,
        issuer=platform.client_id,
    )
    assert body[c.CLAIM_MESSAGE_TYPE] == "LtiDeepLinkingResponse"
    assert body[c.CLAIM_DEPLOYMENT_ID] == platform.deployment_id
    assert body["https://purl.imsglobal.org/spec/lti-dl/claim/data"] == "opaque-csrf-token"
    assert body["nonce"] and body["exp"] > body["iat"]
    items = body["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"]
    assert [i["url"] for i in items] == [
        f"http://testserver/lti/1p3/launch/{COURSE}/{PROBLEM}",
        f"http://testserver/lti/1p3/launch/{COURSE}/{SEQUENCE}",
    ]
    assert items[1]["lineItem"] == {
        "scoreMaximum": 4.0, "label": "Quiz: Motion", "resourceId": SEQUENCE, "tag": SEQUENCE,
        "submissionReview": {"reviewableStatus": ["InProgress", "Completed"]},
    }  # fmt: skip


def test_accept_lineitem_false_sends_links_without_line_items(client, tool, platform):
    response = client.post(
        picker_url(client, platform, accept_lineitem=False), {"usage_key": [PROBLEM]}
    )
    token = re.search(r'name="JWT" value="([^"]+)"', response.content.decode()).group(1)
    items = jwt.decode(token, options={"verify_signature": False})[
        "https://purl.imsglobal.org/spec/lti-dl/claim/content_items"
    ]
    assert "lineItem" not in items[0]


def test_a_platform_that_takes_no_links_gets_a_clear_page(client, tool, platform):
    response = dl_launch(client, platform, accept_types=["file", "html"])
    assert response.status_code == 400
    assert "only sends LTI links" in error_detail(response)


@pytest.mark.parametrize(
    "settings",
    [
        {"deep_link_return_url": "javascript:alert(1)"},
        {"deep_link_return_url": None},
        {"accept_multiple": "yes"},
        {"accept_types": "ltiResourceLink"},
        {"data": "x" * 5000},
    ],
)
def test_malformed_settings_are_refused(client, tool, platform, settings):
    response = dl_launch(client, platform, **settings)
    assert response.status_code == 403
    assert "not valid" in error_detail(response)


def test_an_expired_or_unknown_picker_is_refused(client, tool, platform):
    assert client.get("/lti/1p3/deep-link/not-a-session/").status_code == 410
    url = picker_url(client, platform)
    assert client.post(url, {"cancel": "1"}).status_code == 200
    assert client.get(url).status_code == 410


def test_preview_renders_allowed_blocks_only(client, tool, platform):
    url = picker_url(client, platform)
    preview = client.get(f"{url}preview/{PROBLEM}/")
    assert preview.status_code == 200
    assert b"A cyclist rides 30 km" in preview.content and b"<form" not in preview.content
    assert preview["Referrer-Policy"] == "same-origin"  # its URL holds the picker's id
    assert client.get(f"{url}preview/{UNPUBLISHED}/").status_code == 403


def test_search_marks_non_matching_blocks_hidden(client, tool, platform):
    url = picker_url(client, platform)
    text = client.get(url, {"q": "velocity"}).content.decode()
    visible = re.findall(r'<li data-path="([^"]+)">', text)
    assert any(path.endswith("Velocity") for path in visible)
    assert not any("Energy" in path for path in visible)


def test_response_claims_keep_one_item_when_the_platform_takes_one():
    settings = DeepLinkingSettings.from_claim(dl_settings(accept_multiple=False))
    items = [LinkItem(url=f"https://lms.example/{i}", title=str(i)) for i in range(3)]
    claims = response_claims(
        client_id="c", issuer="https://p", deployment_id="d", settings=settings, items=items
    )
    assert len(claims["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"]) == 1


def test_settings_defaults_follow_the_spec():
    settings = DeepLinkingSettings.from_claim(
        {"deep_link_return_url": "https://p/return", "accept_types": ["ltiResourceLink"]}
    )
    assert settings.accept_multiple and settings.accept_lineitem and settings.data is None
    with pytest.raises(InvalidClaim):
        DeepLinkingSettings.from_claim({"deep_link_return_url": "https://p/return"})
