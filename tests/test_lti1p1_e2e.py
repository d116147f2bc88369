"""LTI 1.1 end to end over loopback HTTP: the built-in LMS launches, Basic Outcomes takes the
scores (checking signature and body hash), and a migrated LTI 1.3 launch keeps the account."""

from __future__ import annotations

import pytest
import requests
from django.contrib.auth import get_user_model
from oauthlib.oauth1 import Client

from bench.loadtest import browser_session
from demo.lms.models import DemoPlatform, DemoScore
from lti_1p3_provider.models import LtiLaunch, LtiProfile, ScorePassback
from tests.e2e import platform_launch_form, post_launch
from tests.lti1p1_helpers import (
    lti1p1_launch,
)
from tests.passback_helpers import Q1, answer, deliver_until_settled

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_lti1p1_launch_renders_and_its_score_reaches_basic_outcomes(site):
    page = lti1p1_launch(browser_session(), site, "rl-speed_q1")
    assert page.status_code == 200
    assert "A cyclist rides 30 km" in page.text
    launch = LtiLaunch.objects.get()
    assert launch.consumer.consumer_key == "demo-lti1p1"
    answer(launch, Q1)
    assert deliver_until_settled() == ["sent"]
    score = DemoScore.objects.get()  # the LMS checked the OAuth signature and the body hash
    assert (score.user_id, score.score_given, score.score_maximum) == ("demo-learner-alice", 1, 1)
    assert score.timestamp == "lti1p1"


def test_an_lti1p1_unit_coalesces_and_sends_one_normalised_score(site):
    from lti_1p3_provider.grades.delivery import deliver
    from tests.passback_helpers import Q2, make_due

    lti1p1_launch(browser_session(), site, "rl-speed_unit")
    launch = LtiLaunch.objects.get()
    answer(launch, Q1)
    answer(launch, Q2, correct=False)
    row = ScorePassback.objects.get()
    assert row.is_composite and row.consumer_id == launch.consumer_id
    assert deliver(row.pk) == "skipped"  # the unit's window has not passed
    make_due(row)
    assert deliver(row.pk) == "sent"
    [score] = DemoScore.objects.all()  # one call for the window: 1 of 3 points as 0.333333
    assert score.score_given / score.score_maximum == pytest.approx(1 / 3, abs=1e-5)


def test_an_lti1p1_unit_owes_nothing_for_a_wrong_last_answer(site):
    from lti_1p3_provider.grades.delivery import deliver
    from tests.passback_helpers import Q2, make_due

    lti1p1_launch(browser_session(), site, "rl-speed_unit")
    launch = LtiLaunch.objects.get()
    answer(launch, Q1)
    row = ScorePassback.objects.get()
    make_due(row)
    assert deliver(row.pk) == "sent"
    # Every problem tried now, the points unchanged: AGS would hear the progress; Basic Outcomes
    # has none, so nothing more is owed.
    answer(launch, Q2, correct=False)
    row.refresh_from_db()
    assert (row.status, row.activity_progress, row.version) == ("sent", "", 1)
    assert DemoScore.objects.count() == 1


def test_the_outcome_service_refuses_a_tampered_body(site):
    lti1p1_launch(browser_session(), site, "rl-speed_q1")
    DemoPlatform.objects.update(lti1p1_shared_secret="rotated-on-the-platform")
    answer(LtiLaunch.objects.get(), Q1)
    deliver_until_settled()
    row = ScorePassback.objects.get()
    assert row.status == "failed" and "401" in row.last_error
    assert not DemoScore.objects.exists()


def test_a_migrated_lti13_launch_keeps_the_lti1p1_account(site):
    lti1p1_launch(browser_session(), site, "rl-speed_q1")
    user = LtiProfile.objects.get(consumer__isnull=False).user
    DemoPlatform.objects.update(lti1p1_migrated=True)
    browser = browser_session()
    assert (
        post_launch(browser, platform_launch_form(browser, site, "rl-speed_q1")).status_code == 302
    )
    migrated = LtiProfile.objects.get(tool__isnull=False)
    assert migrated.user == user
    assert LtiLaunch.objects.filter(user=user).count() == 2
    assert get_user_model().objects.count() == 1


def test_a_migration_claim_with_a_bad_signature_makes_a_new_account(site):
    lti1p1_launch(browser_session(), site, "rl-speed_q1")
    user = LtiProfile.objects.get(consumer__isnull=False).user
    DemoPlatform.objects.update(lti1p1_migrated=True, lti1p1_shared_secret="forged")
    browser = browser_session()
    assert (
        post_launch(browser, platform_launch_form(browser, site, "rl-speed_q1")).status_code == 302
    )
    assert LtiProfile.objects.get(tool__isnull=False).user != user
    assert get_user_model().objects.count() == 2


def test_the_demo_outcome_service_checks_the_body_hash(site):
    """The built-in LMS refuses a validly signed request whose body was changed on the way."""
    from oauthlib.oauth1 import SIGNATURE_TYPE_AUTH_HEADER

    from lti_1p3_provider.core import pox

    platform = DemoPlatform.objects.get()
    url = f"{site}/lms/lti1p1/outcomes/"
    body = pox.replace_result_request("rl-speed_q1:demo-learner-alice", 0.5)
    client = Client(
        platform.lti1p1_consumer_key,
        client_secret=platform.lti1p1_shared_secret,
        signature_type=SIGNATURE_TYPE_AUTH_HEADER,
    )
    _, headers, _ = client.sign(
        url, http_method="POST", body=body, headers={"Content-Type": "application/xml"}
    )
    tampered = body.replace(">0.5<", ">1<")
    refused = requests.post(url, data=tampered.encode(), headers=headers, timeout=10)
    assert refused.status_code == 401
    accepted = requests.post(url, data=body.encode(), headers=headers, timeout=10)
    assert accepted.status_code == 200 and "<imsx_codeMajor>success<" in accepted.text
    assert [s.score_given for s in DemoScore.objects.all()] == [0.5]
