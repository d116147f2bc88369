"""Headless Chromium that blocks third-party cookies (as Safari does): platform storage, storage
access and the new-window handoff."""

from __future__ import annotations

import pytest

from tests.browser import chromium, cross_site, wait_for_links_added, wait_until_frame_fits

# A browser test takes seconds; a stuck one fails in 2 minutes instead of the suite's 7.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(120),
]


@pytest.fixture
def blocked(live_server, settings, tmp_path):
    """The LMS page in a browser that blocks third-party cookies, and a Celery worker."""
    from celery.contrib.testing.worker import start_worker

    from demo.celery_app import app

    tool = cross_site(live_server, settings)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        with chromium(tmp_path, third_party_cookies=False) as context:
            yield context, context.new_page(), tool


def open_in_frame(page, url: str, click: str, ready: str, what: str, timeout: float = 20000):
    """Open ``url``, click ``click``, and wait for ``ready`` in the LMS's tool iframe.

    Rarely (SQLite and MariaDB runs alike) Playwright keeps reporting the frame on the built-in
    LMS's auth form while the flow went on: a run on 2026-12-03 found the stalled attempt's
    launch recorded by the tool, and another stalled the same way opening the picker. The frame
    hops between processes there (tool, LMS, tool), and Playwright then waits on a frame that is
    no longer the iframe's document. Once (a MariaDB CI run on 2026-12-05, 1 in 25 runs of
    this file before and after) the frame stayed on the tool's launch page after both
    ``lti.get_data`` answers and no error in the server's log, as if its auto-submitted re-post
    stalled (the kind ``tests.browser.wait_in_tool_frame`` describes). On this machine the auth
    form stall came in about 1 of 6 runs of this file, twice in a row once. A stall is tried
    again, up to three attempts in all (20 s each; a launch that works shows in 2 to 4 s), and
    reported with the launches the tool recorded; any other failure fails the test.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    from lti_1p3_provider.models import LtiLaunch

    for attempt in (1, 2, 3):
        page.goto(url)
        page.click(click)
        frame = page.frame_locator("iframe#tool")
        try:
            frame.locator(ready).wait_for(timeout=timeout)
            return frame
        except PlaywrightTimeout:
            # Only what cannot block: Frame.content() and page.evaluate() wait without a
            # timeout for a frame whose navigation never commits (it once hung a CI run).
            tool_frame = page.frame(name="tool")
            where = tool_frame.url if tool_frame else None
            stalled = "/lms/auth/" in str(where) or str(where).endswith("/lti/1p3/launch/")
            if attempt == 3 or not stalled:
                raise AssertionError(f"{what}; frame at {where}; log={storage_log(page)}") from None
            recorded = LtiLaunch.objects.count()
            print(f"frame stalled at {where} with {recorded} launch(es) recorded; "
                  "trying again")  # fmt: skip
    raise AssertionError("unreachable")


def launch_blocked(page, live_server, learner: str, link: str):
    """Launch ``link`` in the LMS iframe; wait for the launch page's choice of ways out."""
    url = f"{live_server.url}/lms/?learner={learner}"
    click = f"a.launch[data-link='{link}']"
    frame = open_in_frame(page, url, click, "#blocked", "the tool's page offered no way out")
    # The OIDC state went through the LMS's storage: stored at login, read back at launch.
    log = page.evaluate("window.ltiStorageLog")
    assert log.count("lti.put_data") == 2 and log.count("lti.get_data") == 2
    return frame


def open_picker_blocked(page, live_server, problem: str):
    """Open the deep linking picker as the teacher, the way ``launch_blocked`` launches."""
    url = f"{live_server.url}/lms/?learner=teacher"
    ready = f"input[value='{problem}']"
    return open_in_frame(page, url, "#add-content", ready, "the picker did not open", 15000)


