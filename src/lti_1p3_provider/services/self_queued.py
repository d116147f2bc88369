"""Work the LMS's workers queue for themselves, without Celery beat (ADR 0021).

A key in the shared cache lets one request per period through, site-wide; a cache or broker
error only costs that request. The time a job last ran is kept there too, for the self-check.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from lti_1p3_provider.services.cache import provider_cache

log = logging.getLogger(__name__)


def queue_once(key: str, period: int, task: Any, countdown: int = 0) -> bool:
    """Queue ``task`` unless this key queued it within ``period`` seconds; True when queued."""
    try:
        if not provider_cache().add(key, 1, timeout=max(1, period)):
            return False
        task.apply_async(countdown=countdown or None)
    except Exception as exc:  # noqa: BLE001 - a cache or broker error must not fail the caller
        log.warning("%s not queued (%s); the next caller asks again", task.name, exc)
        return False
    return True


def record_time(key: str, now: datetime, keep: int) -> None:
    """Remember ``now`` under ``key`` for ``keep`` seconds (what ran, for the self-check)."""
    try:
        provider_cache().set(key, now.timestamp(), timeout=keep)
    except Exception as exc:  # noqa: BLE001 - the job did its work; only the record is lost
        log.warning("time of %s not recorded (%s)", key, exc)


def recorded_time(key: str) -> datetime | None:
    """The time ``record_time`` kept under ``key``, or None."""
    value = provider_cache().get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return datetime.fromtimestamp(value, UTC)
