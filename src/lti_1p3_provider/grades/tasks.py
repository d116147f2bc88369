"""Celery tasks (``shared_task`` with explicit names: never the LMS's Celery app)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="lti_1p3_provider.send_score_passback", ignore_result=True)
def send_score_passback(passback_id: int) -> str:
    """Deliver one passback row if it is due; a stale or duplicate task does nothing."""
    from lti_1p3_provider.grades.delivery import deliver

    return deliver(passback_id)


@shared_task(name="lti_1p3_provider.sweep_score_passbacks", ignore_result=True)
def sweep_score_passbacks() -> int:
    """Re-queue passbacks whose task was lost or whose worker died; run it every minute."""
    from lti_1p3_provider.grades.outbox import sweep

    return sweep()
