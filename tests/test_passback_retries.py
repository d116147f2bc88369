"""Retries that learners cannot burn: a time window from the first failure, not a count.

The built-in LMS is the platform (real HTTP, real tokens); its simulated outage answers 503.
"""

from __future__ import annotations

import re
from datetime import timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from django.utils import timezone

from lti_1p3_provider.grades import delivery, retry
from lti_1p3_provider.models import ScorePassback
from tests.passback_helpers import Q1, answer, launch_link, make_due, received, simulate_outage

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SETTINGS_DOC = Path(__file__).resolve().parent.parent / "docs" / "settings.rst"


def test_a_burst_of_answers_during_an_outage_spends_no_attempts(site):
    launch = launch_link(site, "rl-speed_q1")
    simulate_outage(1000)
    answer(launch, Q1, correct=False)
    pk = ScorePassback.objects.get().pk
    assert delivery.deliver(pk) == "retry"
    waiting = ScorePassback.objects.get()
    for i in range(30):  # the learner keeps answering; the last answer is right
        answer(launch, Q1, correct=i == 29)
    row = ScorePassback.objects.get()
    assert (row.version, row.attempts, row.status) == (31, 1, "pending")
    assert (row.due_at, row.retrying_since) == (waiting.due_at, waiting.retrying_since)
    assert delivery.deliver(pk) == "skipped"  # not due: the backoff holds
    make_due(row)
    assert delivery.deliver(pk) == "retry"
    assert ScorePassback.objects.get().attempts == 2
    simulate_outage(0)  # the platform is back
    make_due(row)
    assert delivery.deliver(pk) == "sent"
    assert [(s.score_given, s.score_maximum) for s in received("rl-speed_q1")] == [(1.0, 1.0)]
    row.refresh_from_db()
    assert (row.sent_version, row.retrying_since, row.last_outcome) == (31, None, "sent")


def test_the_last_retry_is_at_the_window_end_then_it_fails(site, settings):
    settings.LTI_1P3_PROVIDER_PASSBACK_RETRY_WINDOW_SEC = 3600
    launch = launch_link(site, "rl-speed_q1")
    simulate_outage(1000)
    answer(launch, Q1)
    pk = ScorePassback.objects.get().pk
    assert delivery.deliver(pk) == "retry"
    # Pretend the outage began 3595 s ago: the next retry is capped at the window's end.
    started = timezone.now() - timedelta(seconds=3595)
    ScorePassback.objects.filter(pk=pk).update(retrying_since=started)
    make_due(ScorePassback.objects.get())
    assert delivery.deliver(pk) == "retry"
    row = ScorePassback.objects.get()
    assert row.due_at == started + timedelta(seconds=3600)
    ScorePassback.objects.filter(pk=pk).update(retrying_since=started - timedelta(seconds=10))
    make_due(row)
    assert delivery.deliver(pk) == "failed"
    row.refresh_from_db()
    assert row.last_error.startswith("gave up after 3 attempts in 1 h")
    assert row.last_outcome == "failed"


def test_a_new_score_on_a_failed_row_gets_a_fresh_window(failed_row):
    answer(failed_row.launch, Q1, correct=False)
    row = ScorePassback.objects.get()
    assert (row.status, row.attempts, row.retrying_since) == ("pending", 0, None)
    assert row.due_at <= timezone.now()


def test_the_documented_schedule_is_the_code_schedule():
    offsets = retry.schedule()
    doc = " ".join(SETTINGS_DOC.read_text().split())
    first = ", ".join(f"{o:g}" for o in offsets[:8]) + f" and {offsets[8]:g} s"
    assert f"retries run at {first}" in doc
    assert [b - a for a, b in pairwise(offsets[8:-1])] == [3600.0] * 22
    assert f"{offsets[9]:g} s, {offsets[10]:g} s, ... {offsets[-2]:g} s" in doc
    assert (
        f"exactly at {offsets[-1]:g} s: {len(offsets)} retries, {len(offsets) + 1} attempts" in doc
    )
    claim = re.search(r"= (\d+) s with the default timeout", doc)
    assert claim and float(claim.group(1)) == retry.claim_timeout().total_seconds()
