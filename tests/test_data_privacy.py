"""Data Privacy Launch: the learner sees what this site holds about them and asks for removal."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from lti_1p3_provider.core import claims as c
from lti_1p3_provider.models import DataRemovalRequest, LtiProfile
from tests.helpers import DROP, HOST, launch

pytestmark = pytest.mark.django_db
PRIVACY = f"http://{HOST}/lti/1p3/privacy/"
ACTION = re.compile(r'<form method="post" action="([^"]+)"')


def privacy_launch(client, platform, message_type="DataPrivacyLaunchRequest", **overrides):
    return launch(
        client,
        platform,
        PRIVACY,
        **{
            c.CLAIM_MESSAGE_TYPE: message_type,
            c.CLAIM_RESOURCE_LINK: DROP,
            c.CLAIM_AGS_ENDPOINT: DROP,
            c.CLAIM_CONTEXT: DROP,
            **overrides,
        },
    )


@pytest.mark.parametrize("message_type", sorted(c.DATA_PRIVACY_REQUESTS))
def test_the_learner_sees_what_is_held_and_asks_once_for_removal(
    client, platform, tool, message_type
):
    assert launch(client, platform).status_code == 302  # the learner opened content once
    page = privacy_launch(Client(), platform, message_type)
    assert page.status_code == 200, page.content[:500]
    text = html.unescape(page.content.decode())
    for shown in ("Ada Lovelace", "ada@platform.example", "learner-1", "1 time", "Physics 101"):
        assert shown in text
    assert platform.issuer.split("//")[1] in page["Content-Security-Policy"]
    action = ACTION.search(text).group(1)
    origin = {"HTTP_ORIGIN": f"http://{HOST}"}
    recorded = client.post(action, **origin)
    assert recorded.status_code == 200 and "recorded" in recorded.content.decode()
    removal = DataRemovalRequest.objects.get()
    assert removal.profile.sub == "learner-1" and removal.handled_at is None
    assert removal.deployment_id == platform.deployment_id
    assert client.post(action, **origin).status_code == 403  # once
    again = privacy_launch(Client(), platform, message_type)
    assert "already-requested" in again.content.decode()
    assert DataRemovalRequest.objects.count() == 1


def test_the_page_says_how_long_launch_records_are_kept(client, platform, tool, settings):
    assert launch(client, platform).status_code == 302
    text = html.unescape(privacy_launch(Client(), platform).content.decode())
    assert "administrators have set no time limit" in text
    settings.LTI_1P3_PROVIDER_LAUNCH_RETENTION_DAYS = 180
    text = html.unescape(privacy_launch(Client(), platform).content.decode())
    assert "kept for 180 days" in text


def test_a_request_posted_by_another_site_is_refused(client, platform, tool):
    launch(client, platform)
    action = ACTION.search(privacy_launch(Client(), platform).content.decode()).group(1)
    assert client.post(action).status_code == 403  # no Origin
    assert client.post(action, HTTP_ORIGIN="https://evil.example").status_code == 403
    assert not DataRemovalRequest.objects.exists()


def test_a_learner_with_no_data_is_told_so(platform, tool):
    page = privacy_launch(Client(), platform, sub="never-launched")
    assert page.status_code == 200
    assert 'id="nothing-held"' in page.content.decode()
    assert "<form" not in page.content.decode()


def test_a_privacy_launch_from_an_unknown_deployment_is_refused(platform, tool):
    page = privacy_launch(Client(), platform, **{c.CLAIM_DEPLOYMENT_ID: "dep-unknown"})
    assert page.status_code == 403
    assert "Ada Lovelace" not in page.content.decode()


def test_the_privacy_url_opened_directly_explains_itself(client):
    response = client.get("/lti/1p3/privacy/")
    assert response.status_code == 200
    assert "data privacy link" in response.content.decode()


def test_the_admin_action_removes_the_data(admin_client, client, platform, tool):
    launch(client, platform)
    action = ACTION.search(privacy_launch(Client(), platform).content.decode()).group(1)
    client.post(action, HTTP_ORIGIN=f"http://{HOST}")
    removal = DataRemovalRequest.objects.get()
    response = admin_client.post(
        "/admin/lti_1p3_provider/dataremovalrequest/",
        {"action": "remove_data", "_selected_action": [removal.pk]},
        follow=True,
    )
    assert "Removed the LTI data of 1 learner" in response.content.decode()
    profile = LtiProfile.objects.get()
    assert profile.is_retired and (profile.name, profile.email) == ("", "")
    removal.refresh_from_db()
    assert removal.handled_at is not None
