"""LTI 1.1 launches: OAuth 1.0a checks (oauthlib), bounded parameters, the shared pipeline."""

from __future__ import annotations

import html
import json
import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.test import Client as DjangoClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lti_1p3_provider.models import Lti1p1Consumer, LtiLaunch, LtiProfile, ScorePassback
from tests.helpers import COURSE, PROBLEM
from tests.lti1p1_helpers import (
    LAUNCH_PATH,
    SESSION_CONFIG,
    created_nothing,
    signed,
)
from tests.passback_helpers import Q1, answer, deliver_until_settled

pytestmark = pytest.mark.django_db(transaction=True)


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


def test_launch_statement_counts_are_pinned(client, consumer, django_assert_max_num_queries):
    """A new learner's LTI 1.1 launch (14), then a returning one (7), BEGIN and COMMIT included."""
    url = "http://testserver" + LAUNCH_PATH
    with django_assert_max_num_queries(14):
        assert client.post(LAUNCH_PATH, signed(consumer, url)).status_code == 200
    with django_assert_max_num_queries(7):
        assert client.post(LAUNCH_PATH, signed(consumer, url)).status_code == 200


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


def test_each_refusal_logs_one_line_without_secrets_or_pii(client, consumer, caplog):
    caplog.set_level("WARNING", logger="lti_1p3_provider.errors")
    url = "http://testserver" + LAUNCH_PATH
    response = client.post(LAUNCH_PATH, signed(consumer, url, secret="wrong"))
    assert response.status_code == 403
    lines = [r.getMessage() for r in caplog.records if r.name == "lti_1p3_provider.errors"]
    assert len(lines) == 1
    for part in ("reason=bad_oauth_signature", f"consumer={consumer.pk}", consumer.consumer_key):
        assert part in lines[0], lines[0]
    for secret in ("Ada", "ada@moodle.example", "moodle-user-7", consumer.shared_secret):
        assert secret not in lines[0], lines[0]
