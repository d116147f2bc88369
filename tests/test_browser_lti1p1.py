"""Headless Chromium: LTI 1.1 launches in the built-in LMS's cross-site iframe, the grade back
through Basic Outcomes, with third-party cookies kept and blocked."""

from __future__ import annotations

import pytest

from tests.browser import chromium, cross_site, wait_until_frame_fits
from tests.test_browser_blocked_cookies import wait_for_grade

# A browser test takes seconds; a stuck one fails in 2 minutes instead of the suite's 7.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(120),
]


@pytest.fixture
def worker():
    from celery.contrib.testing.worker import start_worker

    from demo.celery_app import app

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield


def launch_lti1p1(page, live_server, learner: str, link: str):
    page.goto(f"{live_server.url}/lms/?learner={learner}")
    page.click(f"a.lti1p1-launch[data-link='{link}']")
    return page.frame_locator("iframe#tool")


def test_an_lti1p1_launch_in_the_iframe_is_answered_and_graded(
    live_server, settings, tmp_path, worker
):
    tool = cross_site(live_server, settings)
    with chromium(tmp_path, third_party_cookies=True) as context:
        page = context.new_page()
        frame = launch_lti1p1(page, live_server, "alice", "rl-speed_q1")
        frame.locator("text=A cyclist rides 30 km").wait_for(timeout=15000)
        wait_until_frame_fits(page)
        frame.locator("input[value='20 km/h']").check()
        frame.locator("button:has-text('Submit')").click()
        frame.locator(".score").wait_for(timeout=15000)
        tool_frame = next(f for f in page.frames if "/lti/1p3/launch/" in f.url)
        assert tool_frame.url.startswith(tool)  # a third-party frame in the LMS
        assert "1 / 1" in wait_for_grade(page, "rl-speed_q1", 0)  # through Basic Outcomes


def test_an_lti1p1_launch_with_cookies_blocked_opens_in_a_new_window(
    live_server, settings, tmp_path, worker
):
    tool = cross_site(live_server, settings)
    with chromium(tmp_path, third_party_cookies=False) as context:
        page = context.new_page()
        frame = launch_lti1p1(page, live_server, "bob", "rl-energy_q1")
        frame.locator("#blocked").wait_for(timeout=30000)
        with context.expect_page() as opened:
            frame.locator("#open-window").click()
        window = opened.value
        window.wait_for_load_state()
        assert window.url.startswith(f"{tool}/lti/1p3/launch/")
        window.locator("input[value='4']").check()
        window.locator("button:has-text('Submit')").click()
        window.locator(".score").wait_for(timeout=15000)
        assert "1 / 1" in wait_for_grade(page, "rl-energy_q1", 1)  # Bob's column
