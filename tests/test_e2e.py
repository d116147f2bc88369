"""End to end over real HTTP: the built-in LMS (lti1p3platform) launches into a live provider."""

from __future__ import annotations

import pytest
import requests

from lti_1p3_provider.models import LtiLaunch, LtiProfile
from tests.e2e import answer_problem, platform_launch_form, post_launch
from tests.helpers import COURSE, PROBLEM

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PROBLEM_PATH = f"/lti/1p3/launch/{COURSE}/{PROBLEM}"


def test_full_launch_through_the_platform_library(site):
    browser = requests.Session()
    form = platform_launch_form(browser, site, "rl-speed_q1")
    assert form.action == f"{site}/lti/1p3/launch/"
    launched = post_launch(browser, form)
    assert launched.status_code == 302, launched.text[:2000]
    assert launched.headers["Location"] == PROBLEM_PATH
    page = browser.get(site + PROBLEM_PATH, timeout=10)
    assert page.status_code == 200
    assert "A cyclist rides 30 km" in page.text
    record = LtiLaunch.objects.get()
    assert record.resource_link_id == "rl-speed_q1"
    assert record.context_id == "demo-course-101"
    assert record.lineitem_url.startswith(f"{site}/lms/ags/lineitems/")
    assert LtiProfile.objects.get().sub == "demo-learner-alice"


def test_learner_answers_the_launched_problem(site):
    browser = requests.Session()
    post_launch(browser, platform_launch_form(browser, site, "rl-speed_q1"))
    page = browser.get(site + PROBLEM_PATH, timeout=10)
    answered = answer_problem(browser, site, page.text, PROBLEM, "20 km/h", PROBLEM_PATH)
    assert answered.status_code == 200
    assert "Score: 1 / 1" in answered.text


def test_replayed_platform_launch_is_refused(site):
    browser = requests.Session()
    form = platform_launch_form(browser, site, "rl-speed_q1")
    assert post_launch(browser, form).status_code == 302
    attacker = requests.Session()
    replay = post_launch(attacker, form)
    assert replay.status_code == 403
    assert LtiLaunch.objects.count() == 1


def test_two_learners_two_identities(site):
    for learner in ("alice", "bob"):
        browser = requests.Session()
        assert (
            post_launch(
                browser, platform_launch_form(browser, site, "rl-speed_unit", learner)
            ).status_code
            == 302
        )
    assert sorted(LtiProfile.objects.values_list("sub", flat=True)) == [
        "demo-learner-alice",
        "demo-learner-bob",
    ]


def test_platform_refuses_unregistered_redirect_uri(site):
    response = requests.get(
        f"{site}/lms/auth/",
        params={
            "scope": "openid",
            "response_type": "id_token",
            "client_id": "demo-client",
            "redirect_uri": "https://evil.example/steal",
            "login_hint": "demo-learner-alice",
            "lti_message_hint": "rl-speed_q1",
            "state": "s",
            "nonce": "n",
        },
        timeout=10,
    )
    assert response.status_code == 400
    assert "id_token" not in response.text
