"""The passback sweep keeps itself going, so no Celery beat or cron is needed (ADR 0021).

Open edX runs no Celery beat out of the box, and neither does Tutor: a beat schedule entry
alone would leave a crashed worker's row *sending* for ever. So a delivery that did something,
a sweep that leaves rows unsettled, and a worker that starts each ask for a sweep one period
later; a key in the shared cache lets one request through per period.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from lti_1p3_provider.conf import provider_settings
from lti_1p3_provider.services.cache import provider_cache

log = logging.getLogger(__name__)

_QUEUED_KEY = "lti1p3:sweep:queued"
_LAST_KEY = "lti1p3:sweep:last"
_LAST_KEPT_SEC = 7 * 24 * 3600


def sweep_period() -> int:
    """Seconds between two sweeps while passbacks wait (``LTI_1P3_PROVIDER_PASSBACK_SWEEP_SEC``)."""
    return max(1, int(provider_settings.LTI_1P3_PROVIDER_PASSBACK_SWEEP_SEC))


def keep_sweeping() -> bool:
    """Queue a sweep one period from now unless one was queued within the period.

    True when this call queued it. A cache or broker outage only costs this request: the next
    delivery, sweep or worker start asks again.
    """
    from lti_1p3_provider.grades.tasks import sweep_score_passbacks

    period = sweep_period()
    try:
        # 90 % of the period: the sweep queued last time must find the key gone when it asks.
        if not provider_cache().add(_QUEUED_KEY, 1, timeout=max(1, period * 9 // 10)):
            return False
        sweep_score_passbacks.apply_async(countdown=period)
    except Exception as exc:  # noqa: BLE001 - a cache or broker error must not fail a delivery
        log.warning("LTI passback sweep not queued (%s); the next delivery asks again", exc)
        return False
    return True


def record_sweep(now: datetime) -> None:
    """Remember when a sweep last ran, for the self-check."""
    try:
        provider_cache().set(_LAST_KEY, now.timestamp(), timeout=_LAST_KEPT_SEC)
    except Exception as exc:  # noqa: BLE001 - the sweep did its work; only the record is lost
        log.warning("LTI passback sweep time not recorded (%s)", exc)


def last_sweep() -> datetime | None:
    """When a sweep last ran (within a week), or None."""
    value = provider_cache().get(_LAST_KEY)
    if not isinstance(value, int | float):
        return None
    return datetime.fromtimestamp(value, UTC)


def on_worker_ready(**_kwargs: Any) -> None:
    """Celery's ``worker_ready``: a worker that starts after a crash finds its lost rows, and
    launch pruning (when a retention is set) gets its daily run."""
    from lti_1p3_provider.launch.prune_schedule import keep_pruning

    keep_sweeping()
    keep_pruning()


def connect_worker_ready() -> None:
    """Ask for a sweep whenever a Celery worker of this site starts."""
    from celery.signals import worker_ready

    worker_ready.connect(on_worker_ready, weak=False, dispatch_uid="lti_1p3_provider.sweep")
