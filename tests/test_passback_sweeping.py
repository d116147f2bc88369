"""The sweep queues itself, so a site without Celery beat (Open edX, Tutor) loses no passback.

Deliveries that did something, sweeps that leave rows owed and worker starts each queue a sweep
one period later; the shared cache lets one through per period (ADR 0021). The fault suite
shows the whole of it with real worker processes and no beat.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from lti_1p3_provider.grades.sweeping import keep_sweeping, last_sweep, on_worker_ready
from lti_1p3_provider.grades.tasks import send_score_passback, sweep_score_passbacks
from lti_1p3_provider.models import ScorePassback
from lti_1p3_provider.services.cache import provider_cache
from lti_1p3_provider.services.housekeeping_checks import check_passbacks_flowing
from tests.broker import take_queued_tasks
from tests.passback_helpers import Q1, answer, launch_link, received

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
QUEUED_KEY = "lti1p3:sweep:queued"


SWEEP = "lti_1p3_provider.sweep_score_passbacks"


@pytest.fixture(autouse=True)
def no_sweep_queued():
    provider_cache().delete_many([QUEUED_KEY, "lti1p3:sweep:last"])
    take_queued_tasks()  # what earlier tests left on the broker
    yield
    provider_cache().delete_many([QUEUED_KEY, "lti1p3:sweep:last"])


def sweep_was_queued() -> bool:
    """True when exactly one sweep task went to the broker (and forget it, for the next step)."""
    provider_cache().delete(QUEUED_KEY)
    sweeps = take_queued_tasks()[SWEEP]
    assert sweeps <= 1, sweeps
    return sweeps == 1


def test_one_sweep_is_queued_per_period(settings):
    settings.LTI_1P3_PROVIDER_PASSBACK_SWEEP_SEC = 1
    assert keep_sweeping()
    assert not keep_sweeping()  # another delivery within the period
    assert take_queued_tasks()[SWEEP] == 1
    time.sleep(1.1)  # the period is over
    assert keep_sweeping()
    assert take_queued_tasks()[SWEEP] == 1


def test_a_worker_that_starts_queues_a_sweep():
    on_worker_ready(sender=None)
    assert sweep_was_queued()


def test_a_delivery_queues_a_sweep_and_a_skipped_task_does_not(site):
    launch = launch_link(site, "rl-speed_q1")
    answer(launch, Q1)
    row = ScorePassback.objects.get()
    assert send_score_passback(row.pk) == "sent"
    assert received("rl-speed_q1")
    assert sweep_was_queued()
    assert send_score_passback(row.pk) == "skipped"  # a duplicate task of a sent row
    assert not sweep_was_queued()


def test_the_sweep_queues_its_next_run_while_passbacks_are_owed(site):
    launch = launch_link(site, "rl-speed_q1")
    answer(launch, Q1)
    row = ScorePassback.objects.get()
    ScorePassback.objects.filter(pk=row.pk).update(due_at=timezone.now() + timedelta(hours=1))
    before = timezone.now()
    sweep_score_passbacks()
    assert last_sweep() is not None and last_sweep() >= before.replace(microsecond=0)
    assert sweep_was_queued()  # the row is still owed: the next sweep comes by itself
    ScorePassback.objects.filter(pk=row.pk).update(status="sent")
    sweep_score_passbacks()
    assert not sweep_was_queued()  # nothing owed: the chain ends until the next delivery


def test_the_self_check_says_when_passbacks_wait_too_long(site):
    result = check_passbacks_flowing()
    assert result.ok and "never" in result.message
    launch = launch_link(site, "rl-speed_q1")
    answer(launch, Q1)
    row = ScorePassback.objects.get()
    ScorePassback.objects.filter(pk=row.pk).update(due_at=timezone.now() - timedelta(minutes=6))
    result = check_passbacks_flowing()
    assert not result.ok
    assert result.message.startswith("1 passback is more than 5 minutes overdue; last sweep: never")
    ScorePassback.objects.filter(pk=row.pk).update(
        status="sending", claimed_at=timezone.now() - timedelta(hours=1)
    )
    assert not check_passbacks_flowing().ok  # a crashed worker's row counts too
    ScorePassback.objects.filter(pk=row.pk).update(status="sent")
    sweep_score_passbacks()
    result = check_passbacks_flowing()
    assert result.ok and f"last sweep: {timezone.now():%Y-%m-%d}" in result.message
