"""Headless Chromium (Debian's, driven by Playwright): a launch inside the LMS page's iframe."""

from __future__ import annotations

import os
import shutil

import pytest

from demo.lms.management.commands.demo_seed import seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def page(live_server):
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the
    # test body are still synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    seed(live_server.url)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser.new_page()
        finally:
            browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def test_block_launches_in_the_lms_iframe_and_is_answerable(page, live_server):
    page.goto(f"{live_server.url}/lms/?learner=alice")
    page.click("a.launch[data-link='rl-speed_q1']")
    frame = page.frame_locator("iframe#tool")
    question = frame.locator("text=A cyclist rides 30 km")
    question.wait_for(timeout=15000)
    assert question.is_visible()
    frame.locator("input[value='20 km/h']").check()
    frame.locator("button:has-text('Submit')").click()
    score = frame.locator(".score")
    score.wait_for(timeout=15000)
    assert "Score: 1 / 1" in score.inner_text()
    tool_frame = next(f for f in page.frames if "/lti/1p3/launch/" in f.url)
    assert tool_frame.url.endswith("type@problem+block@speed_q1#speed_q1")


def test_answered_score_appears_in_the_lms_gradebook(page, live_server):
    from celery.contrib.testing.worker import start_worker

    from demo.celery_app import app

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        page.goto(f"{live_server.url}/lms/?learner=bob")
        page.click("a.launch[data-link='rl-energy_q1']")
        frame = page.frame_locator("iframe#tool")
        frame.locator("input[value='4']").check()
        frame.locator("button:has-text('Submit')").click()
        frame.locator(".score").wait_for(timeout=15000)
        # Bob's column is the second score cell of the link's gradebook row (auto-refreshed).
        selector = "#gradebook tr[data-link='rl-energy_q1'] td.score"
        page.wait_for_function(
            f'() => (document.querySelectorAll("{selector}")[1] || {{}}).textContent'
            "?.includes('1 / 1')",
            timeout=20000,
        )
        assert "1 / 1" in page.locator(selector).nth(1).inner_text()
        assert page.locator(selector).nth(0).inner_text().strip() == "\u2013"  # Alice: none


def test_teacher_picks_two_blocks_in_the_lms_iframe_and_they_appear(page, live_server):
    from demo.lms.models import DemoLineItem

    problem = "block-v1:OpenedX+DemoX+2026+type@problem+block@energy_q2"
    quiz = "block-v1:OpenedX+DemoX+2026+type@sequential+block@motion_quiz"
    page.goto(f"{live_server.url}/lms/?learner=teacher")
    page.click("#add-content")
    frame = page.frame_locator("iframe#tool")
    frame.locator("#q").fill("potential")  # live search by name
    frame.locator(f"input[value='{quiz}']").wait_for(state="hidden", timeout=15000)
    frame.locator(f"input[value='{problem}']").check()
    frame.locator("#q").fill("")
    frame.locator(f"input[value='{quiz}']").focus()
    page.keyboard.press("Space")  # the picker is usable by keyboard
    assert frame.locator("#chosen-count").inner_text() == "2 selected"
    frame.locator("button:has-text('Add selected')").click()
    frame.locator("#dl-added").wait_for(timeout=15000)
    assert "2 links added" in frame.locator("#dl-added").inner_text()
    # The course page refreshes its link list in the background.
    page.wait_for_function(
        '() => document.querySelectorAll("#links li small").length === 2', timeout=20000
    )
    added = page.locator("#links li:has(small)").all_inner_texts()
    assert any("Potential energy" in text for text in added)
    assert any("Quiz: Motion" in text and "graded" in text for text in added)
    assert DemoLineItem.objects.get(tag=quiz).score_maximum == 4.0
