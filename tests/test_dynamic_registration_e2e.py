"""End to end over loopback HTTP: the built-in LMS registers the tool by URL, then launches
content and receives a score through the new registration, with no value typed by hand."""

from __future__ import annotations

import html
import re

import pytest
import requests
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

from demo.lms.models import DemoPlatform
from lti_1p3_provider.registration.links import LinkGate, create_link, link_path
from lti_1p3_provider.services.registrations import deployment_ids
from tests.helpers import COURSE
from tests.passback_helpers import Q1, answer, deliver_until_settled, launch_link, received

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
FRAME = re.compile(r'<iframe id="registration"[^>]*src="([^"]+)"')


def paste_link(browser: requests.Session, site: str, url: str) -> requests.Response:
    """What the LMS admin does: paste the link; the page frames it with the LMS's parameters."""
    page = browser.get(f"{site}/lms/tools/add/", params={"url": url}, timeout=10)
    found = FRAME.search(page.text)
    assert found, page.text[:1000]
    return browser.get(html.unescape(found.group(1)), timeout=20)


def test_a_platform_registers_by_url_then_launches_and_gets_a_score(site, settings):
    settings.DEBUG = True  # the demo platform is on plain-HTTP loopback
    seeded = DemoPlatform.objects.get().client_id
    _, token = create_link("Built-in LMS by URL", LinkGate(allowed_courses=(COURSE,)))
    browser = requests.Session()
    done = paste_link(browser, site, site + link_path(token))
    assert done.status_code == 200, done.text[:2000]
    assert "org.imsglobal.lti.close" in done.text

    platform = DemoPlatform.objects.get()
    assert platform.client_id != seeded
    tool = LtiTool.objects.get(client_id=platform.client_id)
    assert tool.issuer == platform.issuer
    assert deployment_ids(tool) == [platform.deployment_id]
    assert tool.launch_gate.allowed_courses == [COURSE]

    launch = launch_link(site, "rl-speed_q1")
    assert launch.tool_id == tool.pk
    answer(launch, Q1)
    assert deliver_until_settled() == ["sent"]
    (score,) = received("rl-speed_q1")
    assert (score.score_given, score.score_maximum) == (1, 1)


def test_the_demo_registration_endpoint_wants_its_token_once(site, settings):
    settings.DEBUG = True
    _, token = create_link("first", LinkGate(allow_all_content=True))
    browser = requests.Session()
    page = browser.get(f"{site}/lms/tools/add/", params={"url": site + link_path(token)})
    src = html.unescape(FRAME.search(page.text).group(1))
    assert browser.get(src, timeout=20).status_code == 200
    # The same registration token again (a second link): the platform refuses with 401.
    _, second = create_link("second", LinkGate(allow_all_content=True))
    replay = browser.get(src.replace(link_path(token), link_path(second)), timeout=20)
    assert replay.status_code == 502
    assert "401" in html.unescape(replay.text)
    assert LtiTool.objects.count() == 2  # the seeded one and the first
