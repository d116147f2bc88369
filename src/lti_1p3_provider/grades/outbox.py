"""The passback outbox: record score changes as rows, enqueue their delivery, sweep, resend."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from lti_1p3_provider.conf import provider_settings
from lti_1p3_provider.core.claims import SCOPE_SCORE
from lti_1p3_provider.edxapp import api as edxapp
from lti_1p3_provider.models import LtiLaunch, PassbackStatus, ScorePassback

log = logging.getLogger(__name__)
SWEEP_GRACE_SEC = 30
SWEEP_BATCH = 500


def composite_delay() -> timedelta:
    """How long a launched unit or subsection coalesces score changes."""
    return timedelta(seconds=int(provider_settings.LTI_AGGREGATE_SCORE_PASSBACK_DELAY))


def record_score_change(event: edxapp.ScoreChanged) -> list[int]:
    """Write or update the passback row of every live AGS launch that contains the scored block."""
    launches = (
        LtiLaunch.objects.live()
        .with_ags()
        .filter(user_id=event.user_id, course_key=event.course_key)
        .select_related("profile")
        .order_by("-launched_at", "-pk")
    )
    seen: set[tuple[int, str]] = set()
    touched = []
    for launch in launches:
        link = (launch.tool_id, launch.resource_link_id)
        if link in seen:
            continue  # only the latest launch of a resource link speaks for it
        seen.add(link)
        if SCOPE_SCORE not in launch.ags_scopes:
            continue
        if not edxapp.contains(launch.usage_key, event.usage_key):
            continue
        row_id = _upsert(launch, event)
        if row_id is not None:
            touched.append(row_id)
    return touched


def _leaf_score(
    row: ScorePassback, event: edxapp.ScoreChanged
) -> tuple[float, float | None] | None:
    """The (given, maximum) a leaf row takes from the event; None when the event must not apply."""
    if event.reset:
        # A staff reset sends 0/0: pass back 0 against the block's real maximum.
        maximum = row.score_maximum or edxapp.get_block(event.usage_key).weight
        return 0.0, maximum
    if event.only_if_higher and row.score_given is not None and row.score_maximum:
        # Rescoring never lowers the LMS's grade; the platform's must not drop either.
        held = row.score_given / row.score_maximum
        if not event.possible or event.earned / event.possible <= held:
            return None
    return event.earned, event.possible


def _upsert(launch: LtiLaunch, event: edxapp.ScoreChanged) -> int | None:
    composite = launch.usage_key != event.usage_key
    now = timezone.now()
    due = now + composite_delay() if composite else now
    with transaction.atomic():
        row = (
            ScorePassback.objects.select_for_update()
            .filter(
                tool_id=launch.tool_id,
                resource_link_id=launch.resource_link_id,
                user_id=launch.user_id,
            )
            .first()
        )
        leaf = None
        if not composite:
            leaf = _leaf_score(row or ScorePassback(), event)
            if leaf is None:
                return None
        if row is None:
            row = ScorePassback(
                tool_id=launch.tool_id,
                resource_link_id=launch.resource_link_id,
                user_id=launch.user_id,
                version=0,
                due_at=due,
            )
            wake = True
        elif row.status in (PassbackStatus.SENT, PassbackStatus.FAILED):
            row.status, row.attempts, row.due_at = PassbackStatus.PENDING, 0, due
            wake = True
        else:
            # Pending: a leaf goes now; a composite keeps its window. Sending: delivery re-queues.
            wake = row.status == PassbackStatus.PENDING and due < row.due_at
            row.due_at = (
                min(row.due_at, due) if row.status == PassbackStatus.PENDING else row.due_at
            )
        row.launch = launch
        row.usage_key = launch.usage_key
        row.lti_user_id = launch.profile.sub
        row.is_composite = composite
        row.lineitem_url = launch.lineitem_url or row.lineitem_url
        row.version += 1
        row.scored_at = event.modified or now
        if leaf is not None:
            row.score_given, row.score_maximum = leaf
        row.save()
        if wake:
            enqueue_on_commit(row.pk, row.due_at)
    return row.pk


def enqueue_on_commit(passback_id: int, due_at: datetime) -> None:
    """Queue a delivery once the surrounding transaction commits (never inside it)."""
    transaction.on_commit(lambda: enqueue(passback_id, due_at))


def enqueue(passback_id: int, due_at: datetime) -> None:
    """Send a delivery task; a broker outage only delays it (the sweep finds the row)."""
    from lti_1p3_provider.grades.tasks import send_score_passback

    countdown = max(0.0, (due_at - timezone.now()).total_seconds())
    try:
        send_score_passback.apply_async(args=[passback_id], countdown=countdown)
    except Exception as exc:  # noqa: BLE001 - any broker error: the durable row is what counts
        log.warning("LTI passback %s not queued (%s); the sweep will send it", passback_id, exc)


def sweep(now: datetime | None = None) -> int:
    """Take back rows of crashed workers and queue due rows whose task was lost."""
    now = now or timezone.now()
    timeout = timedelta(seconds=provider_settings.LTI_1P3_PROVIDER_PASSBACK_CLAIM_TIMEOUT_SEC)
    reclaimed = ScorePassback.objects.stuck(now - timeout).update(
        status=PassbackStatus.PENDING, due_at=now, claimed_at=None
    )
    if reclaimed:
        log.warning("LTI passback sweep took back %s rows from lost workers", reclaimed)
    late = now - timedelta(seconds=SWEEP_GRACE_SEC) if not reclaimed else now
    due = ScorePassback.objects.due(late).order_by("due_at").values_list("pk", "due_at")
    rows = list(due[:SWEEP_BATCH])
    for pk, due_at in rows:
        enqueue(pk, due_at)
    return len(rows)


def resend(passbacks: QuerySet[ScorePassback]) -> int:
    """Queue these passbacks again now (admin action and command); returns how many."""
    now = timezone.now()
    ids = list(passbacks.exclude(status=PassbackStatus.SENDING).values_list("pk", flat=True))
    ScorePassback.objects.filter(pk__in=ids).update(
        status=PassbackStatus.PENDING, attempts=0, due_at=now, last_error="", claimed_at=None
    )
    for pk in ids:
        enqueue_on_commit(pk, now)
    return len(ids)
