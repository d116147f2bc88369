"""Composite launches take their scores from what the LMS has stored (ADR 0004).

The fake grades task stores a subsection grade and then sends SUBSECTION_SCORE_CHANGED, as
lms/djangoapps/grades/tasks.py does; until it has run, CourseGradeFactory().read() reads zero.
"""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.utils import timezone
from opaque_keys.edx.keys import CourseKey, UsageKey

from lti_1p3_provider.edxapp import api
from lti_1p3_provider.edxapp.sandbox.backend import find_block
from lti_1p3_provider.edxapp.sandbox.models import SandboxScore
from lti_1p3_provider.edxapp.score_events import receiver_errors
from lti_1p3_provider.grades import progress
from lti_1p3_provider.grades.receivers import on_score_changed
from lti_1p3_provider.models import LtiLaunch, ScorePassback
from tests.helpers import COURSE, PROBLEM, UNIT, launch, target_uri

pytestmark = pytest.mark.django_db
Q2 = "block-v1:OpenedX+DemoX+2026+type@problem+block@speed_q2"
ACCEL = "block-v1:OpenedX+DemoX+2026+type@problem+block@accel_q1"
ENERGY = "block-v1:OpenedX+DemoX+2026+type@problem+block@energy_q1"
SUBSECTION = "block-v1:OpenedX+DemoX+2026+type@sequential+block@motion_quiz"
SECTION = "block-v1:OpenedX+DemoX+2026+type@chapter+block@week1"


def launched(client, platform, usage_key: str) -> LtiLaunch:
    api.connect_score_events(on_score_changed)
    assert launch(client, platform, target_uri(usage_key)).status_code == 302
    return LtiLaunch.objects.get()


def submit(user, problem: str, answer: str) -> None:
    """The learner submits: the answer is stored and PROBLEM_WEIGHTED_SCORE_CHANGED is sent."""
    signals = importlib.import_module("lms.djangoapps.grades.signals.signals")
    block = find_block(UsageKey.from_string(problem))
    weight = block.weight or 0.0
    score = api.BlockScore(weight if answer == block.data.get("answer") else 0.0, weight)
    # The fake's courseware_studentmodule is the sandbox's score table (no sandbox signals).
    SandboxScore.objects.update_or_create(
        user=user,
        usage_key=block.usage_key,
        defaults={"course_key": block.usage_key.course_key, "answer": answer, **vars(score)},
    )
    signals.PROBLEM_WEIGHTED_SCORE_CHANGED.send(
        sender=None,
        user_id=user.id,
        course_id=COURSE,
        usage_id=problem,
        weighted_earned=score.earned,
        weighted_possible=score.possible,
        only_if_higher=False,
        modified=timezone.now(),
        score_deleted=False,
    )


def grades_task(user, problem: str) -> None:
    """The LMS's grades task for the problem, run later in a worker."""
    tasks = importlib.import_module("lms.djangoapps.grades.tasks")
    tasks._update_subsection_grades(CourseKey.from_string(COURSE), problem, False, user.id, False)


def test_a_unit_waits_for_the_stored_subsection_grade_not_for_a_timer(edx, client, platform, tool):
    record = launched(client, platform, UNIT)
    submit(record.user, PROBLEM, "20 km/h")
    submit(record.user, Q2, "Velocity")
    # The problem events alone write nothing: the LMS has not stored the subsection grade yet,
    # and read() would still say 0 (the race the old timer lost when the grades queue was slow).
    assert not ScorePassback.objects.exists()
    assert api.block_score(record.user, UsageKey.from_string(UNIT)) == api.BlockScore(0.0, 3.0)
    grades_task(record.user, Q2)
    row = ScorePassback.objects.get()
    assert (row.is_composite, row.score_given, row.score_maximum) == (True, 3.0, 3.0)
    assert row.version == 1
    # Both problems carry first_attempted in the stored grade: no course grade read to send it.
    assert row.activity_progress == "Completed"
    assert progress.composite_problems(row) is None


