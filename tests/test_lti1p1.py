"""LTI 1.1 launches: OAuth 1.0a checks (oauthlib), the shared pipeline, Basic Outcomes grades,
and the lti1p1 migration claim, end to end over loopback HTTP against the built-in LMS."""

from __future__ import annotations

import html
import json
import re
import time
from urllib.parse import parse_qsl, urlencode

import pytest
import requests
from django.contrib.auth import get_user_model
from django.test import Client as DjangoClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oauthlib.oauth1 import SIGNATURE_TYPE_BODY, Client

from bench.loadtest import browser_session
from demo.lms.models import DemoPlatform, DemoScore
from lti_1p3_provider.models import Lti1p1Consumer, LtiLaunch, LtiProfile, ScorePassback
from tests.e2e import platform_launch_form, post_launch
from tests.helpers import COURSE, PROBLEM
from tests.passback_helpers import Q1, answer, deliver_until_settled

pytestmark = pytest.mark.django_db(transaction=True)
LAUNCH_PATH = f"/lti/1p1/launch/{COURSE}/{PROBLEM}"
FIELD = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')
ACTION = re.compile(r'<form id="lti1p1-launch" method="post" action="([^"]+)">')
SESSION_CONFIG = re.compile(r'<script id="lti-session-config" type="application/json">(.*?)</')


@pytest.fixture
def consumer(db):
    """A consumer of the test site's content, with its site origin."""
    return Lti1p1Consumer.objects.create(
        title="Moodle 3.9",
        site_origins=["https://moodle.example"],
        allowed_courses=[COURSE],
    )


