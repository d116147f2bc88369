"""Open edX launches our content: lti-consumer-xblock's own consumer as the platform, over
loopback HTTP (how one Open edX site shows another's content through its LTI component)."""

from __future__ import annotations

import html
import json
import re

import pytest
import requests

from lti_1p3_provider.models import LtiLaunch, LtiProfile, PassbackStatus, ScorePassback
from lti_1p3_provider.services.platform_registration import (
    PlatformRegistration,
    register_platform,
)
from tests.e2e import past_storage_login, rows
from tests.helpers import COURSE, PROBLEM
from tests.openedx_consumer import OpenEdxLms
from tests.passback_helpers import answer, deliver_until_settled, make_due

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SEQUENCE = "block-v1:OpenedX+DemoX+2026+type@sequential+block@energy_quiz"
FORM = re.compile(r'<form method="post" action="(?P<action>[^"]+)">(?P<fields>.*?)</form>', re.S)
FIELD = re.compile(r'name="(?P<name>[^"]+)" value="(?P<value>[^"]*)"')
AUTOPOST = re.compile(r'action="(?P<action>[^"]+)".*?name="JWT" value="(?P<jwt>[^"]+)"', re.S)


@pytest.fixture
def openedx(live_server, settings):
    """An Open edX LMS whose LTI component points at a problem of ours, registered with us."""
    settings.PLATFORM_NAME = "Remote Open edX"
    with OpenEdxLms(live_server.url, f"{live_server.url}/lti/1p3/launch/{COURSE}/{PROBLEM}") as lms:
        register(lms)
        yield lms


def register(lms: OpenEdxLms) -> None:
    register_platform(
        PlatformRegistration(
            title="Remote Open edX",
            issuer=lms.issuer,
            client_id=lms.client_id,
            auth_login_url=f"{lms.base}/api/lti_consumer/v1/launch/",
            auth_token_url=f"{lms.base}/api/lti_consumer/v1/token/7",
            key_set_url=f"{lms.base}/api/lti_consumer/v1/public_keysets/7",
            deployment_ids=(lms.deployment_id,),
            allowed_courses=(COURSE,),
        )
    )


def launch(browser: requests.Session, lms: OpenEdxLms, **start: object) -> requests.Response:
    """Open the component: the tool's login, the LMS's auth answer, the id_token POST."""
    login = past_storage_login(browser, browser.get(lms.start(**start), timeout=10))  # type: ignore[arg-type]
    form = FORM.search(login.text)
    assert form, login.text[:1000]
    fields = {m["name"]: html.unescape(m["value"]) for m in FIELD.finditer(form["fields"])}
    return browser.post(html.unescape(form["action"]), data=fields, allow_redirects=False)


def test_a_learner_launches_the_component_and_the_score_reaches_its_line_item(openedx):
    browser = requests.Session()
    launched = launch(browser, openedx, learner=12)
    assert launched.status_code == 302, launched.text[:1000]
    page = browser.get(openedx.tool + launched.headers["Location"], timeout=10)
    assert "A cyclist rides 30 km" in page.text
    record = LtiLaunch.objects.get()
    assert record.lineitem_url == openedx.lineitem_url
    assert record.context_id == "course-v1:Remote+LTI+2026"
    assert LtiProfile.objects.get().sub == "ext-0012"  # the component's external user id

    answer(record, PROBLEM)
    assert deliver_until_settled() == ["sent"]
    held = openedx.scores["ext-0012"]
    assert (held["scoreGiven"], held["scoreMaximum"]) == (1.0, 1.0)
    assert (held["activityProgress"], held["gradingProgress"]) == ("Completed", "FullyGraded")


def test_a_score_the_lms_already_holds_is_not_reported_failed_when_sent_again(openedx):
    # The score reached the LMS but its answer was lost (a timeout): the retry carries the same
    # timestamp, which Open edX's score endpoint answers 400 "already exists".
    browser = requests.Session()
    launch(browser, openedx, learner=3)
    answer(LtiLaunch.objects.get(), PROBLEM)
    row = ScorePassback.objects.get()
    assert deliver_until_settled() == ["sent"]
    ScorePassback.objects.filter(pk=row.pk).update(status=PassbackStatus.PENDING)
    make_due(row)
    assert deliver_until_settled() == ["sent"]
    assert openedx.score_answers == [201, 400]
    assert ScorePassback.objects.get().status == PassbackStatus.SENT


