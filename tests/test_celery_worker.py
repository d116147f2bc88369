"""A real Celery worker runs the passback tasks: on_commit enqueue -> worker -> AGS call."""

from __future__ import annotations

import time

import pytest
from celery.contrib.testing.worker import start_worker

from demo.celery_app import app
from lti_1p3_provider.grades.tasks import sweep_score_passbacks
from lti_1p3_provider.models import ScorePassback
from tests.passback_helpers import Q1, answer, launch_link, received

pytestmark = [pytest.mark.celery, pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def wait_for(predicate, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def worker():
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as w:
        yield w


def test_answer_is_delivered_by_a_real_worker(site, worker):
    launch = launch_link(site, "rl-speed_q1")
    answer(launch, Q1)  # commits; on_commit puts the task on the broker
    assert wait_for(lambda: len(received("rl-speed_q1")) == 1)
    assert wait_for(lambda: ScorePassback.objects.get().status == "sent")
    assert received("rl-speed_q1")[0].score_given == 1.0


def test_sweep_task_requeues_a_lost_row_for_the_worker(site, worker):
    launch = launch_link(site, "rl-speed_q1")
    # A passback whose task was lost (broker restarted): only the row exists.
    ScorePassback.objects.all().delete()
    answer(launch, Q1)
    row = ScorePassback.objects.get()
    assert wait_for(lambda: ScorePassback.objects.get().status == "sent")
    ScorePassback.objects.filter(pk=row.pk).update(status="pending")
    ScorePassback.objects.filter(pk=row.pk).update(
        due_at=row.due_at.replace(year=row.due_at.year - 1)
    )
    sweep_score_passbacks.delay()
    assert wait_for(lambda: len(received("rl-speed_q1")) == 2)
