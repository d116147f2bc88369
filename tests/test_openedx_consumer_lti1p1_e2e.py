"""Open edX's LTI component in LTI 1.1 mode launches our content and takes its score through
Basic Outcomes: lti-consumer-xblock's own launch signing and outcome handler, over loopback."""

from __future__ import annotations

import html
import json
import re

import pytest
import requests

from lti_1p3_provider.models import Lti1p1Consumer, LtiLaunch, LtiProfile
from tests.helpers import COURSE, PROBLEM
from tests.lti1p1_helpers import SESSION_CONFIG
from tests.openedx_consumer_lti1p1 import OpenEdxLti1p1Lms
from tests.passback_helpers import answer, deliver_until_settled

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
ANONYMOUS_ID = "5f1c2e8a9b7d4c3e2f1a0b9c8d7e6f5a"


@pytest.fixture
def remote(live_server, settings):
    settings.PLATFORM_NAME = "Remote Open edX"
    url = f"{live_server.url}/lti/1p1/launch/{COURSE}/{PROBLEM}"
    consumer = Lti1p1Consumer.objects.create(title="Remote Open edX", allowed_courses=[COURSE])
    with OpenEdxLti1p1Lms(url, consumer.consumer_key, consumer.shared_secret) as lms:
        consumer.site_origins = [lms.base]
        consumer.save()
        yield live_server.url, lms


def test_a_component_launch_renders_and_basic_outcomes_stores_the_score(remote):
    site, lms = remote
    browser = requests.Session()
    page = browser.post(lms.launch_url, data=lms.launch_params(ANONYMOUS_ID), timeout=10)
    assert page.status_code == 200, page.text[:1000]
    config = json.loads(html.unescape(SESSION_CONFIG.search(page.text).group(1)))
    content = browser.get(site + config["next"], timeout=10)
    assert "A cyclist rides 30 km" in content.text
    profile = LtiProfile.objects.get()
    assert (profile.sub, profile.email) == (ANONYMOUS_ID, "5f1c2e@remote.example")

    answer(LtiLaunch.objects.get(), PROBLEM)
    assert deliver_until_settled() == ["sent"]
    assert re.search(r"<imsx_codeMajor>\s*success\s*</imsx_codeMajor>", lms.answers[0])
    assert lms.scores == {ANONYMOUS_ID: 1.0}


def test_the_components_signature_check_is_real_a_changed_secret_fails_the_passback(remote):
    _site, lms = remote
    browser = requests.Session()
    browser.post(lms.launch_url, data=lms.launch_params(ANONYMOUS_ID), timeout=10)
    lms.secret = "rotated-on-the-lms-only"
    answer(LtiLaunch.objects.get(), PROBLEM)
    assert deliver_until_settled() == ["failed"]
    assert "OAuth verification error" in lms.answers[0]
    assert lms.scores == {}
