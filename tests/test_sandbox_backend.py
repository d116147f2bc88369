"""The sandbox backend behaves like the LMS: real content, real errors, real score events."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from opaque_keys.edx.keys import CourseKey, UsageKey

from lti_1p3_provider.edxapp import api
from lti_1p3_provider.edxapp.sandbox.backend import find_block, submit_answer
from lti_1p3_provider.edxapp.sandbox.signals import (
    PROBLEM_WEIGHTED_SCORE_CHANGED,
    SUBSECTION_SCORE_CHANGED,
)
from lti_1p3_provider.edxapp.score_events import score_dispatch_uid
from tests.helpers import COURSE, PROBLEM, UNIT, UNPUBLISHED

pytestmark = pytest.mark.django_db
SEQUENTIAL = "block-v1:OpenedX+DemoX+2026+type@sequential+block@motion_quiz"


@pytest.fixture
def user():
    return get_user_model().objects.create_user("learner")


def test_course_has_the_promised_structure():
    blocks = api.course_blocks(CourseKey.from_string(COURSE))
    types = [b.block_type for b in blocks]
    assert types[0] == "course"
    for kind in ("chapter", "sequential", "vertical", "html"):
        assert kind in types
    gradable = [b for b in blocks if b.block_type == "problem" and b.published]
    assert len(gradable) >= 5


def test_get_block_reports_type_name_course_children_publication():
    unit = api.get_block(UsageKey.from_string(UNIT))
    assert unit.block_type == "vertical"
    assert unit.display_name == "Speed and velocity"
    assert str(unit.course_key) == COURSE
    assert UsageKey.from_string(PROBLEM) in unit.children
    assert unit.published and unit.graded and unit.is_composite
    assert not api.get_block(UsageKey.from_string(UNPUBLISHED)).published


def test_unknown_block_and_course_raise_not_found():
    with pytest.raises(api.BlockNotFound):
        api.get_block(UsageKey.from_string("block-v1:OpenedX+DemoX+2026+type@problem+block@nope"))
    with pytest.raises(api.BlockNotFound):
        api.course_blocks(CourseKey.from_string("course-v1:No+Such+Course"))


def test_answer_scores_and_sends_both_grade_signals_like_the_lms(user):
    received = []

    def listener(sender, signal, **kwargs):
        received.append((signal, kwargs))

    PROBLEM_WEIGHTED_SCORE_CHANGED.connect(listener)
    SUBSECTION_SCORE_CHANGED.connect(listener)
    try:
        score = submit_answer(user, find_block(UsageKey.from_string(PROBLEM)), "20 km/h")
    finally:
        PROBLEM_WEIGHTED_SCORE_CHANGED.disconnect(listener)
        SUBSECTION_SCORE_CHANGED.disconnect(listener)
    assert (score.earned, score.possible) == (1.0, 1.0)
    [(first, problem), (second, subsection)] = received
    assert first is PROBLEM_WEIGHTED_SCORE_CHANGED and second is SUBSECTION_SCORE_CHANGED
    modified = problem.pop("modified")
    assert modified.tzinfo is not None
    assert problem == {
        "user_id": user.id,
        "course_id": COURSE,
        "usage_id": PROBLEM,
        "weighted_earned": 1.0,
        "weighted_possible": 1.0,
        "only_if_higher": False,
        "score_deleted": False,
    }
    # The stored subsection grade, after the answer: 1 of 4 points in motion_quiz.
    assert set(subsection) == {"course", "course_structure", "user", "subsection_grade"}
    grade = subsection["subsection_grade"]
    assert str(grade.location) == SEQUENTIAL and subsection["user"] == user
    assert (grade.all_total.earned, grade.all_total.possible) == (1.0, 4.0)
    assert len(grade.problem_scores) == 3


def test_leaf_and_composite_scores(user):
    q2 = "block-v1:OpenedX+DemoX+2026+type@problem+block@speed_q2"
    assert api.block_score(user, UsageKey.from_string(UNIT)).earned == 0
    submit_answer(user, find_block(UsageKey.from_string(PROBLEM)), "wrong")
    submit_answer(user, find_block(UsageKey.from_string(q2)), "Velocity")
    assert api.block_score(user, UsageKey.from_string(PROBLEM)) == api.BlockScore(0.0, 1.0)
    assert api.block_score(user, UsageKey.from_string(UNIT)) == api.BlockScore(2.0, 3.0)
    assert api.block_score(user, UsageKey.from_string(SEQUENTIAL)) == api.BlockScore(2.0, 4.0)
    html = "block-v1:OpenedX+DemoX+2026+type@html+block@speed_intro"
    assert api.block_score(user, UsageKey.from_string(html)) is None


def test_score_events_reach_the_connected_handler(user):
    seen: list[api.ScoreChanged] = []

    def handler(event: api.ScoreChanged) -> None:
        seen.append(event)

    api.connect_score_events(handler)
    api.connect_score_events(handler)  # connecting twice keeps one receiver
    try:
        submit_answer(user, find_block(UsageKey.from_string(PROBLEM)), "20 km/h")
    finally:
        PROBLEM_WEIGHTED_SCORE_CHANGED.disconnect(
            dispatch_uid=score_dispatch_uid("sandbox", handler)
        )
        SUBSECTION_SCORE_CHANGED.disconnect(
            dispatch_uid=score_dispatch_uid("sandbox", handler) + ":subsection"
        )
    assert len(seen) == 2
    assert seen[1] == api.SubsectionGraded(
        user.id,
        CourseKey.from_string(COURSE),
        UsageKey.from_string(SEQUENTIAL),
        1.0,
        4.0,
        tuple((p, e, w) for p, e, w in seen[1].problem_scores),
        frozenset([UsageKey.from_string(PROBLEM)]),  # only the answered problem was tried
    )
    assert {(str(p), e, w) for p, e, w in seen[1].problem_scores} == {
        (PROBLEM, 1.0, 1.0),
        ("block-v1:OpenedX+DemoX+2026+type@problem+block@speed_q2", 0.0, 2.0),
        ("block-v1:OpenedX+DemoX+2026+type@problem+block@accel_q1", 0.0, 1.0),
    }
    assert seen[0] == api.ScoreChanged(
        user.id,
        CourseKey.from_string(COURSE),
        UsageKey.from_string(PROBLEM),
        1.0,
        1.0,
        modified=seen[0].modified,
    )
    assert seen[0].modified is not None


def test_answering_through_the_page_requires_enrollment(client, user):
    client.force_login(user)
    url = f"/sandbox/xblock/{PROBLEM}/submit"
    assert client.post(url, {"answer": "20 km/h"}).status_code == 403
    api.enroll(user, CourseKey.from_string(COURSE))
    response = client.post(url, {"answer": "20 km/h", "next": "/lti/1p3/launch/x/y"})
    assert response.status_code == 302
    assert response["Location"].startswith("/lti/1p3/launch/x/y#speed_q1")
    evil = client.post(url, {"answer": "20 km/h", "next": "https://evil.example/"})
    assert evil["Location"].startswith("/#")


def test_unpublished_problem_cannot_be_answered(client, user):
    client.force_login(user)
    api.enroll(user, CourseKey.from_string(COURSE))
    assert client.post(f"/sandbox/xblock/{UNPUBLISHED}/submit", {"answer": "a"}).status_code == 404


def _page(user, usage_key: str, query: str = "") -> str:
    from django.test import RequestFactory

    request = RequestFactory().get("/lti/1p3/launch/x" + query)
    request.user = user
    return api.render_block(request, UsageKey.from_string(usage_key)).content.decode()


def test_a_problem_keeps_the_chosen_answer_and_shows_its_verdict(user):
    submit_answer(user, find_block(UsageKey.from_string(PROBLEM)), "45 km/h")
    text = _page(user, PROBLEM)
    assert 'value="45 km/h" required checked' in text
    assert 'value="20 km/h" required>' in text
    assert "Incorrect" in text and "Score: 0 / 1" in text
    submit_answer(user, find_block(UsageKey.from_string(PROBLEM)), "20 km/h")
    text = _page(user, PROBLEM)
    assert 'value="20 km/h" required checked' in text and "Correct" in text


def test_a_subsection_shows_one_unit_with_previous_and_next(user):
    first = _page(user, SEQUENTIAL)
    assert "A cyclist rides 30 km" in first and "In which unit is acceleration" not in first
    assert 'class="next" href="?unit=accel_unit"' in first and 'class="previous"' not in first
    second = _page(user, SEQUENTIAL, "?unit=accel_unit")
    assert "In which unit is acceleration" in second and "A cyclist rides" not in second
    assert 'class="previous" href="?unit=speed_unit"' in second and 'class="next"' not in second
    assert 'aria-current="page"' in second
    # An answer's return address keeps the unit the learner was on.
    assert 'name="next" value="/lti/1p3/launch/x?unit=accel_unit"' in second
