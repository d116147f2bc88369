"""Deliver one passback: claim it, compute the score, call AGS (or LTI 1.1 Basic Outcomes),
then mark sent or retry."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db.models import F
from django.utils import timezone

from lti_1p3_provider.core import pox
from lti_1p3_provider.core.claims import SCOPE_LINEITEM, SCOPE_SCORE
from lti_1p3_provider.edxapp import api as edxapp
from lti_1p3_provider.grades import ags, basic_outcomes, progress, retry, tokens
from lti_1p3_provider.grades.outbox import composite_delay, enqueue
from lti_1p3_provider.models import PassbackStatus, ScorePassback

log = logging.getLogger(__name__)


class NothingToSend(Exception):
    """The content has no gradable part or the launch has no line item to send to."""


def claim(passback_id: int) -> ScorePassback | None:
    """Atomically move a due pending row to 'sending'; None when another worker has it."""
    now = timezone.now()
    claimed = (
        ScorePassback.objects.filter(pk=passback_id)
        .due(now)
        .update(
            status=PassbackStatus.SENDING,
            claimed_at=now,
            last_attempt_at=now,
            attempts=F("attempts") + 1,
        )
    )
    if not claimed:
        return None
    # The policy too: its extra service hosts are checked before every AGS call. Not the tool
    # key (a private key PEM): it is read only when a token is fetched, once per lifetime.
    related = ("tool__policy", "consumer", "launch__profile")
    return ScorePassback.objects.select_related(*related).get(pk=passback_id)


def deliver(passback_id: int) -> str:
    """Run one delivery attempt; returns what happened (for logs and tests)."""
    row = claim(passback_id)
    if row is None:
        return "skipped"
    version = row.version
    try:
        _send(row)
    except NothingToSend as exc:
        return _fail(row, str(exc))
    except ags.ScoreAlreadyHeld as exc:
        # Sending it again cannot succeed and the gradebook has it (or a newer score).
        log.info(
            "LTI passback %s: the platform already holds this score or a newer one: %s", row.pk, exc
        )
        return _finish(row, version)
    except ags.AgsError as exc:
        if not exc.transient:
            return _fail(row, str(exc))
        return _retry(row, exc)
    return _finish(row, version)


def _scopes(row: ScorePassback) -> tuple[str, ...]:
    granted = set(row.launch.ags_scopes)
    return tuple(s for s in (SCOPE_LINEITEM, SCOPE_SCORE) if s in granted)


def _send(row: ScorePassback) -> None:
    # A composite's problems are read once: a section's points and the AGS progress come from it.
    wanted = row.is_composite and (row.score_maximum is None or row.consumer is None)
    problems = progress.composite_problems(row) if wanted else None
    if row.score_maximum is None:
        # A section or course (or a reset of a problem without a set weight): read what the
        # LMS has stored; the row is only due after SUBSECTION_SCORE_CHANGED (ADR 0004).
        score = progress.stored_score(row, problems)
        if score is None:
            raise NothingToSend("The launched content has no gradable problems.")
        row.score_given, row.score_maximum = score.earned, score.possible
    if not row.score_maximum or row.score_maximum <= 0:
        raise NothingToSend("The content's maximum score is 0: there is nothing to grade.")
    if row.consumer is not None:  # LTI 1.1 Basic Outcomes: one signed replaceResult
        ratio = pox.normalised(float(row.score_given or 0.0), float(row.score_maximum))
        basic_outcomes.replace_result(row.consumer, row.lineitem_url, row.result_sourcedid, ratio)
    else:
        _send_ags(row, progress.activity_progress(row, problems))


def _send_ags(row: ScorePassback, activity_progress: str) -> None:
    scopes = _scopes(row)
    payload = ags.AgsScore(
        user_id=row.lti_user_id,
        score_given=max(0.0, float(row.score_given or 0.0)),
        score_maximum=float(row.score_maximum),
        timestamp=row.scored_at.isoformat(),
        activity_progress=activity_progress,
    )

    def publish(token: str) -> None:
        created_now = not row.lineitem_url
        if created_now:
            row.lineitem_url = _lineitem(row, token, scopes)
        try:
            ags.post_score(row.tool, token, row.lineitem_url, payload)
        except ags.AgsError as exc:
            if exc.status != 404 or created_now or row.lineitem_url == row.launch.lineitem_url:
                raise
            _forget_deleted_lineitem(row, exc)

    _with_token(row, scopes, publish)


def _forget_deleted_lineitem(row: ScorePassback, error: ags.AgsError) -> None:
    """A column this tool created earlier answers 404: someone deleted it on the platform.

    The next attempt creates it again, so the score is not lost. Not for a line item the
    platform named in the launch (the tool cannot recreate that one), nor for one created in
    this very attempt (a platform that answers 404 for items it just made would otherwise get
    a new column on every retry).
    """
    row.lineitem_url = ""
    raise ags.AgsError(
        f"the line item this tool created is gone ({error}); the next attempt creates it again",
        status=404,
    ) from error


def _with_token(row: ScorePassback, scopes: tuple[str, ...], work: Callable[[str], None]) -> None:
    """Run the AGS calls with the cached token; on 401/403 fetch one new token and retry once."""
    try:
        work(tokens.access_token(row.tool, scopes))
    except ags.TokenRejected:
        tokens.forget_token(row.tool, scopes)  # revoked, expired early or the platform rotated keys
        try:
            work(tokens.access_token(row.tool, scopes))
        except ags.TokenRejected as again:
            raise ags.AgsError(
                f"the platform refused a fresh token too: {again}",
                status=again.status,
                transient=False,
            ) from again


def _lineitem(row: ScorePassback, token: str, scopes: tuple[str, ...]) -> str:
    lineitems_url = (row.launch.ags_claim or {}).get("lineitems")
    if SCOPE_LINEITEM not in scopes or not lineitems_url:
        raise NothingToSend("The launch has no line item and may not create one.")
    block = edxapp.get_block(row.usage_key)
    return ags.find_or_create_lineitem(
        row.tool,
        token,
        lineitems_url,
        resource_link_id=row.resource_link_id,
        tag=str(row.usage_key),
        label=block.display_name,
        score_maximum=float(row.score_maximum or 1.0),
    )


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
    enqueue(row.pk, due)
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
    enqueue(row.pk, due)
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
