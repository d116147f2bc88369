"""Submission review (LTI Submission Review Service 1.0): from a learner's score in the
gradebook, a teacher (or the learner) sees the points of each problem of the launched content
and where the score sent to the gradebook stands; nobody is logged in, nothing is written."""

from __future__ import annotations

import html
import importlib
import json
import re
from datetime import UTC, datetime
from urllib.parse import unquote

import pytest
import requests
from django.test import Client
from opaque_keys.edx.keys import CourseKey, UsageKey

from bench.loadtest import browser_session
from demo.lms.deep_linking import TEACHER
from demo.lms.models import DemoLineItem
from lti_1p3_provider.core import claims as c
from lti_1p3_provider.core.submission_review import CLAIM_FOR_USER
from lti_1p3_provider.edxapp.sandbox.backend import find_block, submit_answer
from lti_1p3_provider.exceptions import InvalidClaim
from lti_1p3_provider.grades.delivery import deliver
from lti_1p3_provider.models import LaunchGate, LtiLaunch, LtiProfile, ScorePassback
from tests.e2e import launch_form_in, post_launch
from tests.helpers import COURSE, DROP, HOST, PROBLEM, UNIT, error_detail, launch, target_uri
from tests.passback_helpers import Q1, answer, deliver_until_settled, launch_link
from tests.scripted_server import Reply, ScriptedServer
from tests.test_passback_lineitems import LINK, _row
from tests.test_roster import teacher_page

pytestmark = pytest.mark.django_db
REVIEW = "LtiSubmissionReviewRequest"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
Q2 = "block-v1:OpenedX+DemoX+2026+type@problem+block@speed_q2"


def review(platform, target=None, *, client=None, **overrides):
    """A teacher's review of learner-1's work, launched from the gradebook."""
    claims = {
        c.CLAIM_MESSAGE_TYPE: REVIEW,
        "sub": "teacher-1",
        "name": "Grace Hopper",
        "email": DROP,
        c.CLAIM_ROLES: [INSTRUCTOR],
        CLAIM_FOR_USER: {"user_id": "learner-1", "name": "Ada Lovelace", "roles": [LEARNER]},
        **overrides,
    }
    return launch(client or Client(), platform, target or target_uri(UNIT), **claims)


def learner_answers_q1(client, platform):
    """learner-1 opens the unit from the course and answers its first problem right."""
    assert launch(client, platform, target_uri(UNIT)).status_code == 302
    user = LtiProfile.objects.get(sub="learner-1").user
    submit_answer(user, find_block(UsageKey.from_string(PROBLEM)), "20 km/h")
    return user


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def test_a_teacher_sees_each_problem_and_the_gradebook_score(client, platform, tool):
    learner_answers_q1(client, platform)
    teacher = Client()
    page = review(platform, client=teacher)
    assert page.status_code == 200, page.content[:600]
    text = text_of(page)
    assert "Submission of Ada Lovelace" in text and "Speed and velocity" in text
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td>\s*<td>(.*?)</td></tr>", text, re.S)
    assert rows == [("Average speed", "1 / 1", "yes"), ("Velocity", "0 / 2", "not yet")]
    assert re.search(r'id="points">1 / 3<', text)
    assert "On its way" in text  # the composite's score waits for its window
    assert platform.issuer.split("//")[1] in page["Content-Security-Policy"]
    assert "_auth_user_id" not in teacher.session  # the teacher is not logged in as anyone
    assert LtiProfile.objects.filter(sub="teacher-1").count() == 0  # nor given an account
    assert LtiLaunch.objects.count() == 1  # the review records no launch


def test_the_learner_may_review_their_own_work(client, platform, tool):
    learner_answers_q1(client, platform)
    mine = review(platform, sub="learner-1", **{c.CLAIM_ROLES: [LEARNER]})
    assert mine.status_code == 200
    assert "Average speed" in text_of(mine)


def test_another_learner_may_not(client, platform, tool):
    learner_answers_q1(client, platform)
    page = review(platform, sub="learner-2", **{c.CLAIM_ROLES: [LEARNER]})
    assert page.status_code == 403
    assert "teachers, or the learner" in error_detail(page)
    assert "Average speed" not in text_of(page)
    assert platform.issuer.split("//")[1] in page["Content-Security-Policy"]  # framed error


def test_a_learner_who_never_opened_the_content_has_nothing_to_review(client, platform, tool):
    learner_answers_q1(client, platform)
    for_other = {"user_id": "learner-9", "given_name": "Lin", "family_name": "Ye"}
    page = review(platform, **{CLAIM_FOR_USER: for_other})
    assert page.status_code == 200 and 'id="no-submission"' in page.content.decode()
    assert "Submission of Lin Ye" in text_of(page)
    other_course = review(platform, **{c.CLAIM_CONTEXT: {"id": "ctx-2"}})
    assert 'id="no-submission"' in other_course.content.decode()  # opened in ctx-1 only
    assert "<table" not in other_course.content.decode()


