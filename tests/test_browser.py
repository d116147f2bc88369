"""Headless Chromium (Debian's, driven by Playwright): a launch inside the LMS page's iframe."""

from __future__ import annotations

import pytest

from tests.browser import chromium, cross_site

# A browser test takes seconds; a stuck one fails in 2 minutes instead of the suite's 7.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(120),
]


@pytest.fixture
def page(live_server, settings, tmp_path):
    """The LMS page in a browser that keeps third-party cookies (Chrome's default)."""
    cross_site(live_server, settings)
    with chromium(tmp_path, third_party_cookies=True) as context:
        yield context.new_page()


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
    assert tool_frame.url.startswith("http://127.0.0.1:")  # a third-party frame in the LMS
    assert tool_frame.url.endswith("type@problem+block@speed_q1#speed_q1")
    # The tool stored its state in the LMS's storage, but the cookie came back: not read.
    log = page.evaluate("window.ltiStorageLog")
    assert "lti.put_data" in log and "lti.get_data" not in log


def test_the_lms_sizes_its_iframe_to_the_launched_content(page, live_server):
    page.goto(f"{live_server.url}/lms/?learner=alice")
    frame_height = "() => document.getElementById('tool').clientHeight"
    before = page.evaluate(frame_height)
    page.click("a.launch[data-link='rl-speed_q1']")
    page.frame_locator("iframe#tool").locator("text=A cyclist rides 30 km").wait_for(timeout=15000)
    page.wait_for_function("() => window.ltiFrameHeights.length > 0", timeout=15000)
    tool_frame = next(f for f in page.frames if "/lti/1p3/launch/" in f.url)
    content = tool_frame.evaluate(
        "() => { const s = getComputedStyle(document.body); return document.body.offsetHeight"
        " + parseFloat(s.marginTop) + parseFloat(s.marginBottom); }"
    )
    after = page.evaluate(frame_height)
    assert after != before  # the LMS's default height (34rem) is not the content's
    assert abs(after - content) <= 2, (after, content)
    assert page.evaluate("() => window.ltiFrameHeights.at(-1)") == after


def test_the_teachers_panel_takes_the_contents_height_and_reports_its_own(page, live_server):
    page.goto(f"{live_server.url}/lms/?learner=teacher")
    page.click("a.launch[data-link='rl-speed_q1']")
    panel = page.frame_locator("iframe#tool")
    panel.frame_locator("iframe#content").locator("text=A cyclist rides 30 km").wait_for(
        timeout=15000
    )
    page.wait_for_function("() => window.ltiFrameHeights.length > 0", timeout=15000)
    panel_frame = next(f for f in page.frames if "/lti/1p3/teacher/" in f.url)
    content_frame = next(f for f in page.frames if f.parent_frame == panel_frame)
    content = content_frame.evaluate(
        "() => { const s = getComputedStyle(document.body); return document.body.offsetHeight"
        " + parseFloat(s.marginTop) + parseFloat(s.marginBottom); }"
    )
    panel_frame.wait_for_function(
        f"() => Math.abs(document.getElementById('content').clientHeight - {content}) <= 2",
        timeout=15000,
    )
    own = panel_frame.evaluate("() => document.body.offsetHeight")
    page.wait_for_function(
        f"() => Math.abs(document.getElementById('tool').clientHeight - {own}) <= 2",
        timeout=15000,
    )


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


# -- Dynamic Registration: the LMS admin pastes a link ---------------------------------------


def test_lms_admin_pastes_a_registration_link_and_the_close_message_ends_it(
    page, live_server, settings
):
    from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

    from demo.lms.models import DemoPlatform
    from lti_1p3_provider.registration.links import LinkGate, create_link, link_path

    settings.DEBUG = True  # the demo LMS is on plain-HTTP loopback
    tool_base = DemoPlatform.objects.get().tool_origin
    _, token = create_link("Pasted in Chromium", LinkGate(allow_all_content=True))
    page.goto(f"{live_server.url}/lms/tools/add/")
    page.fill("#registration-url", tool_base + link_path(token))
    page.click("#register")
    # The tool's page, framed cross-site by the LMS, posts org.imsglobal.lti.close; the LMS
    # page (listening for the tool's origin only) removes the frame and says so.
    page.locator("#tool-added").wait_for(state="visible", timeout=30000)
    assert page.locator("iframe#registration").count() == 0
    platform = DemoPlatform.objects.get()
    assert LtiTool.objects.get(client_id=platform.client_id).launch_gate.allow_all_content