def storage_log(page, timeout: float = 5000) -> str:
    """The LMS page's record of storage messages, or why it could not be read in time."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        handle = page.wait_for_function(
            "() => JSON.stringify(window.ltiStorageLog)", timeout=timeout
        )
    except PlaywrightTimeout:
        return "(the LMS page did not answer)"
    return str(handle.json_value())


def wait_for_grade(page, link: str, column: int) -> str:
    selector = f"#gradebook tr[data-link='{link}'] td.score"
    page.wait_for_function(
        f'() => (document.querySelectorAll("{selector}")[{column}] || {{}}).textContent'
        "?.includes('1 / 1')",
        timeout=20000,
    )
    return page.locator(selector).nth(column).inner_text()


def test_blocked_cookies_launch_through_platform_storage_and_storage_access(blocked, live_server):
    context, page, tool = blocked
    frame = launch_blocked(page, live_server, "alice", "rl-speed_q1")
    assert "keeps this content's sign-in out" in frame.locator("#blocked h1").inner_text()
    # The learner accepts the browser's storage access prompt (headless shows none: CDP
    # grants what the prompt would), then clicks "Continue here".
    cdp = context.new_cdp_session(page)
    cdp.send(
        "Browser.setPermission",
        {
            "permission": {"name": "storage-access"},
            "setting": "granted",
            "origin": live_server.url,
            "embeddedOrigin": tool,
        },
    )
    frame.locator("#continue-here").click()
    frame.locator("text=A cyclist rides 30 km").wait_for(timeout=15000)
    wait_until_frame_fits(page)
    frame.locator("input[value='20 km/h']").check()
    frame.locator("button:has-text('Submit')").click()
    frame.locator(".score").wait_for(timeout=15000)
    assert "Score: 1 / 1" in frame.locator(".score").inner_text()
    assert "1 / 1" in wait_for_grade(page, "rl-speed_q1", 0)  # Alice's column


def test_blocked_cookies_open_in_a_new_window_and_the_grade_arrives(blocked, live_server):
    from lti_1p3_provider.models import LtiLaunch

    context, page, tool = blocked
    frame = launch_blocked(page, live_server, "bob", "rl-energy_q1")
    launches = LtiLaunch.objects.count()  # 1, or more when a stalled attempt was launched again
    # Without storage access, "Continue here" says so and points at the new window.
    frame.locator("#continue-here").click()
    frame.locator("#refused").wait_for(timeout=15000)
    with context.expect_page() as opened:
        frame.locator("#open-window").click()
    window = opened.value
    window.wait_for_load_state()
    assert window.url.startswith(f"{tool}/lti/1p3/launch/")  # first party: the tool's own site
    window.locator("input[value='4']").check()
    window.locator("button:has-text('Submit')").click()
    window.locator(".score").wait_for(timeout=15000)
    assert frame.locator("#opened").is_visible()
    assert "1 / 1" in wait_for_grade(page, "rl-energy_q1", 1)  # Bob's column
    assert LtiLaunch.objects.count() == launches  # the new window continues the launch


def test_storage_answers_from_a_foreign_origin_are_ignored(blocked, live_server):
    """A frame of another site answers the tool's lti.get_data with the right values (it learns
    the message ids from a patched LMS page): the tool accepts only the platform's origin."""
    from lti_1p3_provider.models import LtiLaunch

    _, page, _ = blocked
    evil = "http://evil.test"
    page.route(
        f"{evil}/**",
        lambda route: route.fulfill(
            content_type="text/html",
            body="""<script>
            addEventListener("message", function (e) {
              window.answered = (window.answered || 0) + 1;
              var tool = parent.frames["tool"];
              // state_<s> holds <s>, nonce_<n> holds <n>: the right answers.
              tool.postMessage({subject: "lti.get_data.response", message_id: e.data.message_id,
                                key: e.data.key, value: e.data.key.replace(/^[a-z]+_/, "")}, "*");
            });
            </script>""",
        ),
    )
    # The LMS page lets the foreign frame answer its get_data requests instead of itself.
    page.add_init_script(
        f"""
        if (window.top === window) {{
        addEventListener("message", function (e) {{
          if (e.data && e.data.subject === "lti.get_data") {{
            e.stopImmediatePropagation();
            document.getElementById("evil").contentWindow.postMessage(e.data, "{evil}");
          }}
        }});
        addEventListener("DOMContentLoaded", function () {{
          var f = document.createElement("iframe"); f.id = "evil"; f.src = "{evil}/";
          document.body.appendChild(f);
        }});
        }}
        """
    )
    page.goto(f"{live_server.url}/lms/?learner=alice")
    page.click("a.launch[data-link='rl-speed_q1']")
    frame = page.frame_locator("iframe#tool")
    detail = frame.locator("p.detail")
    detail.wait_for(timeout=20000)
    assert "did not return this launch's login from its storage" in detail.inner_text()
    assert not LtiLaunch.objects.exists()
    evil_frame = next(f for f in page.frames if f.url.startswith(evil))
    assert evil_frame.evaluate("window.answered") == 2  # it did answer both requests


def test_blocked_cookies_teacher_adds_content_through_platform_storage(blocked, live_server):
    from demo.lms.models import DemoLineItem

    _, page, _ = blocked
    problem = "block-v1:OpenedX+DemoX+2026+type@problem+block@energy_q2"
    frame = open_picker_blocked(page, live_server, problem)
    # Check the box once the LMS has fitted its frame to the picker: a click aimed before the
    # resize landed beside the box (a MariaDB CI run on 2026-12-05: "did not change its state").
    wait_until_frame_fits(page)
    frame.locator(f"input[value='{problem}']").check()
    assert page.evaluate("window.ltiStorageLog").count("lti.get_data") == 2
    wait_until_frame_fits(page)
    frame.locator("button:has-text('Add selected')").click()
    wait_for_links_added(page)
    assert DemoLineItem.objects.filter(tag=problem, added_by_deep_linking=True).count() == 1
