"""The passback outbox: record score changes as rows, enqueue their delivery, sweep, resend."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from opaque_keys.edx.keys import CourseKey

from lti_1p3_provider.conf import provider_settings
from lti_1p3_provider.core.claims import SCOPE_SCORE
from lti_1p3_provider.edxapp import api as edxapp
from lti_1p3_provider.grades.progress import NOT_YET, Score, composite_update
from lti_1p3_provider.grades.sweeping import record_sweep, take_back_stuck
from lti_1p3_provider.models import LtiLaunch, LtiProfile, PassbackStatus, ScorePassback
from lti_1p3_provider.services.key_rotation import switch_due_rotations

log = logging.getLogger(__name__)
SWEEP_GRACE_SEC = 30
SWEEP_BATCH = 500


def composite_delay() -> timedelta:
    """How long a launched unit, subsection or section coalesces stored-grade changes."""
    return timedelta(seconds=int(provider_settings.LTI_AGGREGATE_SCORE_PASSBACK_DELAY))


def _speaking_launches(user_id: int, course_key: CourseKey) -> list[LtiLaunch]:
    """The latest live graded launch of each of the learner's resource links: AGS with the
    score scope, or LTI 1.1 with an outcome service.

    The database picks the latest per link (a window function): a learner who relaunched a
    link hundreds of times costs one row per link here, not one model per launch, in the
    request that scores.
    """
    latest = Window(
        RowNumber(),
        partition_by=[F("tool_id"), F("consumer_id"), F("resource_link_id")],
        order_by=[F("launched_at").desc(), F("pk").desc()],
    )
    launches = (
        LtiLaunch.objects.live()
        .graded()
        .filter(user_id=user_id, course_key=course_key)
        .annotate(recency=latest)
        .filter(recency=1)
        .select_related("profile")
        .order_by("-launched_at", "-pk")
    )
    return [
        launch
        for launch in launches
        if SCOPE_SCORE in launch.ags_scopes or (launch.consumer_id and launch.result_sourcedid)
    ]


def record_score_change(event: edxapp.ScoreChanged) -> list[int]:
    """Write or update the passback row of every live AGS launch of exactly this problem.

    Launches of units, subsections and sections wait for the LMS's stored subsection grade
    (``record_subsection_graded``) instead of guessing when it has been recomputed.
    """
    touched = []
    for launch in _speaking_launches(event.user_id, event.course_key):
        if launch.usage_key != event.usage_key:
            continue
        row_id = _upsert(
            launch, False, event.modified, lambda row: _leaf_score(row, event), reset=event.reset
        )
        if row_id is not None:
            touched.append(row_id)
    return touched


def record_subsection_graded(event: edxapp.SubsectionGraded) -> list[int]:
    """Update the passback rows of launched composites the stored subsection grade changes."""
    touched = []
    for launch in _speaking_launches(event.user_id, event.course_key):
        update = composite_update(launch.usage_key, event)
        if update is None:
            continue
        # Basic Outcomes (LTI 1.1) carries no progress: a change in it alone sends nothing there.
        progress = "" if launch.consumer_id else update.progress
        changed = partial(_if_changed, score=update.score, progress=progress)
        row_id = _upsert(launch, True, None, changed, progress=progress)
        if row_id is not None:
            touched.append(row_id)
    return touched


def _if_changed(row: ScorePassback, *, score: Score, progress: str) -> Score | None:
    """The composite's new score, or None when the row already holds it and its progress
    (nothing to send)."""
    held = (row.score_given, row.score_maximum)
    same = held == score and row.activity_progress == progress
    if row.pk and score != NOT_YET and same and row.status != PassbackStatus.FAILED:
        return None
    return score


def _leaf_score(row: ScorePassback, event: edxapp.ScoreChanged) -> Score | None:
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


def _upsert(
    launch: LtiLaunch,
    composite: bool,
    scored_at: datetime | None,
    score_for: Callable[[ScorePassback], Score | None],
    reset: bool = False,
    progress: str = "",
) -> int | None:
    if launch.profile.is_retired:
        return None  # the LMS retired the user: nothing more goes to the platform
    now = timezone.now()
    due = now + composite_delay() if composite else now
    with transaction.atomic():
        row = (
            ScorePassback.objects.select_for_update()
            .filter(
                tool_id=launch.tool_id,
                consumer_id=launch.consumer_id,
                resource_link_id=launch.resource_link_id,
                user_id=launch.user_id,
            )
            .first()
        )
        score = score_for(row or ScorePassback())
        if score is None:
            return None
        if row is None:
            row = ScorePassback(
                tool_id=launch.tool_id,
                consumer_id=launch.consumer_id,
                resource_link_id=launch.resource_link_id,
                user_id=launch.user_id,
                version=0,
                due_at=due,
            )
            wake = True
        else:
            wake = _reschedule(row, due)
        _speak_for(row, launch, composite)
        row.version += 1
        row.scored_at = scored_at or now
        row.score_given, row.score_maximum = score
        row.is_reset, row.activity_progress = reset, progress
        row.save()
        if wake:
            enqueue_on_commit(row.pk, row.due_at)
    return row.pk


def _reschedule(row: ScorePassback, due: datetime) -> bool:
    """Make an existing row due for its new score; True when a delivery must be queued."""
    if row.status in (PassbackStatus.SENT, PassbackStatus.FAILED):
        # A new score after a failure gets a fresh retry window.
        row.status, row.attempts, row.due_at = PassbackStatus.PENDING, 0, due
        row.retrying_since = None
        return True
    if row.status == PassbackStatus.PENDING and row.retrying_since is None:
        # A leaf goes now; a composite keeps its coalescing window.
        wake = due < row.due_at
        row.due_at = min(row.due_at, due)
        return wake
    # Waiting for a retry: the newer score rides on the scheduled attempt and spends none of
    # its own. Sending: delivery sees the newer version and sends it next.
    return False


def _speak_for(row: ScorePassback, launch: LtiLaunch, composite: bool) -> None:
    """Point the row at the launch that now speaks for its link, and at where scores go."""
    row.launch = launch
    row.usage_key = launch.usage_key
    row.lti_user_id = launch.profile.sub
    row.is_composite = composite
    if launch.consumer_id:  # LTI 1.1: the latest launch's outcome service and sourcedid
        row.lineitem_url = launch.outcome_service_url
        row.result_sourcedid = launch.result_sourcedid
    else:
        row.lineitem_url = launch.lineitem_url or row.lineitem_url


def enqueue_on_commit(passback_id: int, due_at: datetime) -> None:
    """Queue a delivery once the surrounding transaction commits (never inside it)."""
    transaction.on_commit(lambda: enqueue(passback_id, due_at))


def enqueue(passback_id: int, due_at: datetime) -> None:
    """Send a delivery task; a broker outage only delays it (the sweep finds the row)."""
    from lti_1p3_provider.grades.tasks import send_score_passback

    countdown = (due_at - timezone.now()).total_seconds()
    # A countdown makes the task an ETA task the worker must schedule; a due row goes straight.
    options = {"countdown": countdown} if countdown > 0 else {}
    try:
        send_score_passback.apply_async(args=[passback_id], **options)
    except Exception as exc:  # noqa: BLE001 - any broker error: the durable row is what counts
        log.warning("LTI passback %s not queued (%s); the sweep will send it", passback_id, exc)


def sweep(now: datetime | None = None) -> int:
    """Take back rows of crashed workers and queue due rows whose task was lost."""
    now = now or timezone.now()
    reclaimed = take_back_stuck(now)
    switch_due_rotations(now)
    late = now - timedelta(seconds=SWEEP_GRACE_SEC) if not reclaimed else now
    due = ScorePassback.objects.due(late).order_by("due_at").values_list("pk", "due_at")
    rows = list(due[:SWEEP_BATCH])
    for pk, due_at in rows:
        enqueue(pk, due_at)
    record_sweep(now)
    return len(rows)


def forget_retired_user_ids(user: Any, profile: LtiProfile | None = None) -> int:
    """Clear the platform's ids of a retired user from rows already sent (nothing owed), and
    the LTI 1.1 result ids from their launches (no score is recorded for them again).

    With ``profile``, that identity's platform only: a linked account keeps its others.
    """
    launches = LtiLaunch.objects.filter(user=user)
    sent = ScorePassback.objects.filter(user=user, status=PassbackStatus.SENT)
    if profile is not None:
        launches = launches.filter(profile=profile)
        sent = sent.filter(tool_id=profile.tool_id, consumer_id=profile.consumer_id)
    launches.exclude(result_sourcedid="").update(result_sourcedid="")
    return sent.exclude(lti_user_id="").update(lti_user_id="", result_sourcedid="")


def resend(passbacks: QuerySet[ScorePassback]) -> int:
    """Queue these passbacks again now (admin action and command); returns how many."""
    now = timezone.now()
    # A retired user's sent scores have no platform user id left to send them with.
    passbacks = passbacks.exclude(status=PassbackStatus.SENDING).exclude(lti_user_id="")
    ids = list(passbacks.values_list("pk", flat=True))
    ScorePassback.objects.filter(pk__in=ids).update(
        status=PassbackStatus.PENDING,
        attempts=0,
        retrying_since=None,
        due_at=now,
        last_error="",
        claimed_at=None,
    )
    for pk in ids:
        enqueue_on_commit(pk, now)
    return len(ids)
