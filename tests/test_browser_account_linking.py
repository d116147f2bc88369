"""Headless Chromium: a learner links her own account from the platform's frame (ADR 0014)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from tests.account_linking import PASSWORD
from tests.browser import chromium, cross_site, wait_in_tool_frame, wait_until_frame_fits

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(120),
]


def _linking_site(live_server, settings) -> None:
    """The demo on a registration that offers account linking, and Dana's own account."""
    from lti_1p3_provider.models import RegistrationPolicy

    cross_site(live_server, settings)
    RegistrationPolicy.objects.update(account_linking=True)
    get_user_model().objects.create_user("dana", "dana@example.edu", PASSWORD)


def _link_in_a_new_window(page, live_server):
    """Alice's first launch; she links Dana's account in the window the choice opens."""
    page.goto(f"{live_server.url}/lms/?learner=alice")
    link = "a.launch[data-link='rl-speed_q1']"
    page.click(link)
    frame = wait_in_tool_frame(page, "#use-account", launch_link=link)
    with page.context.expect_page() as opened:
        frame.locator("#use-account").click()
    window = opened.value
    window.locator("#id_username").wait_for(timeout=15000)  # the LMS's sign-in page
    assert window.url.startswith("http://127.0.0.1:")  # first-party: the tool's own site
    window.fill("#id_username", "dana")
    window.fill("#id_password", PASSWORD)
    window.click("#sign-in")
    window.click("#link-button")
    window.locator("#linked").wait_for(timeout=15000)
    return frame


def test_linking_in_a_new_window_then_continuing_in_the_frame(live_server, settings, tmp_path):
    from lti_1p3_provider.models import AccountOrigin, LtiLaunch, LtiProfile

    _linking_site(live_server, settings)
    with chromium(tmp_path, third_party_cookies=True) as context:
        page = context.new_page()
        frame = _link_in_a_new_window(page, live_server)
        frame.locator("#continue-button").click()
        frame.locator("text=A cyclist rides 30 km").wait_for(timeout=15000)
        wait_until_frame_fits(page)
        frame.locator("input[value='20 km/h']").check()
        frame.locator("button:has-text('Submit')").click()
        frame.locator(".score").wait_for(timeout=15000)
    profile = LtiProfile.objects.get(user__username="dana")
    assert profile.account_origin == AccountOrigin.LINKED
    assert LtiLaunch.objects.get(profile=profile).user.username == "dana"
    assert profile.user.lti_1p3_passbacks.count() == 1  # her score is on its way


def test_linking_when_the_browser_blocks_cookies_in_the_frame(live_server, settings, tmp_path):
    from lti_1p3_provider.models import AccountOrigin, LtiProfile

    _linking_site(live_server, settings)
    with chromium(tmp_path, third_party_cookies=False) as context:
        frame = _link_in_a_new_window(context.new_page(), live_server)
        frame.locator("#continue-button").click()
        # The frame cannot keep Dana's session: the content opens in a window of its own.
        frame.locator("#open-window").wait_for(timeout=15000)
        with context.expect_page() as opened:
            frame.locator("#open-window").click()
        content = opened.value
        content.locator("text=A cyclist rides 30 km").wait_for(timeout=15000)
    assert LtiProfile.objects.get(user__username="dana").account_origin == AccountOrigin.LINKED
