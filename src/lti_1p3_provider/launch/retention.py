"""How long launch records are kept: older ones go, except those anything still reads.

Every launch adds a row (who, which link, the AGS claim, LTI 1.1's result sourcedid). Scoring
reads only the latest (graded) launch of each learner's link, the teachers' panel counts
learners per link and content, and a passback row points at the launch it sends for. So a
launch older than the retention period is deleted only when a newer launch of the same
learner, registration (or LTI 1.1 consumer), link, course and content exists, no passback
points at it, and, if it is graded and its access has not ended, a newer graded one whose
access has not ended exists too.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, RestrictedError
from django.utils import timezone

from lti_1p3_provider.conf import provider_settings
from lti_1p3_provider.models import LtiLaunch, ScorePassback
from lti_1p3_provider.services.self_queued import queue_once, record_time, recorded_time

log = logging.getLogger(__name__)
BATCH_SIZE = 500
LABEL = LtiLaunch._meta.label
_GROUP = ("user_id", "resource_link_id", "course_key", "usage_key")
_LAST_KEY = "lti1p3:prune:last"
_QUEUED_KEY = "lti1p3:prune:queued"
PRUNE_EVERY_SEC = 24 * 3600
_LAST_KEPT_SEC = 30 * 24 * 3600


@dataclass(frozen=True)
class PruneResult:
    """What a pruning run did (or, dry, would do)."""

    before: datetime
    deleted: int


def retention_days() -> int | None:
    """LTI_1P3_PROVIDER_LAUNCH_RETENTION_DAYS as a number; None: launches are kept for ever."""
    configured = provider_settings.LTI_1P3_PROVIDER_LAUNCH_RETENTION_DAYS
    return None if configured is None else int(configured)


def retention_cutoff(days: int | None = None) -> datetime | None:
    """Launches before this are prunable; None when no retention is configured."""
    if days is None:
        days = retention_days()
    if days is None:
        return None
    if days < 1:
        raise ValueError("the retention period is at least 1 day")
    return timezone.now() - timedelta(days=days)


def prunable(before: datetime) -> QuerySet[LtiLaunch]:
    """Launches before ``before`` that nothing reads any more (see the module's docstring)."""
    queries, now = [], timezone.now()
    for platform in ("tool_id", "consumer_id"):
        group = {name: OuterRef(name) for name in (*_GROUP, platform)}
        newer = LtiLaunch.objects.filter(**group).filter(
            Q(launched_at__gt=OuterRef("launched_at"))
            | Q(launched_at=OuterRef("launched_at"), pk__gt=OuterRef("pk"))
        )
        graded = Q(ags_claim__isnull=False) | ~Q(result_sourcedid="")
        live = Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        queries.append(
            LtiLaunch.objects.filter(**{f"{platform}__isnull": False}, launched_at__lt=before)
            .filter(Exists(newer))
            # Scoring takes the latest live graded launch: keep it while it could be that one.
            .filter(~graded | ~live | Exists(newer.filter(graded).filter(live)))
        )
    owed = ScorePassback.objects.filter(launch_id=OuterRef("pk"))
    return LtiLaunch.objects.filter(
        Q(pk__in=queries[0].values("pk")) | Q(pk__in=queries[1].values("pk"))
    ).filter(~Exists(owed))


def prune_launches(before: datetime, *, dry_run: bool = False) -> PruneResult:
    """Delete what ``prunable`` finds, ``BATCH_SIZE`` rows per transaction."""
    if dry_run:
        return PruneResult(before, prunable(before).count())
    deleted = 0
    while ids := list(prunable(before).order_by("pk").values_list("pk", flat=True)[:BATCH_SIZE]):
        try:
            with transaction.atomic():
                # Checked again in the transaction: a passback may have come to point at one.
                # Deleted by primary key (MySQL refuses a DELETE that reads its own table).
                still = list(prunable(before).filter(pk__in=ids).values_list("pk", flat=True))
                count = LtiLaunch.objects.filter(pk__in=still).delete()[1].get(LABEL, 0)
        except (RestrictedError, IntegrityError):
            log.warning("LTI launch pruning: a batch became owed while deleting; stopping")
            break
        deleted += count
        if count == 0:
            break
    log.info("LTI launch pruning: %s launches before %s deleted", deleted, before.isoformat())
    record_time(_LAST_KEY, timezone.now(), _LAST_KEPT_SEC)
    return PruneResult(before, deleted)


def last_prune() -> datetime | None:
    """When launches were last pruned (within 30 days; the task or the command), or None."""
    return recorded_time(_LAST_KEY)


def keep_pruning() -> bool:
    """Queue a pruning run now unless retention is off or one was queued within a day.

    Asked by a worker that starts and by each passback sweep, so no Celery beat is needed
    (ADR 0021).
    """
    from lti_1p3_provider.launch.tasks import prune_lti_launches

    if retention_days() is None:
        return False
    return queue_once(_QUEUED_KEY, PRUNE_EVERY_SEC, prune_lti_launches)
