"""Account linking: a first launch may use the learner's existing account (ADR 0014).

The flow, its single-use choice and the sign-in it needs; the accounts never linked and the
admin's side are in test_account_linking_refusals.py.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client
from opaque_keys.edx.keys import UsageKey

from lti_1p3_provider.edxapp.sandbox.backend import find_block, submit_answer
from lti_1p3_provider.edxapp.sandbox.models import SandboxEnrollment
from lti_1p3_provider.models import AccountOrigin, LtiLaunch, LtiProfile, ScorePassback, policy_for
from tests.account_linking import (
    CONTENT_PATH,
    SAME_SITE,
    choice_urls,
    frame_user_id,
    sign_in,
)
from tests.helpers import PROBLEM, error_detail, launch

pytestmark = pytest.mark.django_db


def test_without_linking_a_first_launch_goes_to_the_content(client, platform, tool):
    response = launch(client, platform)
    assert response.status_code == 302
    assert response["Location"] == CONTENT_PATH
    assert LtiProfile.objects.get().account_origin == AccountOrigin.CREATED


def test_a_first_launch_offers_the_choice_before_login_enrollment_or_grant(
    client, platform, linking
):
    response = launch(client, platform)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Use my account" in html
    assert "Continue with a new account" in html
    assert "frame-ancestors 'self' https://platform.example" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "no-store"
    assert frame_user_id(client) is None
    assert not SandboxEnrollment.objects.exists()
    assert client.get(CONTENT_PATH).status_code == 403
    assert LtiProfile.objects.get().account_origin == AccountOrigin.PENDING
    assert LtiLaunch.objects.count() == 1


def test_continuing_with_a_new_account_opens_the_content_and_decides_for_good(
    client, platform, linking
):
    action, _ = choice_urls(launch(client, platform))
    page = client.post(action, {"action": "new"}, **SAME_SITE)
    assert page.status_code == 200
    assert f'"next": "{CONTENT_PATH}"' in page.content.decode()  # the session check page
    assert client.get(CONTENT_PATH).status_code == 200
    profile = LtiProfile.objects.get()
    assert profile.account_origin == AccountOrigin.CREATED
    assert frame_user_id(client) == str(profile.user_id)
    assert SandboxEnrollment.objects.filter(user=profile.user).count() == 1
    # The next launch goes straight in.
    again = launch(Client(), platform)
    assert again.status_code == 302
    assert again["Location"] == CONTENT_PATH


def test_linking_moves_the_identity_and_its_launch_to_the_learners_account(
    client, window, platform, linking, dana
):
    action, link_url = choice_urls(launch(client, platform, name="Dana at School"))
    made = LtiProfile.objects.get().user
    sign_in(window, link_url, "dana")
    confirm = window.get(link_url)
    assert confirm.status_code == 200
    assert "You are signed in as <strong>dana</strong>" in confirm.content.decode()
    # Who is being linked, as the platform named them: a learner sent someone else's link sees
    # a stranger's name before confirming.
    assert "the person linking is <strong>Dana at School</strong>" in confirm.content.decode()
    assert confirm["X-Frame-Options"] == "DENY"  # a confirm button must not be framed
    linked = window.post(link_url, {"action": "link"})
    assert linked.status_code == 200
    assert "Your account is linked" in linked.content.decode()

    # A reload of the window (or a second click) says the same, and links nothing twice.
    assert "Your account is linked" in window.post(link_url, {"action": "link"}).content.decode()
    profile = LtiProfile.objects.get()
    assert (profile.user_id, profile.account_origin) == (dana.pk, AccountOrigin.LINKED)
    assert LtiLaunch.objects.get().user_id == dana.pk
    made.refresh_from_db()
    assert not made.is_active

    # Back in the frame: Continue signs in as Dana, enrolls her and opens the content.
    page = client.post(action, {"action": "continue"}, **SAME_SITE)
    assert page.status_code == 200
    assert frame_user_id(client) == str(dana.pk)
    assert client.get(CONTENT_PATH).status_code == 200
    assert SandboxEnrollment.objects.filter(user=dana).count() == 1

    # Later launches open Dana's account; the platform's name does not replace hers.
    again = launch(Client(), platform, name="Dana Renamed By The Platform")
    assert again["Location"] == CONTENT_PATH
    dana.refresh_from_db()
    assert dana.first_name == "Dana (own name)"
    assert LtiProfile.objects.get().name == "Dana Renamed By The Platform"


def test_a_linked_learners_score_goes_back_through_her_launch(
    client, window, platform, linking, dana
):
    action, link_url = choice_urls(launch(client, platform))
    sign_in(window, link_url, "dana")
    window.post(link_url, {"action": "link"})
    client.post(action, {"action": "continue"}, **SAME_SITE)
    submit_answer(dana, find_block(UsageKey.from_string(PROBLEM)), "20 km/h")
    row = ScorePassback.objects.get()
    assert (row.user_id, row.launch_id) == (dana.pk, LtiLaunch.objects.get().pk)
    assert row.lti_user_id == LtiProfile.objects.get().sub
    assert row.score_given == row.score_maximum


def test_continue_before_linking_shows_the_choice_again(client, platform, linking):
    action, _ = choice_urls(launch(client, platform))
    page = client.post(action, {"action": "continue"}, **SAME_SITE)
    assert page.status_code == 200
    assert "Your account is not linked yet" in page.content.decode()
    assert frame_user_id(client) is None
    assert LtiProfile.objects.get().account_origin == AccountOrigin.PENDING


def test_a_choice_works_once(client, platform, linking):
    action, _ = choice_urls(launch(client, platform))
    assert client.post(action, {"action": "new"}, **SAME_SITE).status_code == 200
    again = client.post(action, {"action": "new"}, **SAME_SITE)
    assert again.status_code == 410
    assert "expired or was already made" in error_detail(again)


def test_an_expired_choice_is_refused(client, platform, linking, settings):
    settings.LTI_1P3_PROVIDER_ACCOUNT_CHOICE_TTL_SEC = 0
    action, link_url = choice_urls(launch(client, platform))
    assert client.post(action, {"action": "new"}, **SAME_SITE).status_code == 410
    assert Client().get(link_url).status_code == 410
    assert LtiProfile.objects.get().account_origin == AccountOrigin.PENDING


def test_a_choice_posted_by_another_site_changes_nothing(client, platform, linking):
    action, _ = choice_urls(launch(client, platform))
    refused = client.post(action, {"action": "new"}, HTTP_ORIGIN="https://evil.example")
    assert refused.status_code == 403
    assert LtiProfile.objects.get().account_origin == AccountOrigin.PENDING
    assert frame_user_id(client) is None


def test_the_link_confirmation_needs_the_csrf_token(client, platform, linking, dana):
    _, link_url = choice_urls(launch(client, platform))
    window = Client(enforce_csrf_checks=True)
    sign_in(window, link_url, "dana")
    assert window.post(link_url, {"action": "link"}).status_code == 403
    assert LtiProfile.objects.get().account_origin == AccountOrigin.PENDING
    token = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', window.get(link_url).content.decode()
    )
    assert token
    linked = window.post(link_url, {"action": "link", "csrfmiddlewaretoken": token.group(1)})
    assert linked.status_code == 200
    assert LtiProfile.objects.get().account_origin == AccountOrigin.LINKED


def test_a_session_opened_by_a_launch_must_sign_in_afresh(client, platform, linking, dana):
    # The window holds another launch's session (a learner who kept a new account).
    window = Client()
    action, _ = choice_urls(launch(window, platform, sub="gina"))
    window.post(action, {"action": "new"}, **SAME_SITE)
    assert frame_user_id(window) is not None
    _, link_url = choice_urls(launch(client, platform, sub="hal"))
    response = window.get(link_url)
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == "/sandbox/login/"
    assert frame_user_id(window) is None


def test_signing_in_with_another_account_from_the_confirmation(
    client, window, platform, linking, dana
):
    _, link_url = choice_urls(launch(client, platform))
    sign_in(window, link_url, "dana")
    switched = window.post(link_url, {"action": "switch"})
    assert switched.status_code == 302
    assert urlsplit(switched["Location"]).path == "/sandbox/login/"
    assert frame_user_id(window) is None
    assert LtiProfile.objects.get().account_origin == AccountOrigin.PENDING


def test_turning_linking_off_settles_a_pending_identity_for_good(client, platform, linking):
    launch(client, platform)  # the choice, left unanswered
    assert LtiProfile.objects.get().account_origin == AccountOrigin.PENDING
    policy = policy_for(linking)
    policy.account_linking = False
    policy.save()
    assert launch(Client(), platform)["Location"] == CONTENT_PATH
    assert LtiProfile.objects.get().account_origin == AccountOrigin.CREATED
    # Offered again later, the learner who has worked in that account is not asked again.
    policy.account_linking = True
    policy.save()
    assert launch(Client(), platform)["Location"] == CONTENT_PATH
