"""Headless Chromium (Debian's, driven by Playwright): a launch inside the LMS page's iframe."""

from __future__ import annotations

import contextlib
import json
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


def cross_site(live_server, settings) -> str:
    """Seed the demo as ``make demo`` runs it: the LMS on localhost, the tool on 127.0.0.1 (a
    third-party iframe), with the demo's cookie settings; the tool's base URL."""
    settings.SESSION_COOKIE_SAMESITE = settings.CSRF_COOKIE_SAMESITE = "None"
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    tool = live_server.url.replace("//localhost:", "//127.0.0.1:")
    assert tool != live_server.url
    seed(tool, live_server.url)
    return tool


@contextlib.contextmanager
def chromium(tmp_path, third_party_cookies: bool):
    """A Chromium profile that keeps or blocks third-party cookies (as Safari always does)."""
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the
    # test body are still synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    profile = tmp_path / "chromium-profile"
    (profile / "Default").mkdir(parents=True)
    mode = {"cookie_controls_mode": 0 if third_party_cookies else 1}
    mode["block_third_party_cookies"] = not third_party_cookies
    (profile / "Default" / "Preferences").write_text(json.dumps({"profile": mode}))
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        try:
            yield context
        finally:
            context.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


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


# -- third-party cookies blocked (Safari; Chrome set to block; private windows) ---------------


@pytest.fixture
def blocked(live_server, settings, tmp_path):
    """The LMS page in a browser that blocks third-party cookies, and a Celery worker."""
    from celery.contrib.testing.worker import start_worker

    from demo.celery_app import app

    tool = cross_site(live_server, settings)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        with chromium(tmp_path, third_party_cookies=False) as context:
            yield context, context.new_page(), tool


def launch_blocked(page, live_server, learner: str, link: str):
    """Launch ``link`` in the LMS iframe; wait for the launch page's choice of ways out."""
    page.goto(f"{live_server.url}/lms/?learner={learner}")
    page.click(f"a.launch[data-link='{link}']")
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    frame = page.frame_locator("iframe#tool")
    try:
        frame.locator("#blocked").wait_for(timeout=30000)
    except PlaywrightTimeout:
        tool_frame = page.frame(name="tool")
        raise AssertionError(
            f"{tool_frame.url if tool_frame else None}: "
            f"{tool_frame.content()[:3000] if tool_frame else ''} "
            f"log={page.evaluate('window.ltiStorageLog')}"
        ) from None
    # The OIDC state went through the LMS's storage: stored at login, read back at launch.
    log = page.evaluate("window.ltiStorageLog")
    assert log.count("lti.put_data") == 2 and log.count("lti.get_data") == 2
    return frame


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
    frame.locator("input[value='20 km/h']").check()
    frame.locator("button:has-text('Submit')").click()
    frame.locator(".score").wait_for(timeout=15000)
    assert "Score: 1 / 1" in frame.locator(".score").inner_text()
    assert "1 / 1" in wait_for_grade(page, "rl-speed_q1", 0)  # Alice's column


def test_blocked_cookies_open_in_a_new_window_and_the_grade_arrives(blocked, live_server):
    from lti_1p3_provider.models import LtiLaunch

    context, page, tool = blocked
    frame = launch_blocked(page, live_server, "bob", "rl-energy_q1")
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
    assert LtiLaunch.objects.count() == 1


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
    page.goto(f"{live_server.url}/lms/?learner=teacher")
    page.click("#add-content")
    frame = page.frame_locator("iframe#tool")
    frame.locator(f"input[value='{problem}']").check(timeout=15000)
    assert page.evaluate("window.ltiStorageLog").count("lti.get_data") == 2
    frame.locator("button:has-text('Add selected')").click()
    frame.locator("#dl-added").wait_for(timeout=15000)
    assert DemoLineItem.objects.filter(tag=problem, added_by_deep_linking=True).count() == 1


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