def test_a_review_sent_to_the_tool_url_finds_the_content_by_line_item(client, platform, tool):
    learner_answers_q1(client, platform)
    tool_url = f"http://{HOST}/lti/1p3/launch/"
    by_lineitem = review(platform, tool_url, **{c.CLAIM_RESOURCE_LINK: DROP})
    assert by_lineitem.status_code == 200 and "Average speed" in text_of(by_lineitem)
    elsewhere = {"lineitem": "https://platform.example/ags/lineitems/77", "scope": []}
    unknown = review(
        platform, tool_url, **{c.CLAIM_RESOURCE_LINK: DROP, c.CLAIM_AGS_ENDPOINT: elsewhere}
    )
    assert 'id="no-submission"' in unknown.content.decode()


def test_content_behind_two_links_is_reviewed_through_the_reviews_own_link(client, platform, tool):
    learner_answers_q1(client, platform)  # through rl-1
    other = {"id": "rl-2", "title": "Speed again"}
    assert (
        launch(client, platform, target_uri(UNIT), **{c.CLAIM_RESOURCE_LINK: other}).status_code
        == 302
    )
    LtiLaunch.objects.filter(resource_link_id="rl-2").update(
        launched_at=datetime(2030, 1, 1, tzinfo=UTC)
    )
    assert "2030-01-01" not in text_of(review(platform))  # the review names rl-1
    unknown_link = review(platform, **{c.CLAIM_RESOURCE_LINK: {"id": "rl-9"}})
    assert "2030-01-01" in text_of(unknown_link)  # else the latest launch of the content


def test_content_the_gate_no_longer_admits_is_refused(client, platform, tool):
    learner_answers_q1(client, platform)
    LaunchGate.objects.filter(tool=tool).update(allowed_courses=["course-v1:Other+X+1"])
    tool.save()  # forget the cached registration
    assert review(platform).status_code == 403


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({CLAIM_FOR_USER: DROP}, "for_user"),
        ({CLAIM_FOR_USER: {"user_id": 12}}, "for_user user_id"),
        ({CLAIM_FOR_USER: "learner-1"}, "for_user"),
        ({c.CLAIM_AGS_ENDPOINT: DROP}, "endpoint"),
        ({c.CLAIM_AGS_ENDPOINT: {"scope": []}}, "endpoint lineitem"),
    ],
)
def test_a_malformed_review_is_refused_naming_the_claim(client, platform, tool, overrides, named):
    learner_answers_q1(client, platform)
    page = review(platform, **overrides)
    assert page.status_code == InvalidClaim.status
    assert named in text_of(page)


def test_the_review_page_reads_a_bounded_number_of_rows(
    client, platform, tool, django_assert_max_num_queries
):
    learner_answers_q1(client, platform)
    review(platform)  # the registration is then cached, as on a warm site
    # Login and review: the profile, the launch, the scores (one query for every problem of
    # the content) and the passback row.
    with django_assert_max_num_queries(4):
        assert review(platform).status_code == 200


def test_tool_created_line_items_declare_submission_review(
    loopback_tool, django_user_model, settings
):
    for declared in (True, False):
        settings.LTI_1P3_PROVIDER_SUBMISSION_REVIEW = declared
        routes = {
            "/token": Reply(json.dumps({"access_token": "t", "expires_in": 60}).encode()),
            "GET /li": Reply(b"[]"),
            "/li/1/scores": Reply(b"{}"),
        }
        with ScriptedServer(routes) as server:
            routes["POST /li"] = Reply(
                json.dumps({"id": server.url + "/li/1"}).encode(), status=201
            )
            loopback_tool.auth_token_url = server.url + "/token"
            loopback_tool.save()
            ScorePassback.objects.all().delete()
            LtiLaunch.objects.all().delete()
            django_user_model.objects.filter(username="learner").delete()
            assert deliver(_row(loopback_tool, django_user_model, server.url + "/li").pk) == "sent"
        created = json.loads(server.bodies[server.requests.index(("POST", "/li"))])
        assert created["tag"] == PROBLEM and created["resourceLinkId"] == "rl-1"
        if declared:
            assert created["submissionReview"] == {"reviewableStatus": ["InProgress", "Completed"]}
        else:
            assert "submissionReview" not in created


