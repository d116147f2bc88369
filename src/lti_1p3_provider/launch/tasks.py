"""Celery tasks about launches (explicit names: never the LMS's Celery app)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="lti_1p3_provider.prune_lti_launches", ignore_result=True)
def prune_lti_launches() -> int:
    """Delete launch records past LTI_1P3_PROVIDER_LAUNCH_RETENTION_DAYS; 0 when not set."""
    from lti_1p3_provider.launch.retention import prune_launches, retention_cutoff

    before = retention_cutoff()
    return 0 if before is None else prune_launches(before).deleted
