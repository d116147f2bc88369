"""The openedx backend, run against a behaving fake of the edx-platform names it uses."""

from __future__ import annotations

import importlib

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from opaque_keys.edx.keys import CourseKey, UsageKey

from lti_1p3_provider.edxapp import api
from lti_1p3_provider.edxapp.openedx import OpenedxBackend
from lti_1p3_provider.edxapp.sandbox.backend import find_block
from tests.conftest import FAKE, forget_fake_platform
from tests.helpers import COURSE, PROBLEM, UNIT

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform(monkeypatch):
    monkeypatch.syspath_prepend(str(FAKE))
    state = importlib.import_module("fake_state")
    state.reset()
    yield state
    forget_fake_platform()


@pytest.fixture
def backend(platform) -> OpenedxBackend:
    return OpenedxBackend()


def test_backend_needs_the_platform():
    with pytest.raises(ImportError):
        OpenedxBackend()


def test_blocks_and_not_found(backend, platform):
    unit = backend.get_block(UsageKey.from_string(UNIT))
    assert (unit.block_type, unit.display_name, unit.published) == (
        "vertical",
        "Speed and velocity",
        True,
    )
    assert UsageKey.from_string(PROBLEM) in unit.children
    problem = backend.get_block(UsageKey.from_string(PROBLEM))
    assert problem.weight == 1.0 and problem.graded
    # The LMS reads the published branch: a never-published block does not exist for it.
    platform.unpublished.add(PROBLEM)
    with pytest.raises(api.BlockNotFound):
        backend.get_block(UsageKey.from_string(PROBLEM))
    assert (
        UsageKey.from_string(PROBLEM) not in backend.get_block(UsageKey.from_string(UNIT)).children
    )
    with pytest.raises(api.BlockNotFound):
        backend.get_block(
            UsageKey.from_string("block-v1:OpenedX+DemoX+2026+type@problem+block@missing")
        )
    blocks = backend.course_blocks(CourseKey.from_string(COURSE))
    assert blocks[0].block_type == "course" and len(blocks) > 10
    with pytest.raises(api.BlockNotFound):
        backend.course_blocks(CourseKey.from_string("course-v1:No+Such+Run"))


def test_contains_walks_parents(backend):
    seq = UsageKey.from_string("block-v1:OpenedX+DemoX+2026+type@sequential+block@motion_quiz")
    assert backend.contains(seq, UsageKey.from_string(PROBLEM))
    assert not backend.contains(
        UsageKey.from_string(UNIT),
        UsageKey.from_string("block-v1:OpenedX+DemoX+2026+type@problem+block@energy_q1"),
    )


def test_render_calls_render_xblock_without_enrollment_check(backend, platform):
    request = RequestFactory().get("/")
    response = backend.render_block(request, UsageKey.from_string(PROBLEM))
    assert b"rendered" in response.content
    assert platform.calls == [("render_xblock", PROBLEM, False, True)]


def test_user_profile_enrollment_and_login(backend, platform, client):
    user = backend.create_user("lti_abc", "lti_abc@lti.invalid", "Ada")
    assert not user.has_usable_password()
    assert platform.profiles[user.id] == "Ada"
    backend.update_user_name(user, "Ada King")
    assert platform.profiles[user.id] == "Ada King"
    backend.enroll(user, CourseKey.from_string(COURSE), None)
    backend.enroll(user, CourseKey.from_string(COURSE), None)  # idempotent: enrolled once
    assert [c for c in platform.calls if c[0] == "enroll"] == [
        ("enroll", user.id, COURSE, None, False)
    ]
    request = RequestFactory().get("/")
    request.session = client.session
    request.user = AnonymousUser()
    backend.login(request, user)
    assert request.user == user
    assert request.session["_auth_user_id"] == str(user.pk)
    assert request.session["_auth_user_backend"] == "django.contrib.auth.backends.ModelBackend"
    assert ("mark_user_change_as_expected", user.id) in platform.calls

    # Logging out is the LMS's LogoutView's work: session, the MFEs' cookies, safe sessions.
    from django.http import HttpResponse

    response = HttpResponse()
    backend.logout(request, response)
    assert response.cookies["edxloggedin"]["max-age"] == 0
    assert not request.user.is_authenticated
    assert "_auth_user_id" not in request.session
    assert platform.calls[-2:] == [
        ("delete_logged_in_cookies",),
        ("mark_user_change_as_expected", None),
    ]


def test_scores_and_the_score_signal(backend, platform):
    from lti_1p3_provider.edxapp.sandbox.backend import submit_answer

    user = get_user_model().objects.create_user("learner")
    submit_answer(user, find_block(UsageKey.from_string(PROBLEM)), "20 km/h")
    # Like the LMS: until the grades task has stored the subsection grade, read() says zero.
    assert backend.block_score(user, UsageKey.from_string(UNIT)) == api.BlockScore(0.0, 3.0)
    tasks = importlib.import_module("lms.djangoapps.grades.tasks")
    course_key = CourseKey.from_string(COURSE)
    tasks._update_subsection_grades(course_key, PROBLEM, False, user.id, False)
    assert backend.block_score(user, UsageKey.from_string(UNIT)) == api.BlockScore(1.0, 3.0)
    html = UsageKey.from_string("block-v1:OpenedX+DemoX+2026+type@html+block@speed_intro")
    assert backend.block_score(user, html) is None
    seen = []

    def handler(event):
        seen.append(event)

    backend.connect_score_events(handler)
    # The LMS's signal module, as edx-platform sends it (imported by path: it is the fake).
    signals = importlib.import_module("lms.djangoapps.grades.signals.signals")
    signals.PROBLEM_WEIGHTED_SCORE_CHANGED.send(
        sender=None,
        user_id=user.id,
        course_id=COURSE,
        usage_id=PROBLEM,
        weighted_earned=1.0,
        weighted_possible=1.0,
        only_if_higher=False,
    )
    tasks._update_subsection_grades(course_key, PROBLEM, False, user.id, False)
    assert seen[0] == api.ScoreChanged(user.id, course_key, UsageKey.from_string(PROBLEM), 1.0, 1.0)
    assert isinstance(seen[1], api.SubsectionGraded)
    assert (str(seen[1].subsection_key), seen[1].earned, seen[1].possible) == (
        "block-v1:OpenedX+DemoX+2026+type@sequential+block@motion_quiz",
        1.0,
        4.0,
    )
    assert len(seen) == 2


def test_self_check(backend):
    assert backend.self_check() == []


def test_self_check_reports_an_empty_or_broken_store(backend, monkeypatch):
    store_module = importlib.import_module("xmodule.modulestore.django")
    monkeypatch.setattr(store_module.FakeStore, "get_course_summaries", lambda self: [])
    assert backend.self_check() == ["The modulestore answered but holds no course yet."]

    def broken(self):
        raise ConnectionError("mongo is down")

    monkeypatch.setattr(store_module.FakeStore, "get_course_summaries", broken)
    assert "mongo is down" in backend.self_check()[0]
