"""Account linking: the accounts never linked, and the admin's and the privacy page's side of
linked accounts (ADR 0014)."""

from __future__ import annotations

import pytest
from django.test import Client

from lti_1p3_provider.models import AccountOrigin, LtiLaunch, LtiProfile
from tests.account_linking import (
    CONTENT_PATH,
    PASSWORD,
    SAME_SITE,
    choice_urls,
    sign_in,
)
from tests.helpers import error_detail, launch

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("flag", ["is_staff", "is_superuser"])
def test_staff_accounts_are_never_linked(client, window, platform, linking, dana, flag):
    setattr(dana, flag, True)
    dana.save()
    _, link_url = choice_urls(launch(client, platform))
    sign_in(window, link_url, "dana")
    refused = window.get(link_url)
    assert refused.status_code == 403
    assert "Staff accounts cannot be linked" in error_detail(refused)
    assert window.post(link_url, {"action": "link"}).status_code == 403
    assert LtiProfile.objects.get().account_origin == AccountOrigin.PENDING


def test_an_account_made_by_a_launch_is_not_linked(client, window, platform, linking):
    # Erin kept the account her first launch made, then gave it a password somehow.
    action, _ = choice_urls(launch(client, platform, sub="erin"))
    client.post(action, {"action": "new"}, **SAME_SITE)
    erin = LtiProfile.objects.get(sub="erin").user
    erin.set_password(PASSWORD)
    erin.save()
    _, link_url = choice_urls(launch(Client(), platform, sub="frank"))
    sign_in(window, link_url, erin.username)
    refused = window.post(link_url, {"action": "link"})
    assert refused.status_code == 403
    assert "made by an LTI launch" in error_detail(refused)
    assert LtiProfile.objects.get(sub="frank").account_origin == AccountOrigin.PENDING


def test_one_account_is_linked_to_one_person_of_a_platform(client, platform, linking, dana):
    _first_action, first_link = choice_urls(launch(client, platform, sub="dana-1"))
    first_window = Client()
    sign_in(first_window, first_link, "dana")
    first_window.post(first_link, {"action": "link"})
    _, second_link = choice_urls(launch(Client(), platform, sub="dana-2"))
    second_window = Client()
    sign_in(second_window, second_link, "dana")
    refused = second_window.post(second_link, {"action": "link"})
    assert refused.status_code == 403
    assert "already linked to another person" in error_detail(refused)
    assert LtiProfile.objects.get(sub="dana-2").account_origin == AccountOrigin.PENDING


def test_an_admin_unlinks_a_linked_identity(client, window, platform, linking, dana, admin_client):
    _action, link_url = choice_urls(launch(client, platform))
    sign_in(window, link_url, "dana")
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

    _, link_url = choice_urls(launch(client, platform))
    sign_in(window, link_url, "dana")
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
    _, link_url = choice_urls(launch(client, platform, name="<b>Eve</b>", email="e@x.example"))
    sign_in(window, link_url, "dana")
    page = window.get(link_url).content.decode()
    assert "&lt;b&gt;Eve&lt;/b&gt;" in page and "<b>Eve</b>" not in page
    assert "(e@x.example)" in page


def test_the_privacy_page_says_the_account_is_the_learners_own(
    client, window, platform, linking, dana
):
    from tests.test_data_privacy import privacy_launch

    _action, link_url = choice_urls(launch(client, platform))
    sign_in(window, link_url, "dana")
    window.post(link_url, {"action": "link"})
    page = privacy_launch(Client(), platform).content.decode()
    assert "<code>dana</code>, your own account, which you linked" in page


def test_two_links_racing_past_the_check_are_stopped_by_the_database(
    client, platform, linking, dana, monkeypatch
):
    # Two identities' windows both passed check_linkable before either committed: the
    # (registration, account) unique constraint refuses the second.
    from lti_1p3_provider.launch import account_links

    _, first_link = choice_urls(launch(client, platform, sub="dana-1"))
    _, second_link = choice_urls(launch(Client(), platform, sub="dana-2"))
    first_window, second_window = Client(), Client()
    sign_in(first_window, first_link, "dana")
    sign_in(second_window, second_link, "dana")
    assert first_window.post(first_link, {"action": "link"}).status_code == 200
    monkeypatch.setattr(account_links, "check_linkable", lambda choice, user: None)
    refused = second_window.post(second_link, {"action": "link"})
    assert refused.status_code == 403
    assert "already linked to another person" in error_detail(refused)
    assert LtiProfile.objects.get(sub="dana-2").account_origin == AccountOrigin.PENDING
