"""Deliver a passback: claim it (with other due rows of its registration), compute the score,
call AGS (or LTI 1.1 Basic Outcomes), then mark each row sent or retry it."""

from __future__ import annotations

import logging

from django.db import DatabaseError, transaction
from django.utils import timezone

from lti_1p3_provider.grades import ags, batch, retry
from lti_1p3_provider.grades.outbox import composite_delay, enqueue_on_commit
from lti_1p3_provider.grades.sending import NothingToSend, Outgoing, prepare
from lti_1p3_provider.models import PassbackStatus, ScorePassback

__all__ = ["NothingToSend", "claim", "deliver"]

log = logging.getLogger(__name__)


def claim(passback_id: int) -> ScorePassback | None:
    """Atomically move a due pending row to 'sending'; None when another worker has it."""
    if not batch.claim_one(passback_id, timezone.now()):
        return None
    return batch.load([passback_id])[0]


def deliver(passback_id: int) -> str:
    """Run one delivery attempt of this row, and of the other rows of its registration that
    are due (``batch``); returns what happened to this row (for logs and tests)."""
    now = timezone.now()
    # Most tasks of rows another delivery took along find them gone: a read says so without
    # the write lock an UPDATE takes (SQLite's writers wait in sleeps of up to 100 ms).
    if not ScorePassback.objects.due(now).filter(pk=passback_id).exists():
        return "skipped"
    if not batch.claim_one(passback_id, now):
        return "skipped"
    rows = batch.load([passback_id, *batch.claim_companions(passback_id, now)])
    outcomes: dict[int, str] = {}
    ready: list[Outgoing] = []
    unexpected: list[BaseException] = []
    for row in rows:
        try:
            ready.append(prepare(row))
        except NothingToSend as exc:
            outcomes[row.pk] = _fail(row, str(exc))
        except Exception as exc:  # noqa: BLE001 - raised below, once the others are settled
            unexpected.append(exc)
    results = batch.send_all(ready)
    _settle_all(ready, results, outcomes, unexpected)
    if unexpected:
        # Left 'sending': the sweep takes the row back after the claim timeout, as for a crash.
        raise unexpected[0]
    return outcomes[passback_id]


def _send(row: ScorePassback) -> None:
    """Prepare and send one claimed row; raises what the platform's answer means."""
    outgoing = prepare(row)
    error = batch.send_all([outgoing])[row.pk]
    if error is not None:
        raise error


def _settle_all(
    ready: list[Outgoing],
    results: batch.Results,
    outcomes: dict[int, str],
    unexpected: list[BaseException],
) -> None:
    """Settle every sent row; several in one commit. A database error there rolls the batch
    back and each row is settled on its own instead, so one row's failure is only its own."""
    if len(ready) > 1:
        try:
            with transaction.atomic():
                _settle_each(ready, results, outcomes, unexpected, reraise=DatabaseError)
            return
        except DatabaseError:
            outcomes.clear()
            unexpected.clear()
    _settle_each(ready, results, outcomes, unexpected)


def _settle_each(
    ready: list[Outgoing],
    results: batch.Results,
    outcomes: dict[int, str],
    unexpected: list[BaseException],
    reraise: type[BaseException] | tuple[()] = (),
) -> None:
    for outgoing in ready:
        try:
            outcomes[outgoing.row.pk] = _settle(outgoing, results[outgoing.row.pk])
        except reraise:
            raise
        except Exception as exc:  # noqa: BLE001 - raised by deliver, once the others are settled
            unexpected.append(exc)


def _settle(outgoing: Outgoing, error: BaseException | None) -> str:
    """Record what sending did: sent, already held, retry later, or failed for good."""
    row, version = outgoing.row, outgoing.version
    if error is None:
        return _finish(row, version)
    if isinstance(error, ags.ScoreAlreadyHeld):
        # Sending it again cannot succeed and the gradebook has it (or a newer score).
        log.info(
            "LTI passback %s: the platform already holds this score or a newer one: %s",
            row.pk,
            error,
        )
        return _finish(row, version)
    if isinstance(error, ags.AgsError):
        return _retry(row, error) if error.transient else _fail(row, str(error))
    raise error


def _finish(row: ScorePassback, version: int) -> str:
    now = timezone.now()
    fields = {
        "score_given": row.score_given,
        "score_maximum": row.score_maximum,
        "lineitem_url": row.lineitem_url,
        "claimed_at": None,
        "last_error": "",
        "retrying_since": None,
    }
    if row.launch.profile.is_retired:
        # Owed to the platform until now; not kept once sent.
        fields["lti_user_id"] = fields["result_sourcedid"] = ""
    done = ScorePassback.objects.filter(pk=row.pk, version=version).update(
        status=PassbackStatus.SENT, sent_version=version, sent_at=now, last_outcome="sent", **fields
    )
    if done:
        log.info("LTI passback %s: version %s sent", row.pk, version)
        return "sent"
    # A newer score arrived while this one was in flight: send again (the newest wins).
    # Its score fields now hold the newer score: leave them, record only what was sent.
    due = now + composite_delay() if row.is_composite else now
    ScorePassback.objects.filter(pk=row.pk).update(
        status=PassbackStatus.PENDING,
        due_at=due,
        sent_version=version,
        sent_at=now,
        attempts=0,
        retrying_since=None,
        last_outcome="sent",
        last_error="",
        claimed_at=None,
        lineitem_url=row.lineitem_url,
    )
    log.info("LTI passback %s: version %s sent; a newer score follows", row.pk, version)
    enqueue_on_commit(row.pk, due)
    return "sent-stale"


def _retry(row: ScorePassback, error: ags.AgsError) -> str:
    now = timezone.now()
    since = row.retrying_since or now
    due = retry.next_attempt(since, row.attempts, now, error.retry_after)
    if due is None:
        hours = retry.window().total_seconds() / 3600
        return _fail(row, f"gave up after {row.attempts} attempts in {hours:g} h: {error}")
    ScorePassback.objects.filter(pk=row.pk).update(
        status=PassbackStatus.PENDING,
        due_at=due,
        retrying_since=since,
        claimed_at=None,
        last_outcome="retry",
        last_error=str(error)[:2000],
        lineitem_url=row.lineitem_url,
    )
    delay = round((due - now).total_seconds())
    log.info(
        "LTI passback %s: attempt %s failed, retry in %ss: %s", row.pk, row.attempts, delay, error
    )
    enqueue_on_commit(row.pk, due)
    return "retry"


def _fail(row: ScorePassback, reason: str) -> str:
    ScorePassback.objects.filter(pk=row.pk).update(
        status=PassbackStatus.FAILED,
        claimed_at=None,
        last_outcome="failed",
        last_error=reason[:2000],
    )
    log.warning("LTI passback %s failed: %s", row.pk, reason)
    return "failed"
