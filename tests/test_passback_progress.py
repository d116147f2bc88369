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
    assert len(reads) == 1  # one read of the LMS's grades per composite delivery
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
