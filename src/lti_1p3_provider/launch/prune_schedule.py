"""Daily launch pruning without Celery beat: the LMS's workers ask for it (ADR 0021).

When ``LTI_1P3_PROVIDER_LAUNCH_RETENTION_DAYS`` is set, a Celery worker that starts and each
passback sweep ask for a pruning run; a key in the shared cache lets one through a day.
"""

from __future__ import annotations

import logging

from lti_1p3_provider.launch.retention import retention_days
from lti_1p3_provider.services.cache import provider_cache

log = logging.getLogger(__name__)

_QUEUED_KEY = "lti1p3:prune:queued"
PRUNE_EVERY_SEC = 24 * 3600


def keep_pruning() -> bool:
    """Queue a pruning run now unless retention is off or one was queued within a day."""
    from lti_1p3_provider.launch.tasks import prune_lti_launches

    if retention_days() is None:
        return False
    try:
        if not provider_cache().add(_QUEUED_KEY, 1, timeout=PRUNE_EVERY_SEC):
            return False
        prune_lti_launches.apply_async()
    except Exception as exc:  # noqa: BLE001 - a cache or broker error must not fail a sweep
        log.warning("LTI launch pruning not queued (%s); a later sweep asks again", exc)
        return False
    return True
