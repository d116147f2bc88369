"""A valid launch: identity, enrollment, login, grant, record, then the content renders."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

from lti_1p3_provider.core import claims as c
from lti_1p3_provider.edxapp.sandbox.models import SandboxEnrollment
from lti_1p3_provider.models import LtiLaunch, LtiProfile
from tests.helpers import COURSE, PROBLEM, launch, random_sub

pytestmark = pytest.mark.django_db
CONTENT_PATH = f"/lti/1p3/launch/{COURSE}/{PROBLEM}"


def test_valid_launch_redirects_to_content_and_renders_it(client, platform, tool):
    response = launch(client, platform)
    assert response.status_code == 302
    assert response["Location"] == CONTENT_PATH
    page = client.get(CONTENT_PATH)
    assert page.status_code == 200
    assert "Average speed" in page.content.decode()
    assert "A cyclist rides 30 km" in page.content.decode()
    # The content lives in the platform's iframe: no X-Frame-Options DENY.
    assert "X-Frame-Options" not in page.headers


def test_launch_records_everything_grade_passback_needs(client, platform, tool):
    launch(client, platform)
    record = LtiLaunch.objects.get()
    assert record.tool == tool
    assert record.deployment_id == "dep-1"
    assert str(record.course_key) == COURSE
    assert str(record.usage_key) == PROBLEM
    assert record.resource_link_id == "rl-1"
    assert record.context_id == "ctx-1"
    assert record.context_title == "Physics 101"
    assert record.roles == ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"]
    assert record.lineitem_url == "https://platform.example/ags/lineitems/1"
    assert record.ags_claim["lineitems"] == "https://platform.example/ags/lineitems"
    assert record.ags_scopes == [c.SCOPE_SCORE, c.SCOPE_LINEITEM]
    assert record.expires_at is None


def test_launch_without_ags_claim_records_none(client, platform, tool):
    from tests.helpers import DROP

    launch(client, platform, **{c.CLAIM_AGS_ENDPOINT: DROP})
    record = LtiLaunch.objects.get()
    assert record.ags_claim is None
    assert record.lineitem_url == ""
    assert list(LtiLaunch.objects.with_ags()) == []


def test_first_launch_creates_user_enrolls_and_logs_in(client, platform, tool):
    launch(client, platform)
    profile = LtiProfile.objects.get()
    user = profile.user
    assert profile.sub == "learner-1"
    assert profile.name == "Ada Lovelace"
    assert profile.email == "ada@platform.example"
    assert user.username.startswith("lti_") and len(user.username) <= 30
    assert user.email == f"{user.username}@lti.invalid"
    assert not user.has_usable_password()
    assert user.first_name == "Ada Lovelace"
    assert SandboxEnrollment.objects.filter(user=user, course_key=COURSE).exists()
    assert client.session["_auth_user_id"] == str(user.pk)


def test_later_launch_reuses_the_user_and_refreshes_claims(client, platform, tool):
    launch(client, platform)
    launch(client, platform, name="Ada King", email="ada.king@platform.example")
    assert get_user_model().objects.count() == 1
    profile = LtiProfile.objects.get()
    assert (profile.name, profile.email) == ("Ada King", "ada.king@platform.example")
    assert profile.user.first_name == "Ada King"
    assert LtiLaunch.objects.count() == 2


def test_claims_the_platform_omits_leave_stored_values(client, platform, tool):
    from tests.helpers import DROP

    launch(client, platform)
    launch(client, platform, name=DROP, email=DROP)
    profile = LtiProfile.objects.get()
    assert (profile.name, profile.email) == ("Ada Lovelace", "ada@platform.example")


def test_same_issuer_and_sub_through_another_registration_is_another_user(
    client, platform, tool, tool_key
):
    other = LtiTool.objects.create(
        title="Same issuer, other client",
        issuer=platform.issuer,
        client_id="client-2",
        auth_login_url="https://platform.example/auth",
        auth_token_url="https://p/t",
        key_set=tool.key_set,
        tool_key=tool_key,
        deployment_ids=json.dumps(["dep-1"]),
    )
    from lti_1p3_provider.models import LaunchGate

    LaunchGate.objects.create(tool=other, allow_all_content=True)
    launch(client, platform)
    client.logout()
    platform.client_id = "client-2"
    try:
        launch(client, platform)
    finally:
        platform.client_id = "client-1"
    profiles = LtiProfile.objects.order_by("pk")
    assert [p.tool_id for p in profiles] == [tool.pk, other.pk]
    assert profiles[0].user_id != profiles[1].user_id


def test_identity_is_never_matched_by_email(client, platform, tool):
    existing = get_user_model().objects.create_user("staff", email="ada@platform.example")
    launch(client, platform)
    assert LtiProfile.objects.get().user_id != existing.pk


def test_two_learners_get_two_users(client, platform, tool):
    launch(client, platform, sub=random_sub())
    client.logout()
    launch(client, platform, sub=random_sub())
    assert get_user_model().objects.count() == 2
    usernames = set(get_user_model().objects.values_list("username", flat=True))
    assert len(usernames) == 2


def test_retiring_a_profile_drops_platform_pii(client, platform, tool):
    launch(client, platform)
    profile = LtiProfile.objects.get()
    profile.retire()
    profile.refresh_from_db()
    assert (profile.name, profile.email) == ("", "")
    # The platform's user id goes too: a later launch with it must not open the retired account.
    assert profile.sub != "learner-1" and profile.is_retired
