"""Account linking: a first launch may use the learner's existing account (ADR 0014).

Two clients stand for the learner's two browsing contexts: ``client`` is the platform's frame
(the launch, the choice page, the content) and ``window`` the first-party window where the
learner signs in with a password and confirms.
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from opaque_keys.edx.keys import UsageKey

from lti_1p3_provider.edxapp.sandbox.backend import find_block, submit_answer
from lti_1p3_provider.edxapp.sandbox.models import SandboxEnrollment
from lti_1p3_provider.models import AccountOrigin, LtiLaunch, LtiProfile, ScorePassback, policy_for
from tests.helpers import COURSE, PROBLEM, error_detail, launch

pytestmark = pytest.mark.django_db
CONTENT_PATH = f"/lti/1p3/launch/{COURSE}/{PROBLEM}"
SAME_SITE = {"HTTP_ORIGIN": "http://testserver"}
PASSWORD = "correct horse battery staple"


@pytest.fixture
def linking(tool):
    policy = policy_for(tool)
    policy.account_linking = True
    policy.save()
    return tool


@pytest.fixture
def dana(db):
    """A learner's own Open edX account, with a password and a name of her choosing."""
    return get_user_model().objects.create_user(
        "dana", "dana@example.edu", PASSWORD, first_name="Dana (own name)"
    )


@pytest.fixture
def window() -> Client:
    return Client()


def _choice_urls(response) -> tuple[str, str]:
    """The choice page's form action and its "Use my account" link."""
    html = response.content.decode()
    action = re.search(r'<form id="new-account" method="post" action="([^"]+)"', html)
    link = re.search(r'id="use-account" href="([^"]+)"', html)
    assert action and link, html[:2000]
    return unescape(action.group(1)), unescape(link.group(1))


