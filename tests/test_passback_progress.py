"""A score's activityProgress through the built-in LMS: how far the learner got (ADR 0018)."""

from __future__ import annotations

import pytest
import requests

from lti_1p3_provider.edxapp import api
from lti_1p3_provider.grades import delivery, progress
from lti_1p3_provider.models import ScorePassback
from tests.passback_helpers import Q1, Q2, answer, launch_link, make_due, received

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_partly_answered_composite_is_in_progress_until_every_problem_has_an_attempt(
    site, monkeypatch
):
    backend = api.backend()
    reads = []
    real_results = backend.problem_results

    def counted(user, usage_key):
        reads.append(usage_key)
        return real_results(user, usage_key)

    monkeypatch.setattr(backend, "problem_results", counted)
    launch = launch_link(site, "rl-speed_unit")  # speed_q1 (1 point) and speed_q2 (2 points)
    answer(launch, Q1, correct=False)
    row = ScorePassback.objects.get()
    make_due(row)
    assert delivery.deliver(row.pk) == "sent"
    assert reads == []  # a unit's progress came with its subsection grade: nothing to read
    page = requests.get(f"{site}/lms/?learner=alice", timeout=10).text
    assert '<small class="progress" title="activityProgress">InProgress</small>' in page
    answer(launch, Q2)
    make_due(row)
    assert delivery.deliver(row.pk) == "sent"
    first, second = received("rl-speed_unit")
    # Graded points either way (platforms drop scores that are not FullyGraded); the progress
    # says whether the learner has tried every problem yet, a wrong answer counting as a try.
    assert (first.score_given, first.activity_progress, first.grading_progress) == (
        0.0,
        "InProgress",
        "FullyGraded",
    )
    assert (second.score_given, second.activity_progress, second.grading_progress) == (
        2.0,
        "Completed",
        "FullyGraded",
    )


def test_a_composite_whose_content_was_deleted_keeps_its_score_completed(site, monkeypatch):
    launch = launch_link(site, "rl-speed_unit")
    answer(launch, Q1)
    row = ScorePassback.objects.get()
    assert row.activity_progress == "InProgress"  # recorded from the subsection grade
    # A row recorded before progress came with the grade is read when sent, as a section is.
    row.activity_progress = ""
    assert progress.activity_progress(row, progress.composite_problems(row)) == "InProgress"

    def deleted(user, usage_key):
        raise api.BlockNotFound(str(usage_key))

    monkeypatch.setattr(api.backend(), "problem_results", deleted)
    assert progress.composite_problems(row) is None
    assert progress.activity_progress(row, None) == "Completed"


def test_a_problems_own_score_is_completed_without_reading_the_lms(site, monkeypatch):
    def unexpected(user, usage_key):
        raise AssertionError("a problem's delivery reads no composite")

    monkeypatch.setattr(api.backend(), "problem_results", unexpected)
    launch = launch_link(site, "rl-speed_q1")
    answer(launch, Q1, correct=False)
    assert delivery.deliver(ScorePassback.objects.get().pk) == "sent"
    [score] = received("rl-speed_q1")
    assert (score.activity_progress, score.grading_progress) == ("Completed", "FullyGraded")


def test_a_unit_whose_last_problem_is_answered_wrongly_turns_completed(site, monkeypatch):
    def unexpected(user, usage_key):
        raise AssertionError("a unit's progress comes with its subsection grade")

    monkeypatch.setattr(api.backend(), "problem_results", unexpected)
    launch = launch_link(site, "rl-speed_unit")  # speed_q1 (1 point) and speed_q2 (2 points)
    answer(launch, Q1, correct=False)
    row = ScorePassback.objects.get()
    assert (row.score_given, row.score_maximum, row.activity_progress) == (0.0, 3.0, "InProgress")
    make_due(row)
    assert delivery.deliver(row.pk) == "sent"
    # The second wrong answer leaves the points at 0 of 3, but every problem is tried now.
    answer(launch, Q2, correct=False)
    row.refresh_from_db()
    assert (row.status, row.score_given, row.activity_progress) == ("pending", 0.0, "Completed")
    make_due(row)
    assert delivery.deliver(row.pk) == "sent"
    first, second = received("rl-speed_unit")
    assert (first.score_given, first.activity_progress) == (0.0, "InProgress")
    assert (second.score_given, second.activity_progress) == (0.0, "Completed")
    # The same answer again changes nothing: no new delivery.
    answer(launch, Q2, correct=False)
    row.refresh_from_db()
    assert row.status == "sent"