def test_a_teacher_deep_links_a_problem_and_learners_launch_it(live_server, settings):
    # With deep linking the component's Tool Launch URL is the redirect URI; each launch of a
    # chosen item logs in for that URL but signs the item's URL as its target.
    settings.PLATFORM_NAME = "Remote Open edX"
    with OpenEdxLms(live_server.url, f"{live_server.url}/lti/1p3/launch/", True) as lms:
        register(lms)
        teacher = requests.Session()
        picker = launch(
            teacher, lms, learner=1, role="instructor", message_type="LtiDeepLinkingRequest"
        )
        assert picker.status_code == 302, picker.text[:1000]
        chosen = teacher.post(
            lms.tool + picker.headers["Location"],
            data={"usage_key": [PROBLEM, SEQUENCE], "add": "1"},
        )
        answer_form = AUTOPOST.search(chosen.text)
        assert answer_form, chosen.text[:1000]
        saved = teacher.post(
            html.unescape(answer_form["action"]), data={"JWT": html.unescape(answer_form["jwt"])}
        )
        assert saved.status_code == 200  # the component's own item serializers accepted them
        assert [(i["url"], i["lineItem"]["scoreMaximum"]) for i in lms.content_items] == [
            (f"{lms.tool}/lti/1p3/launch/{COURSE}/{PROBLEM}", 1.0),
            (f"{lms.tool}/lti/1p3/launch/{COURSE}/{SEQUENCE}", 2.0),
        ]

        learner = requests.Session()
        launched = launch(learner, lms, learner=5, item=0)
        assert launched.status_code == 302, launched.text[:1000]
        assert launched.headers["Location"] == f"/lti/1p3/launch/{COURSE}/{PROBLEM}"
        assert "A cyclist rides 30 km" in learner.get(lms.tool + launched.headers["Location"]).text
        assert str(LtiLaunch.objects.get(profile__sub="ext-0005").usage_key) == PROBLEM


def test_a_score_older_than_the_one_the_lms_holds_is_settled_not_failed(openedx):
    browser = requests.Session()
    launch(browser, openedx, learner=4)
    newer = {"timestamp": "2999-01-01T00:00:00+00:00", "scoreGiven": 0.0, "scoreMaximum": 1.0}
    openedx.scores["ext-0004"] = newer
    answer(LtiLaunch.objects.get(), PROBLEM)
    assert deliver_until_settled() == ["sent"]
    assert openedx.score_answers == [400]
    assert openedx.scores["ext-0004"] is newer  # the LMS kept its newer score


@pytest.mark.parametrize(
    ("body", "held"),
    [
        ({"timestamp": ["Score already exists for the provided timestamp"]}, True),
        ({"timestamp": ["Score timestamp can only be updated to a later point in time"]}, True),
        ({"timestamp": ["Datetime has wrong format."]}, False),
        ({"scoreMaximum": ["scoreMaximum must be a positive number."]}, False),
        ({"timestamp": "already exists"}, False),
        ("already exists", False),
    ],
)
def test_only_a_refused_timestamp_counts_as_a_score_already_held(body, held):
    from lti_1p3_provider import outbound
    from lti_1p3_provider.grades import ags

    answer_ = outbound.Answer(400, "Bad Request", content=json.dumps(body).encode())
    assert ags._timestamp_not_newer(answer_) is held


def test_a_teacher_of_the_remote_course_sees_its_learners_by_name(openedx):
    openedx.enrolled = {1: "instructor", 12: "student", 13: "student"}
    learner = requests.Session()
    launch(learner, openedx, learner=12)
    answer(LtiLaunch.objects.get(), PROBLEM)
    assert deliver_until_settled() == ["sent"]

    teacher = requests.Session()
    launched = launch(teacher, openedx, learner=1, role="instructor")
    panel = teacher.get(openedx.tool + launched.headers["Location"], timeout=10)
    link = re.search(r'class="learners-link" href="([^"]+)"', panel.text)
    assert link, panel.text[:2000]
    page = teacher.get(openedx.tool + html.unescape(link.group(1)), timeout=10)
    assert page.status_code == 200
    assert rows(page.text) == {
        "Learner 1": ("Administrator", "launched", "—"),
        "Learner 12": ("Learner", "launched", "Sent"),
        "Learner 13": ("Learner", "Not yet", "—"),
    }
    assert "learner13@remote.example" in page.text


def test_the_self_check_gets_a_token_from_the_components_token_endpoint(openedx):
    from lti_1p3_provider.services.self_check import run_checks
    from tests.helpers import SigningPlatform
    from tests.jwks_server import KeySetServer

    def token_line():
        return next(r for r in run_checks() if r.name.endswith("grade passback token"))

    assert token_line().ok, token_line().message
    with KeySetServer() as other_keys:  # the component was given another tool's key set URL
        other_keys.keys = [SigningPlatform().jwk]
        openedx.tool_keyset_url = other_keys.url
        refused = token_line()
    assert not refused.ok
    assert "POST 400" in refused.message and "key set URL" in refused.message