def _sign_in(window: Client, link_url: str, username: str) -> None:
    """Open the link in the window: the LMS's sign-in page, then back to the link."""
    response = window.get(link_url)
    assert response.status_code == 302
    login_url = response["Location"]
    assert urlsplit(login_url).path == "/sandbox/login/"
    form = window.get(login_url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    assert token, form[:1000]
    signed_in = window.post(
        login_url,
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
    )
    assert signed_in.status_code == 302, signed_in.content[:1000]
    assert signed_in["Location"] == link_url


def _frame_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


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
    assert _frame_user_id(client) is None
    assert not SandboxEnrollment.objects.exists()
    assert client.get(CONTENT_PATH).status_code == 403
    assert LtiProfile.objects.get().account_origin == AccountOrigin.PENDING
    assert LtiLaunch.objects.count() == 1


def test_continuing_with_a_new_account_opens_the_content_and_decides_for_good(
    client, platform, linking
):
    action, _ = _choice_urls(launch(client, platform))
    page = client.post(action, {"action": "new"}, **SAME_SITE)
    assert page.status_code == 200
    assert f'"next": "{CONTENT_PATH}"' in page.content.decode()  # the session check page
    assert client.get(CONTENT_PATH).status_code == 200
    profile = LtiProfile.objects.get()
    assert profile.account_origin == AccountOrigin.CREATED
    assert _frame_user_id(client) == str(profile.user_id)
    assert SandboxEnrollment.objects.filter(user=profile.user).count() == 1
    # The next launch goes straight in.
    again = launch(Client(), platform)
    assert again.status_code == 302
    assert again["Location"] == CONTENT_PATH


def test_linking_moves_the_identity_and_its_launch_to_the_learners_account(
    client, window, platform, linking, dana
):
    action, link_url = _choice_urls(launch(client, platform, name="Dana at School"))
    made = LtiProfile.objects.get().user
    _sign_in(window, link_url, "dana")
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
    assert _frame_user_id(client) == str(dana.pk)
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
    action, link_url = _choice_urls(launch(client, platform))
    _sign_in(window, link_url, "dana")
    window.post(link_url, {"action": "link"})
    client.post(action, {"action": "continue"}, **SAME_SITE)
    submit_answer(dana, find_block(UsageKey.from_string(PROBLEM)), "20 km/h")
    row = ScorePassback.objects.get()
    assert (row.user_id, row.launch_id) == (dana.pk, LtiLaunch.objects.get().pk)
    assert row.lti_user_id == LtiProfile.objects.get().sub
    assert row.score_given == row.score_maximum


def test_continue_before_linking_shows_the_choice_again(client, platform, linking):
    action, _ = _choice_urls(launch(client, platform))
    page = client.post(action, {"action": "continue"}, **SAME_SITE)
    assert page.status_code == 200
    assert "Your account is not linked yet" in page.content.decode()
    assert _frame_user_id(client) is None
    assert LtiProfile.objects.get().account_origin == AccountOrigin.PENDING


def test_a_choice_works_once(client, platform, linking):
    action, _ = _choice_urls(launch(client, platform))
    assert client.post(action, {"action": "new"}, **SAME_SITE).status_code == 200
    again = client.post(action, {"action": "new"}, **SAME_SITE)
    assert again.status_code == 410
    assert "expired or was already made" in error_detail(again)


def test_an_expired_choice_is_refused(client, platform, linking, settings):
    settings.LTI_1P3_PROVIDER_ACCOUNT_CHOICE_TTL_SEC = 0
    action, link_url = _choice_urls(launch(client, platform))
    assert client.post(action, {"action": "new"}, **SAME_SITE).status_code == 410
    assert Client().get(link_url).status_code == 410
    assert LtiProfile.objects.get().account_origin == AccountOrigin.PENDING


def test_a_choice_posted_by_another_site_changes_nothing(client, platform, linking):
    action, _ = _choice_urls(launch(client, platform))
    refused = client.post(action, {"action": "new"}, HTTP_ORIGIN="https://evil.example")
    assert refused.status_code == 403
    assert LtiProfile.objects.get().account_origin == AccountOrigin.PENDING
    assert _frame_user_id(client) is None


@pytest.mark.parametrize("flag", ["is_staff", "is_superuser"])
def test_staff_accounts_are_never_linked(client, window, platform, linking, dana, flag):
    setattr(dana, flag, True)
    dana.save()
    _, link_url = _choice_urls(launch(client, platform))
    _sign_in(window, link_url, "dana")
    refused = window.get(link_url)
    assert refused.status_code == 403
    assert "Staff accounts cannot be linked" in error_detail(refused)
    assert window.post(link_url, {"action": "link"}).status_code == 403
    assert LtiProfile.objects.get().account_origin == AccountOrigin.PENDING


def test_an_account_made_by_a_launch_is_not_linked(client, window, platform, linking):
    # Erin kept the account her first launch made, then gave it a password somehow.
    action, _ = _choice_urls(launch(client, platform, sub="erin"))
    client.post(action, {"action": "new"}, **SAME_SITE)
    erin = LtiProfile.objects.get(sub="erin").user
    erin.set_password(PASSWORD)
    erin.save()
    _, link_url = _choice_urls(launch(Client(), platform, sub="frank"))
    _sign_in(window, link_url, erin.username)
    refused = window.post(link_url, {"action": "link"})
    assert refused.status_code == 403
    assert "made by an LTI launch" in error_detail(refused)
    assert LtiProfile.objects.get(sub="frank").account_origin == AccountOrigin.PENDING


def test_one_account_is_linked_to_one_person_of_a_platform(client, platform, linking, dana):
    _first_action, first_link = _choice_urls(launch(client, platform, sub="dana-1"))
    first_window = Client()
    _sign_in(first_window, first_link, "dana")
    first_window.post(first_link, {"action": "link"})
    _, second_link = _choice_urls(launch(Client(), platform, sub="dana-2"))
    second_window = Client()
    _sign_in(second_window, second_link, "dana")
    refused = second_window.post(second_link, {"action": "link"})
    assert refused.status_code == 403
    assert "already linked to another person" in error_detail(refused)
    assert LtiProfile.objects.get(sub="dana-2").account_origin == AccountOrigin.PENDING


def test_the_link_confirmation_needs_the_csrf_token(client, platform, linking, dana):
    _, link_url = _choice_urls(launch(client, platform))
    window = Client(enforce_csrf_checks=True)
    _sign_in(window, link_url, "dana")
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
    action, _ = _choice_urls(launch(window, platform, sub="gina"))
    window.post(action, {"action": "new"}, **SAME_SITE)
    assert _frame_user_id(window) is not None
    _, link_url = _choice_urls(launch(client, platform, sub="hal"))
    response = window.get(link_url)
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == "/sandbox/login/"
    assert _frame_user_id(window) is None


def test_signing_in_with_another_account_from_the_confirmation(
    client, window, platform, linking, dana
):
    _, link_url = _choice_urls(launch(client, platform))
    _sign_in(window, link_url, "dana")
    switched = window.post(link_url, {"action": "switch"})
    assert switched.status_code == 302
    assert urlsplit(switched["Location"]).path == "/sandbox/login/"
    assert _frame_user_id(window) is None
    assert LtiProfile.objects.get().account_origin == AccountOrigin.PENDING


def test_an_admin_unlinks_a_linked_identity(client, window, platform, linking, dana, admin_client):
    _action, link_url = _choice_urls(launch(client, platform))
    _sign_in(window, link_url, "dana")
    window.post(link_url, {"action": "link"})
    profile = LtiProfile.objects.get()
    response = admin_client.post(
        "/admin/lti_1p3_provider/ltiprofile/",
        {"action": "unlink_selected", "_selected_action": [profile.pk]},
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.account_origin == AccountOrigin.CREATED
    assert profile.user_id != dana.pk
    assert profile.user.is_active and profile.user.username.startswith("lti_")
    # Dana keeps her account and the launch she made with it; the next launch opens the new one.
    assert LtiLaunch.objects.get().user_id == dana.pk
    again = launch(Client(), platform)
    assert again["Location"] == CONTENT_PATH
    assert LtiLaunch.objects.order_by("-pk").first().user_id == profile.user_id


def test_a_removal_request_from_one_platform_keeps_the_linked_accounts_other_platforms(
    client, window, platform, linking, dana, admin_client
):
    from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

    from lti_1p3_provider.models import DataRemovalRequest

    _, link_url = _choice_urls(launch(client, platform))
    _sign_in(window, link_url, "dana")
    window.post(link_url, {"action": "link"})
    # Dana is also linked on another registration (another school's LMS).
    other = LtiTool.objects.create(
        title="Other LMS",
        issuer="https://other.example",
        client_id="other-client",
        auth_login_url="https://other.example/auth",
        auth_token_url="https://other.example/token",
        key_set_url="https://other.example/jwks",
        tool_key=linking.tool_key,
        deployment_ids='["1"]',
    )
    elsewhere = LtiProfile.objects.create(
        tool=other, sub="dana-elsewhere", user=dana, account_origin=AccountOrigin.LINKED
    )
    here = LtiProfile.objects.get(tool=linking)
    removal = DataRemovalRequest.objects.create(profile=here, deployment_id="dep-1")
    admin_client.post(
        "/admin/lti_1p3_provider/dataremovalrequest/",
        {"action": "remove_data", "_selected_action": [removal.pk]},
    )
    here.refresh_from_db()
    elsewhere.refresh_from_db()
    assert here.is_retired and here.name == ""
    assert not elsewhere.is_retired and elsewhere.sub == "dana-elsewhere"
    dana.refresh_from_db()
    assert dana.is_active


def test_the_platforms_name_for_the_person_is_shown_escaped(
    client, window, platform, linking, dana
):
    _, link_url = _choice_urls(launch(client, platform, name="<b>Eve</b>", email="e@x.example"))
    _sign_in(window, link_url, "dana")
    page = window.get(link_url).content.decode()
    assert "&lt;b&gt;Eve&lt;/b&gt;" in page and "<b>Eve</b>" not in page
    assert "(e@x.example)" in page


def test_the_privacy_page_says_the_account_is_the_learners_own(
    client, window, platform, linking, dana
):
    from tests.test_data_privacy import privacy_launch

    _action, link_url = _choice_urls(launch(client, platform))
    _sign_in(window, link_url, "dana")
    window.post(link_url, {"action": "link"})
    page = privacy_launch(Client(), platform).content.decode()
    assert "<code>dana</code>, your own account, which you linked" in page


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
