"""The openedx backend against the fake's real shapes: signals, enrollment and render refusals."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model

from lti_1p3_provider.edxapp import api
from lti_1p3_provider.edxapp.score_events import receiver_errors
from lti_1p3_provider.grades import progress
from lti_1p3_provider.grades.receivers import on_score_changed
from lti_1p3_provider.models import LtiLaunch, ScorePassback
from tests.helpers import COURSE, PROBLEM, launch

CONTENT = f"/lti/1p3/launch/{COURSE}/{PROBLEM}"
pytestmark = pytest.mark.django_db


def score_signal():
    signal = importlib.import_module("lms.djangoapps.grades.signals.signals")
    api.connect_score_events(on_score_changed)
    return signal.PROBLEM_WEIGHTED_SCORE_CHANGED


def weighted_score_kwargs(user_id, **overrides):
    """PROBLEM_WEIGHTED_SCORE_CHANGED's kwargs as grades/signals/handlers.py sends them."""
    return {
        "weighted_earned": 1.0,
        "weighted_possible": 1.0,
        "user_id": user_id,
        "anonymous_user_id": "anon",
        "course_id": COURSE,
        "usage_id": PROBLEM,
        "only_if_higher": False,
        "modified": datetime(2026, 11, 23, 12, 0, tzinfo=UTC),
        "score_deleted": False,
        "score_db_table": "csm",
        **overrides,
    }


def send(signal, user_id, **overrides):
    # Signal.send, not send_robust: a receiver error would reach us here
    signal.send(sender=None, **weighted_score_kwargs(user_id, **overrides))


def frame_ancestors(response) -> str:
    return response.headers.get("Content-Security-Policy", "")


def test_library_content_scores_are_skipped_without_error(edx, client, platform, tool):
    signal = score_signal()
    launch(client, platform)
    user_id = LtiLaunch.objects.get().user_id
    send(signal, user_id, course_id="lib:OpenedX:physics", usage_id="lb:OpenedX:physics:problem:p1")
    assert not ScorePassback.objects.exists()
    assert receiver_errors() == 0


def test_a_staff_reset_passes_back_zero_against_the_real_maximum(edx, client, platform, tool):
    signal = score_signal()
    launch(client, platform)
    user_id = LtiLaunch.objects.get().user_id
    send(signal, user_id, weighted_earned=0.0, weighted_possible=0.0, score_deleted=True)
    row = ScorePassback.objects.get()
    assert (row.score_given, row.score_maximum) == (0.0, 1.0)
    assert row.scored_at == datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    # AGS: "Initialized" is an activity not started, or reset for that learner (ADR 0018).
    assert progress.activity_progress(row, None) == "Initialized"
    send(signal, user_id, modified=datetime(2026, 11, 23, 12, 5, tzinfo=UTC))  # answered again
    assert progress.activity_progress(ScorePassback.objects.get(), None) == "Completed"


def test_none_scores_are_skipped(edx, client, platform, tool):
    signal = score_signal()
    launch(client, platform)
    user_id = LtiLaunch.objects.get().user_id
    send(signal, user_id, weighted_earned=None)
    send(signal, user_id, weighted_possible=None)
    send(signal, None)
    assert not ScorePassback.objects.exists()


def test_only_if_higher_never_lowers_the_score(edx, client, platform, tool):
    signal = score_signal()
    launch(client, platform)
    user_id = LtiLaunch.objects.get().user_id
    send(signal, user_id, weighted_earned=1.0, weighted_possible=1.0)
    send(signal, user_id, weighted_earned=0.0, weighted_possible=1.0, only_if_higher=True)
    assert ScorePassback.objects.get().score_given == 1.0


def test_a_failing_receiver_never_reaches_the_learners_submit(edx, caplog):
    from lti_1p3_provider.edxapp.score_events import connect_weighted_score_signal
    from lti_1p3_provider.services.self_check import check_score_receiver

    signal = importlib.import_module("lms.djangoapps.grades.signals.signals")

    def broken_handler(event):
        raise RuntimeError("database is gone")

    connect_weighted_score_signal(signal.PROBLEM_WEIGHTED_SCORE_CHANGED, "test", broken_handler)
    send(signal.PROBLEM_WEIGHTED_SCORE_CHANGED, 7)  # would raise here if the receiver leaked
    assert receiver_errors() == 1
    assert "user_id=7 course_id=course-v1:OpenedX+DemoX+2026" in caplog.text
    assert not check_score_receiver().ok


def test_enrollment_refused_by_a_filter_is_a_framed_page(edx, client, platform, tool):
    edx.enrollment_filter[COURSE] = "Invitation only"
    response = launch(client, platform)
    assert response.status_code == 403
    page = response.content.decode()
    assert (
        "You could not be enrolled in this course" in page and "For the site administrator" in page
    )
    assert "frame-ancestors 'self' https://platform.example" in frame_ancestors(response)
    assert not LtiLaunch.objects.exists() and get_user_model().objects.count() == 0


def test_enrollment_can_be_turned_off(edx, client, platform, tool, settings):
    settings.LTI_1P3_PROVIDER_ENROLL = False
    edx.enrollment_filter[COURSE] = "Invitation only"
    assert launch(client, platform).status_code == 302
    assert not [c for c in edx.calls if c[0] == "enroll"]


@pytest.mark.parametrize(
    ("outcome", "status", "title"),
    [
        (("404",), 404, "does not exist or is not published"),
        (("status", 403), 403, "cannot be shown to you right now"),
        (("status", 400), 403, "cannot be shown to you right now"),
        (
            ("redirect", "block-v1:OpenedX+DemoX+2026+type@sequential+block@motion_quiz"),
            403,
            "cannot be shown to you right now",
        ),
    ],
    ids=["404", "403", "400", "gated-sequence-redirect"],
)
def test_render_refusals_are_framed_provider_pages(
    edx, client, platform, tool, outcome, status, title
):
    assert launch(client, platform).status_code == 302
    edx.render_outcomes[PROBLEM] = outcome
    response = client.get(CONTENT)
    assert response.status_code == status
    assert title in response.content.decode()
    assert "X-Frame-Options" not in response.headers
    assert "frame-ancestors 'self' https://platform.example" in frame_ancestors(response)


def test_login_backend_without_a_model_backend(edx, settings):
    from lti_1p3_provider.edxapp.openedx import _login_backend

    settings.AUTHENTICATION_BACKENDS = ["tests.auth_backends.TenantBackend"]
    assert _login_backend() == "tests.auth_backends.TenantBackend"
    settings.AUTHENTICATION_BACKENDS = [
        "tests.auth_backends.TenantBackend",
        "common.djangoapps.student.auth.EdxRateLimitedAllowAllUsersModelBackend",
    ]
    assert _login_backend().endswith("EdxRateLimitedAllowAllUsersModelBackend")


def test_profile_name_updates_go_through_save(edx):
    from lti_1p3_provider.edxapp.openedx import OpenedxBackend

    backend = OpenedxBackend()
    user = backend.create_user("lti_x", "lti_x@lti.invalid", "Ada")
    backend.update_user_name(user, "Ada King")
    assert ("profile_saved", user.id, "Ada King") in edx.calls
