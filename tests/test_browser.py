"""Headless Chromium (Debian's, driven by Playwright): a launch inside the LMS page's iframe."""

from __future__ import annotations

import pytest

from tests.browser import (
    chromium,
    cross_site,
    wait_for_links_added,
    wait_in_tool_frame,
    wait_until_frame_fits,
)

# A browser test takes seconds; a stuck one fails in 2 minutes instead of the suite's 7.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(120),
]
SPEED_Q1 = "a.launch[data-link='rl-speed_q1']"


@pytest.fixture
def page(live_server, settings, tmp_path):
    """The LMS page in a browser that keeps third-party cookies (Chrome's default)."""
    cross_site(live_server, settings)
    with chromium(tmp_path, third_party_cookies=True) as context:
        yield context.new_page()


def test_block_launches_in_the_lms_iframe_and_is_answerable(page, live_server):
    page.goto(f"{live_server.url}/lms/?learner=alice")
    page.click(SPEED_Q1)
    frame = wait_in_tool_frame(page, "text=A cyclist rides 30 km", launch_link=SPEED_Q1)
    question = frame.locator("text=A cyclist rides 30 km")
    assert question.is_visible()
    wait_until_frame_fits(page)
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


FITS = (
    "() => { const d = document.documentElement;"
    " return d.scrollHeight <= d.clientHeight + 1 && d.clientHeight <= %d; }"
)


def content_bottom(frame) -> float:
    """Where the frame's content ends (its last element's bottom), in CSS pixels."""
    return frame.evaluate(
        "() => Math.max(...[...document.body.children].map(e => e.getBoundingClientRect().bottom))"
    )


def test_the_lms_sizes_its_iframe_to_the_launched_content(page, live_server):
    page.goto(f"{live_server.url}/lms/?learner=alice")
    before = page.evaluate("() => document.getElementById('tool').clientHeight")
    page.click(SPEED_Q1)
    wait_in_tool_frame(page, "text=A cyclist rides 30 km", launch_link=SPEED_Q1)
    page.wait_for_function("() => window.ltiFrameHeights.length > 0", timeout=15000)
    tool_frame = next(f for f in page.frames if "/lti/1p3/launch/" in f.url)
    # The whole problem shows without a scrollbar, in a frame not much taller than it.
    tool_frame.wait_for_function(FITS % (content_bottom(tool_frame) + 48), timeout=15000)
    assert page.evaluate("() => document.getElementById('tool').clientHeight") != before
    # Showing the answer's score makes the content taller: the frame follows.
    reported = page.evaluate("() => window.ltiFrameHeights.length")
    page.frame_locator("iframe#tool").locator("input[value='20 km/h']").check()
    page.frame_locator("iframe#tool").locator("button:has-text('Submit')").click()
    page.frame_locator("iframe#tool").locator(".score").wait_for(timeout=15000)
    page.wait_for_function(f"() => window.ltiFrameHeights.length > {reported}", timeout=15000)
    tool_frame.wait_for_function(FITS % (content_bottom(tool_frame) + 48), timeout=15000)


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
    # The content fits its frame in the panel, and the panel fits the LMS's frame.
    content_frame.wait_for_function(FITS % (content_bottom(content_frame) + 48), timeout=15000)
    panel_frame.wait_for_function(FITS % (content_bottom(panel_frame) + 48), timeout=15000)


def test_answered_score_appears_in_the_lms_gradebook(page, live_server):
    from celery.contrib.testing.worker import start_worker

    from demo.celery_app import app

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        page.goto(f"{live_server.url}/lms/?learner=bob")
        energy = "a.launch[data-link='rl-energy_q1']"
        page.click(energy)
        frame = wait_in_tool_frame(page, "input[value='4']", launch_link=energy)
        wait_until_frame_fits(page)
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
    wait_until_frame_fits(page)  # the picker's first resize may still be on its way
    frame.locator(f"input[value='{problem}']").check()
    frame.locator("#q").fill("")
    frame.locator(f"input[value='{quiz}']").focus()
    page.keyboard.press("Space")  # the picker is usable by keyboard
    assert frame.locator("#chosen-count").inner_text() == "2 selected"
    # The cleared search made the list taller: click once the LMS has grown its frame.
    wait_until_frame_fits(page)
    frame.locator("button:has-text('Add selected')").click()
    wait_for_links_added(page)
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


LOOP_PARENT = """<!DOCTYPE html><html><body style="margin:0">
<iframe id="tool" src="%(child)s" style="border:0;width:100%%;height:300px"></iframe>
<script>
  window.heights = [];
  window.addEventListener("message", function (event) {
    var data = JSON.parse(event.data);
    window.heights.push(data.height);
    document.getElementById("tool").style.height = data.height + "px";
  });
</script></body></html>"""
LOOP_CHILD = """<!DOCTYPE html><html><body style="min-height:100vh;margin:8px">
<p style="height:120px">A body as tall as its frame.</p>
<script src="%(script)s" data-frame-origins='["%(parent)s"]' defer></script>
</body></html>"""


def test_a_body_as_tall_as_its_frame_does_not_make_the_frame_grow_for_ever(page, live_server):
    """A page whose body follows the viewport (min-height: 100vh, with margins) would report a
    little more than its frame each time: the script measures the content instead."""
    parent = live_server.url  # http://localhost:port, another site than the tool's 127.0.0.1
    tool = parent.replace("//localhost:", "//127.0.0.1:")
    script = f"{tool}/lti/1p3/pub/frame-resize.js"
    page.route(
        f"{parent}/loop-parent",
        lambda route: route.fulfill(
            content_type="text/html", body=LOOP_PARENT % {"child": f"{tool}/loop-child"}
        ),
    )
    page.route(
        f"{tool}/loop-child",
        lambda route: route.fulfill(
            content_type="text/html",
            body=LOOP_CHILD % {"script": script, "parent": parent},
        ),
    )
    page.goto(f"{parent}/loop-parent")
    page.wait_for_function("() => window.heights.length > 0", timeout=15000)
    page.wait_for_timeout(1500)  # a feedback loop would post a message every frame meanwhile
    heights = page.evaluate("() => window.heights")
    assert len(heights) <= 3, heights
    assert heights[-1] < 200, heights  # the paragraph and margins, not the frame