def signed(consumer, url, secret=None, timestamp=None, **overrides):
    """LTI 1.1 launch parameters for ``url``, signed by the consumer as a platform would
    (with ``secret`` and at ``timestamp`` when given); a None override drops the parameter."""
    params = {
        "lti_message_type": "basic-lti-launch-request",
        "lti_version": "LTI-1p0",
        "resource_link_id": "moodle-link-1",
        "user_id": "moodle-user-7",
        "roles": "Learner",
        "lis_person_name_full": "Ada Lovelace",
        "lis_person_contact_email_primary": "ada@moodle.example",
        "lis_outcome_service_url": "https://moodle.example/mod/lti/service.php",
        "lis_result_sourcedid": '{"data":{"instanceid":"1","userid":"7"}}',
    }
    params.update({k: v for k, v in overrides.items() if v is not None})
    for name in [k for k, v in overrides.items() if v is None]:
        params.pop(name, None)
    client = Client(
        consumer.consumer_key,
        client_secret=secret or consumer.shared_secret,
        signature_type=SIGNATURE_TYPE_BODY,
        timestamp=timestamp,
    )
    _, _, body = client.sign(
        url,
        http_method="POST",
        body=urlencode(params),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    return dict(parse_qsl(body, keep_blank_values=True))


def created_nothing():
    return (
        not LtiLaunch.objects.exists()
        and not LtiProfile.objects.exists()
        and not get_user_model().objects.exists()
    )


def test_a_signed_launch_opens_the_content_for_a_new_user(client, consumer):
    url = "http://testserver" + LAUNCH_PATH
    response = client.post(LAUNCH_PATH, signed(consumer, url))
    assert response.status_code == 200, response.content[:500]
    config = json.loads(html.unescape(SESSION_CONFIG.search(response.content.decode()).group(1)))
    assert config["next"] == f"/lti/1p3/launch/{COURSE}/{PROBLEM}"
    assert "frame-ancestors 'self' https://moodle.example" in response["Content-Security-Policy"]
    page = client.get(config["next"])
    assert page.status_code == 200
    assert "A cyclist rides 30 km" in page.content.decode()
    launch = LtiLaunch.objects.get()
    assert launch.consumer == consumer and launch.tool is None
    assert launch.result_sourcedid.startswith('{"data"')
    profile = LtiProfile.objects.get()
    assert (profile.consumer, profile.sub, profile.name) == (
        consumer,
        "moodle-user-7",
        "Ada Lovelace",
    )
    assert profile.user.username.startswith("lti_")


def test_a_second_launch_of_the_same_user_id_finds_the_same_account(client, consumer):
    url = "http://testserver" + LAUNCH_PATH
    client.post(LAUNCH_PATH, signed(consumer, url))
    client.post(LAUNCH_PATH, signed(consumer, url, lis_person_name_full="Ada King"))
    assert LtiLaunch.objects.count() == 2
    assert LtiProfile.objects.get().name == "Ada King"
    assert get_user_model().objects.count() == 1


def test_username_source_gives_readable_unique_usernames(client, consumer):
    consumer.username_source = "lis_person_contact_email_primary"
    consumer.save()
    get_user_model().objects.create(username="ada")  # taken: never matched, never reused
    url = "http://testserver" + LAUNCH_PATH
    client.post(LAUNCH_PATH, signed(consumer, url))
    client.post(LAUNCH_PATH, signed(consumer, url, user_id="moodle-user-8"))
    names = sorted(p.user.username for p in LtiProfile.objects.all())
    assert all(re.fullmatch(r"ada_[0-9a-f]{8}", n) for n in names), names
    assert len(set(names)) == 2


@pytest.mark.parametrize(
    "change, refusal",
    [
        ({"secret": "not-the-secret"}, "OAuth signature is not valid"),
        ({"timestamp": str(int(time.time()) - 3600)}, "timestamp is too old"),
        ({"resource_link_id": None}, "has no resource_link_id"),
        ({"user_id": None}, "has no user_id"),
        ({"lti_message_type": "ContentItemSelectionRequest"}, "basic-lti-launch-request"),
        ({"lis_outcome_service_url": "javascript:alert(1)"}, "absolute http(s) URL"),
    ],
)
def test_bad_launches_are_refused_and_create_nothing(client, consumer, change, refusal):
    url = "http://testserver" + LAUNCH_PATH
    response = client.post(LAUNCH_PATH, signed(consumer, url, **change))
    assert response.status_code == 403
    assert refusal in response.content.decode()
    assert created_nothing()


def test_an_unknown_consumer_key_is_refused(client, consumer):
    url = "http://testserver" + LAUNCH_PATH
    params = signed(Lti1p1Consumer(consumer_key="who-is-this", shared_secret="x"), url)
    response = client.post(LAUNCH_PATH, params)
    assert response.status_code == 403
    assert "does not know the platform's consumer key" in html.unescape(response.content.decode())
    assert created_nothing()


def test_a_reused_nonce_is_refused(client, consumer):
    url = "http://testserver" + LAUNCH_PATH
    params = signed(consumer, url)
    assert client.post(LAUNCH_PATH, params).status_code == 200
    replay = client.post(LAUNCH_PATH, params)
    assert replay.status_code == 403
    assert "already used" in replay.content.decode()
    assert LtiLaunch.objects.count() == 1


def test_a_signature_for_another_url_is_refused(client, consumer):
    params = signed(consumer, f"http://testserver/lti/1p1/launch/{COURSE}/other")
    assert client.post(LAUNCH_PATH, params).status_code == 403
    assert created_nothing()


def test_content_outside_the_consumers_gate_is_refused(client, consumer):
    consumer.allowed_courses = ["course-v1:Other+X+1"]
    consumer.save()
    url = "http://testserver" + LAUNCH_PATH
    response = client.post(LAUNCH_PATH, signed(consumer, url))
    assert response.status_code == 403
    assert not LtiLaunch.objects.exists()


def test_an_inactive_consumer_is_refused(client, consumer):
    consumer.is_active = False
    consumer.save()
    url = "http://testserver" + LAUNCH_PATH
    assert client.post(LAUNCH_PATH, signed(consumer, url)).status_code == 403
    assert created_nothing()


def test_outcomes_go_only_to_the_consumers_site(client, consumer):
    url = "http://testserver" + LAUNCH_PATH
    params = signed(consumer, url, lis_outcome_service_url="https://169.254.169.254/latest")
    client.post(LAUNCH_PATH, params)
    answer(LtiLaunch.objects.get(), Q1)
    assert deliver_until_settled() == ["failed"]
    row = ScorePassback.objects.get()
    assert "169.254.169.254 is not a host" in row.last_error
    assert row.last_attempt_at is not None


# End to end: the built-in LMS as an LTI 1.1 consumer, over loopback HTTP.


def lti1p1_launch(browser: requests.Session, site: str, link: str, learner: str = "alice"):
    """Launch a demo link over LTI 1.1 as a browser without JavaScript does."""
    form = browser.get(f"{site}/lms/lti1p1/launch/{link}/", params={"learner": learner}, timeout=10)
    assert form.status_code == 200, form.text[:500]
    action = html.unescape(ACTION.search(form.text).group(1))
    fields = {html.unescape(k): html.unescape(v) for k, v in FIELD.findall(form.text)}
    page = browser.post(action, data=fields, timeout=10, allow_redirects=False)
    assert page.status_code == 200, page.text[:1000]
    config = json.loads(html.unescape(SESSION_CONFIG.search(page.text).group(1)))
    return browser.get(site + config["next"], timeout=10)


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


def test_launch_statement_counts_are_pinned(client, consumer, django_assert_max_num_queries):
    """A new learner's LTI 1.1 launch (14), then a returning one (7), BEGIN and COMMIT included."""
    url = "http://testserver" + LAUNCH_PATH
    with django_assert_max_num_queries(14):
        assert client.post(LAUNCH_PATH, signed(consumer, url)).status_code == 200
    with django_assert_max_num_queries(7):
        assert client.post(LAUNCH_PATH, signed(consumer, url)).status_code == 200


def test_the_command_makes_a_consumer_and_shows_the_secret_once(capsys):
    from django.core.management import call_command

    args = ["--title", "Sakai", "--site-origin", "https://sakai.example", "--allow-org", "OpenedX"]
    call_command("lti_register_lti1p1_consumer", *args, "--base-url", "https://lms.example")
    consumer = Lti1p1Consumer.objects.get()
    first = capsys.readouterr().out
    assert consumer.shared_secret in first and consumer.consumer_key in first
    assert f"https://lms.example/lti/1p1/consumers/{consumer.consumer_key}/config.xml" in first
    call_command("lti_register_lti1p1_consumer", *args, "--consumer-key", consumer.consumer_key)
    again = capsys.readouterr().out
    assert "Updated" in again and consumer.shared_secret not in again
    assert Lti1p1Consumer.objects.count() == 1


def test_the_admin_shows_the_secret_once_and_needs_a_site(admin_client):
    data = {
        "title": "Blackboard",
        "organization": "",
        "is_active": "on",
        "site_origins": "https://bb.example\nhttps://bb.example/",
        "username_source": "",
        "allowed_courses": COURSE,
    }
    url = "/admin/lti_1p3_provider/lti1p1consumer/add/"
    refused = admin_client.post(url, {**data, "site_origins": ""})
    assert refused.status_code == 200 and not Lti1p1Consumer.objects.exists()
    response = admin_client.post(url, data, follow=True)
    consumer = Lti1p1Consumer.objects.get()
    assert consumer.site_origins == ["https://bb.example"]
    assert consumer.shared_secret in response.content.decode()
    page = admin_client.get(f"/admin/lti_1p3_provider/lti1p1consumer/{consumer.pk}/change/")
    assert page.status_code == 200
    assert consumer.consumer_key in page.content.decode()
    assert consumer.shared_secret not in page.content.decode()
    changed = admin_client.post(
        f"/admin/lti_1p3_provider/lti1p1consumer/{consumer.pk}/change/",
        {**data, "title": "Blackboard Learn"},
    )
    assert changed.status_code == 302
    consumer.refresh_from_db()
    assert consumer.title == "Blackboard Learn"
    listing = admin_client.get("/admin/lti_1p3_provider/lti1p1consumer/")
    assert listing.status_code == 200 and "Blackboard Learn" in listing.content.decode()


def test_admin_lists_and_the_api_show_lti1p1_rows(client, admin_client, consumer):
    url = "http://testserver" + LAUNCH_PATH
    client.post(LAUNCH_PATH, signed(consumer, url))
    answer(LtiLaunch.objects.get(), Q1)
    for model in ("ltilaunch", "scorepassback", "ltiprofile"):
        page = admin_client.get(f"/admin/lti_1p3_provider/{model}/")
        assert page.status_code == 200, model
        assert "Moodle 3.9 (LTI 1.1)" in page.content.decode() or model == "scorepassback"
    launches = admin_client.get("/lti/1p3/api/v1/launches/").json()["results"]
    assert launches[0]["registration"] is None
    assert launches[0]["lti1p1_consumer"] == consumer.pk
    passbacks = admin_client.get("/lti/1p3/api/v1/passbacks/").json()["results"]
    assert passbacks[0]["lti1p1_consumer"] == consumer.pk


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


LTI1P1_PARAMETERS = [
    "lti_message_type",
    "lti_version",
    "resource_link_id",
    "user_id",
    "roles",
    "lis_person_name_full",
    "lis_person_name_given",
    "lis_person_contact_email_primary",
    "lis_outcome_service_url",
    "lis_result_sourcedid",
    "context_id",
    "context_title",
    "launch_presentation_locale",
]
TEXT = st.text(max_size=300) | st.sampled_from(["", " ", "x" * 2000, "https://", "\x00", "é"])


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(changes=st.dictionaries(st.sampled_from(LTI1P1_PARAMETERS), TEXT | st.none(), max_size=5))
def test_randomly_shaped_signed_lti1p1_launches_never_give_a_500(consumer, changes):
    """Validly signed launches with random values: a page or a refusal, never a 500 or a row
    left behind by a refusal."""
    client = DjangoClient()
    before = (get_user_model().objects.count(), LtiLaunch.objects.count())
    params = signed(consumer, "http://testserver" + LAUNCH_PATH, **changes)
    response = client.post(LAUNCH_PATH, params)
    assert response.status_code < 500, response.content[:500]
    if response.status_code != 200:
        assert "For the site administrator" in response.content.decode()
        assert (get_user_model().objects.count(), LtiLaunch.objects.count()) == before
