"""The passback sweep keeps itself going, so no Celery beat or cron is needed (ADR 0021).

Open edX runs no Celery beat out of the box, and neither does Tutor: a beat schedule entry
alone would leave a crashed worker's row *sending* for ever. So a delivery that did something,
a sweep that leaves rows unsettled, and a worker that starts each ask for a sweep one period
later; a key in the shared cache lets one request through per period.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.db.models import F
from django.db.models.functions import Coalesce

from lti_1p3_provider.conf import provider_settings
from lti_1p3_provider.grades import retry
from lti_1p3_provider.models import PassbackStatus, ScorePassback
from lti_1p3_provider.services.self_queued import queue_once, record_time, recorded_time

log = logging.getLogger(__name__)

_QUEUED_KEY = "lti1p3:sweep:queued"
_LAST_KEY = "lti1p3:sweep:last"
_LAST_KEPT_SEC = 7 * 24 * 3600


def sweep_period() -> int:
    """Seconds between two sweeps while passbacks wait (``LTI_1P3_PROVIDER_PASSBACK_SWEEP_SEC``)."""
    return max(1, int(provider_settings.LTI_1P3_PROVIDER_PASSBACK_SWEEP_SEC))


def keep_sweeping() -> bool:
    """Queue a sweep one period from now unless one was queued within the period.

    True when this call queued it; the next delivery, sweep or worker start asks again.
    """
    from lti_1p3_provider.grades.tasks import sweep_score_passbacks

    period = sweep_period()
    # Held 90 % of the period: the sweep queued last time must find the key gone when it asks.
    return queue_once(_QUEUED_KEY, period * 9 // 10, sweep_score_passbacks, countdown=period)


TAKEN_BACK = (
    "taken back from a delivery that stopped mid-send (its worker died, or it raised: see the "
    "worker's log); tried again"
)
GAVE_UP = (
    "gave up: every delivery in the retry window stopped mid-send (its worker died, or it "
    "raised: see the worker's log); resend once the cause is fixed"
)


def take_back_stuck(now: datetime) -> int:
    """Rows claimed longer than the claim timeout go back to pending, as a failed attempt.

    A crash counts as a failure of the retry window (``retrying_since``), and says so in the
    row's last error: a row whose delivery raises every time ends failed, in the admin's view,
    instead of being taken back for ever.
    """
    stuck = ScorePassback.objects.stuck(now - retry.claim_timeout())
    failed = stuck.filter(retrying_since__lte=now - retry.window()).update(
        status=PassbackStatus.FAILED, claimed_at=None, last_outcome="failed", last_error=GAVE_UP
    )
    if failed:
        log.warning("LTI passback sweep: %s rows failed, stopping mid-send for a window", failed)
    reclaimed = stuck.update(
        status=PassbackStatus.PENDING,
        due_at=now,
        claimed_at=None,
        retrying_since=Coalesce(F("retrying_since"), now),
        last_outcome="retry",
        last_error=TAKEN_BACK,
    )
    if reclaimed:
        log.warning("LTI passback sweep took back %s rows from lost workers", reclaimed)
    return reclaimed


def record_sweep(now: datetime) -> None:
    """Remember when a sweep last ran, for the self-check."""
    record_time(_LAST_KEY, now, _LAST_KEPT_SEC)


def last_sweep() -> datetime | None:
    """When a sweep last ran (within a week), or None."""
    return recorded_time(_LAST_KEY)


def on_worker_ready(**_kwargs: Any) -> None:
    """Celery's ``worker_ready``: a worker that starts after a crash finds its lost rows, and
    launch pruning (when a retention is set) gets its daily run."""
    from lti_1p3_provider.launch.retention import keep_pruning

    keep_sweeping()
    keep_pruning()


def connect_worker_ready() -> None:
    """Ask for a sweep whenever a Celery worker of this site starts."""
    from celery.signals import worker_ready

    worker_ready.connect(on_worker_ready, weak=False, dispatch_uid="lti_1p3_provider.sweep")