def test_a_subsection_takes_the_stored_totals(edx, client, platform, tool):
    record = launched(client, platform, SUBSECTION)
    submit(record.user, ACCEL, "m/s\u00b2")
    grades_task(record.user, ACCEL)
    row = ScorePassback.objects.get()
    assert (row.score_given, row.score_maximum) == (1.0, 4.0)
    assert row.activity_progress == "InProgress"  # the other problems have no first_attempted


def test_a_section_is_read_from_stored_grades_when_sent(edx, client, platform, tool):
    record = launched(client, platform, SECTION)
    submit(record.user, PROBLEM, "20 km/h")
    grades_task(record.user, PROBLEM)
    row = ScorePassback.objects.get()
    # Sections and courses span several subsections: delivery reads the stored grades.
    assert (row.score_given, row.score_maximum) == (None, None)
    assert api.block_score(record.user, UsageKey.from_string(SECTION)) == api.BlockScore(1.0, 4.0)
    # Delivery reads the section's problems once: the same points, and how far the learner got.
    problems = progress.composite_problems(row)
    assert progress.stored_score(row, problems) == api.BlockScore(1.0, 4.0)
    assert progress.activity_progress(row, problems) == "InProgress"  # 1 of 3 problems tried


def test_a_grade_elsewhere_in_the_course_leaves_the_unit_alone(edx, client, platform, tool):
    record = launched(client, platform, UNIT)
    submit(record.user, ENERGY, "anything")
    grades_task(record.user, ENERGY)  # week2's energy_quiz: not the launched unit's subsection
    assert not ScorePassback.objects.exists()
    submit(record.user, PROBLEM, "20 km/h")
    grades_task(record.user, PROBLEM)
    submit(record.user, ACCEL, "m/s\u00b2")
    grades_task(record.user, ACCEL)  # same subsection, the unit's score unchanged: no new version
    row = ScorePassback.objects.get()
    assert (row.version, row.score_given, row.score_maximum) == (1, 1.0, 3.0)


def test_a_problem_launch_is_not_made_composite_by_its_subsection(edx, client, platform, tool):
    record = launched(client, platform, PROBLEM)
    submit(record.user, PROBLEM, "20 km/h")
    grades_task(record.user, PROBLEM)
    row = ScorePassback.objects.get()
    assert (row.is_composite, row.version, row.score_given, row.score_maximum) == (
        False,
        1,
        1.0,
        1.0,
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"user": None, "subsection_grade": None},
        {"user": SimpleNamespace(id=1), "subsection_grade": object()},
        {
            "user": SimpleNamespace(id=1),
            "subsection_grade": SimpleNamespace(
                location=UsageKey.from_string(SUBSECTION),
                all_total=SimpleNamespace(earned=None, possible=4.0),
                problem_scores={},
            ),
        },
    ],
)
def test_odd_subsection_signals_are_skipped_without_error(edx, kwargs):
    signals = importlib.import_module("lms.djangoapps.grades.signals.signals")
    api.connect_score_events(on_score_changed)
    signals.SUBSECTION_SCORE_CHANGED.send(sender=None, course=None, course_structure=None, **kwargs)
    assert not ScorePassback.objects.exists()
    assert receiver_errors() == 0


def test_a_failing_subsection_receiver_never_reaches_the_grades_task(edx, client, platform, tool):
    record = launched(client, platform, UNIT)
    submit(record.user, PROBLEM, "20 km/h")
    signals = importlib.import_module("lms.djangoapps.grades.signals.signals")

    def broken(event):
        raise RuntimeError("database is gone")

    from lti_1p3_provider.edxapp.score_events import connect_subsection_signal

    connect_subsection_signal(signals.SUBSECTION_SCORE_CHANGED, "test", broken)
    grades_task(record.user, PROBLEM)  # would raise here if the receiver leaked
    assert receiver_errors() == 1
    assert ScorePassback.objects.get().score_given == 1.0  # the provider's own receiver ran
