"""Celery tasks (``shared_task`` with explicit names: never the LMS's Celery app)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="lti_1p3_provider.send_score_passback", ignore_result=True)
def send_score_passback(passback_id: int) -> str:
    """Deliver one passback row if it is due; a stale or duplicate task does nothing."""
    from lti_1p3_provider.grades.delivery import deliver
    from lti_1p3_provider.grades.sweeping import keep_sweeping

    outcome = "raised"
    try:
        outcome = deliver(passback_id)
    finally:
        # A delivery that raised leaves rows 'sending', one that retries leaves them pending:
        # the sweep must come by without Celery beat (ADR 0021).
        if outcome != "skipped":
            keep_sweeping()
    return outcome


@shared_task(name="lti_1p3_provider.sweep_score_passbacks", ignore_result=True)
def sweep_score_passbacks() -> int:
    """Re-queue passbacks whose task was lost or whose worker died; queues its next run while
    passbacks are owed (ADR 0021), so Celery beat is optional."""
    from lti_1p3_provider.grades.outbox import sweep
    from lti_1p3_provider.grades.sweeping import keep_sweeping
    from lti_1p3_provider.launch.retention import keep_pruning
    from lti_1p3_provider.models import ScorePassback

    count = sweep()
    if ScorePassback.objects.unsettled().exists():
        keep_sweeping()
    keep_pruning()  # once a day, when a launch retention is set
    return count