def test_the_openedx_backend_reads_each_problem_from_the_course_grade(edx, django_user_model):
    from lti_1p3_provider.edxapp import api as edxapp

    user = django_user_model.objects.create(username="learner")
    submit_answer(user, find_block(UsageKey.from_string(Q2)), "Velocity")
    unit = UsageKey.from_string(UNIT)
    # Like the LMS: until the grades task has stored the subsection grade, it reads zero.
    assert [r.attempted for r in edxapp.problem_results(user, unit)] == [False, False]
    tasks = importlib.import_module("lms.djangoapps.grades.tasks")
    tasks._update_subsection_grades(CourseKey.from_string(COURSE), Q2, False, user.id, False)
    results = edxapp.problem_results(user, unit)
    assert [(str(r.usage_key), r.earned, r.possible, r.attempted) for r in results] == [
        (PROBLEM, 0.0, 1.0, False),
        (Q2, 2.0, 2.0, True),
    ]
    assert [r.display_name for r in results] == ["Average speed", "Velocity"]
    assert ("CourseGradeFactory.read", user.id, COURSE) in edx.calls
    edx.unpublished.add(Q2)  # the LMS's grades leave out unpublished problems
    assert [str(r.usage_key) for r in edxapp.problem_results(user, unit)] == [PROBLEM]
    with pytest.raises(edxapp.BlockNotFound):
        edxapp.problem_results(user, unit.replace(block_id="nope"))


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_built_in_lms_gradebook_opens_a_review_of_a_learners_score(site):
    """Through the built-in LMS over loopback HTTP: the tool creates the column with its
    declaration, the gradebook offers "Review" next to Alice's score, and the teacher's click
    launches LtiSubmissionReviewRequest and shows Alice's problem."""
    DemoLineItem.objects.filter(resource_link_id=LINK).update(gradebook_column=False)
    launch = launch_link(site, LINK)
    answer(launch, Q1)
    assert deliver_until_settled() == ["sent"]
    column = DemoLineItem.objects.get(resource_link_id=LINK)
    assert column.submission_review == {"reviewableStatus": ["InProgress", "Completed"]}
    gradebook = requests.get(f"{site}/lms/", timeout=10).text
    review_link = f"/lms/review/{column.pk}/alice/"
    assert f'href="{review_link}"' in gradebook
    teacher = browser_session()
    start = teacher.get(site + review_link, timeout=10)
    page = post_launch(teacher, launch_form_in(teacher, start))
    assert page.status_code == 200, page.text[:800]
    text = html.unescape(page.text)
    assert "Submission of Alice Learner" in text
    assert re.search(r"<tr><td>Average speed</td><td>1 / 1</td>", text)
    assert re.search(r'id="passback">1 / 1, sent ', text)
    assert not LtiProfile.objects.filter(sub=TEACHER["sub"]).exists()  # no account for a look


# The same breakdown from the teachers' learners page (any platform with NRPS)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_learners_page_of_a_link_opens_each_learners_points(site):
    alice = launch_link(site, "rl-speed_q1", "alice")
    answer(alice, Q1)
    browser, learners_url = teacher_page(site, "rl-speed_q1")
    page = browser.get(learners_url, timeout=10).text
    hrefs = [html.unescape(h) for h in re.findall(r'class="work" href="([^"]+)"', page)]
    links = {unquote(href.rsplit("sub=", 1)[1]): href for href in hrefs}
    assert set(links) == {"demo-learner-alice", TEACHER["sub"]}  # who launched; not Carol
    work = browser.get(site + links["demo-learner-alice"], timeout=10)
    assert work.status_code == 200
    text = html.unescape(work.text)
    assert "Submission of Alice Learner" in text
    assert re.search(r"<tr><td>Average speed</td><td>1 / 1</td>", text)
    assert work.headers["Cache-Control"] == "no-store"
    nobody = browser.get(learners_url + "work/?sub=demo-learner-zed", timeout=10)
    assert nobody.status_code == 200 and 'id="no-submission"' in nobody.text


def test_only_a_teachers_scope_of_one_link_opens_a_learners_points(client, platform, tool):
    learner_answers_q1(client, platform)
    as_learner = launch(Client(), platform, target_uri(UNIT), sub="learner-1")
    assert as_learner["Location"].startswith("/lti/1p3/launch/")  # no panel scope for learners
    home = launch(
        Client(),
        platform,
        f"http://{HOST}/lti/1p3/launch/",
        sub="t-1",
        **{c.CLAIM_ROLES: [INSTRUCTOR]},
    )
    scope_id = home["Location"].rstrip("/").split("/")[-1]
    refused = client.get(f"/lti/1p3/teacher/{scope_id}/learners/work/", {"sub": "learner-1"})
    assert refused.status_code == 403  # the course home names no link: no content to break down
    panel = launch(Client(), platform, target_uri(UNIT), sub="t-1", **{c.CLAIM_ROLES: [INSTRUCTOR]})
    scope_id = panel["Location"].rstrip("/").split("/")[-1]
    work = client.get(f"/lti/1p3/teacher/{scope_id}/learners/work/", {"sub": "learner-1"})
    assert work.status_code == 200 and "Average speed" in text_of(work)
