"""Several due passbacks of one registration in one delivery: claimed together, read in one
query, and sent in parallel from a small pool of threads that reuse their connections (ADR 0019).

A platform's answer takes far longer than the tool's work on a score, so one worker sending one
score at a time mostly waits. The threads only send: every database and LMS read happens first,
in the worker's own thread (``sending.prepare``), and the threads refuse any query.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from datetime import datetime
from typing import Any

from django.db import connections, transaction
from django.db.models import F, Subquery

from lti_1p3_provider.conf import provider_settings
from lti_1p3_provider.grades import ags, tokens
from lti_1p3_provider.grades.sending import Outgoing, transmit
from lti_1p3_provider.models import PassbackStatus, ScorePassback

# The policy too: its extra service hosts are checked before every AGS call. Not the tool key
# (a private key PEM): it is read only when a token is fetched, once per lifetime.
RELATED = ("tool__policy", "consumer", "launch__profile")

Results = dict[int, BaseException | None]


def concurrency() -> int:
    """How many rows one delivery takes and sends at once (at least 1)."""
    return max(1, int(provider_settings.LTI_1P3_PROVIDER_PASSBACK_CONCURRENCY))


def claim_one(passback_id: int, now: datetime) -> bool:
    """Atomically move a due pending row to 'sending'; False when it is not due or taken."""
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
    return bool(claimed)


def claim_companions(lead_id: int, now: datetime) -> list[int]:
    """Claim other rows of the lead's registration that are due now, up to the concurrency.

    Only AGS rows of the same registration: they share its token and its platform's hosts.
    Each row is claimed on its own, so a row another worker took is simply left out.
    """
    room = concurrency() - 1
    if room <= 0:
        return []
    # One query: the lead's registration is read inside it (LTI 1.1 rows have none, so match none).
    lead_tool = ScorePassback.objects.filter(pk=lead_id).values("tool_id")[:1]
    due = (
        ScorePassback.objects.due(now)
        .filter(tool_id=Subquery(lead_tool))
        .exclude(pk=lead_id)
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)
    )
    candidates = list(due[:room])
    if not candidates:
        return []
    # One commit for all the claims: each UPDATE still says whether its row was taken, and a
    # commit is a write-lock round on SQLite (an fsync on MySQL's defaults).
    with transaction.atomic():
        return [pk for pk in candidates if claim_one(pk, now)]


def load(ids: Sequence[int]) -> list[ScorePassback]:
    """The claimed rows with what sending needs, in one query, in the order given."""
    rows = ScorePassback.objects.select_related(*RELATED).in_bulk(list(ids))
    return [rows[pk] for pk in ids if pk in rows]


def send_all(ready: Sequence[Outgoing]) -> Results:
    """Send every prepared row; each row's outcome: None when sent, else the exception.

    Tokens are fetched here, in the worker's thread (a fetch signs with the tool key, read from
    the database). A rejected token is forgotten once per scope set and the rows it failed are
    sent once more with a fresh one, as a single delivery does.
    """
    results: Results = {}
    held: dict[tuple[str, ...], str] = {}
    first = _with_tokens(ready, held, results)
    results.update(_in_parallel(first))
    rejected = [o for o, _ in first if isinstance(results[o.row.pk], ags.TokenRejected)]
    if not rejected:
        return results
    for outgoing in {o.scopes: o for o in rejected}.values():
        # Revoked, expired early, or the platform rotated its keys.
        tokens.forget_token(outgoing.row.tool, outgoing.scopes)
    again = _with_tokens(rejected, {}, results)
    for pk, error in _in_parallel(again).items():
        if isinstance(error, ags.TokenRejected):
            error = ags.AgsError(
                f"the platform refused a fresh token too: {error}",
                status=error.status,
                transient=False,
            )
        results[pk] = error
    return results


def _with_tokens(
    ready: Sequence[Outgoing], held: dict[tuple[str, ...], str], results: Results
) -> list[tuple[Outgoing, str]]:
    """Pair each row with its token; a row whose token cannot be had gets that error."""
    failed: dict[tuple[str, ...], ags.AgsError] = {}
    paired = []
    for outgoing in ready:
        if not outgoing.needs_token:
            paired.append((outgoing, ""))
            continue
        group = outgoing.scopes
        if group not in held and group not in failed:
            try:
                held[group] = tokens.access_token(outgoing.row.tool, group)
            except ags.AgsError as exc:
                failed[group] = exc
        if group in failed:
            results[outgoing.row.pk] = failed[group]
        else:
            paired.append((outgoing, held[group]))
    return paired


def _in_parallel(work: Sequence[tuple[Outgoing, str]]) -> Results:
    if len(work) <= 1:  # one row: in this thread, no pool
        return {o.row.pk: _outcome(o, token) for o, token in work}
    futures = [(o, _pool().submit(_in_thread, o, token)) for o, token in work]
    return {o.row.pk: future.result() for o, future in futures}


def _outcome(outgoing: Outgoing, token: str) -> BaseException | None:
    try:
        transmit(outgoing, token)
    except Exception as exc:  # noqa: BLE001 - the caller decides what each failure means
        return exc
    return None


def _in_thread(outgoing: Outgoing, token: str) -> BaseException | None:
    with _no_queries():
        return _outcome(outgoing, token)


@contextmanager
def _no_queries() -> Iterator[None]:
    """Refuse queries in a sending thread: its reads were done before (and a thread's own
    connection would see another transaction, or none of the worker's)."""
    with ExitStack() as stack:
        for connection in connections.all():
            stack.enter_context(connection.execute_wrapper(_refuse_query))
        try:
            yield
        finally:
            connections.close_all()


def _refuse_query(*args: Any) -> Any:
    raise RuntimeError("a passback sending thread tried to query the database")


_pool_lock = threading.Lock()
_pool_state: dict[str, Any] = {}


def _pool() -> ThreadPoolExecutor:
    """The process's sending threads; each keeps its HTTP connections for the next delivery.

    Made in the process that sends: a pool made before a fork (Celery's prefork) has no threads.
    """
    size = concurrency()
    with _pool_lock:
        key = (os.getpid(), size)
        if _pool_state.get("key") != key:
            if _pool_state.get("pool") is not None and _pool_state["key"][0] == key[0]:
                _pool_state["pool"].shutdown(wait=False)  # the setting changed in this process
            _pool_state["pool"] = ThreadPoolExecutor(size, thread_name_prefix="lti-passback")
            _pool_state["key"] = key
        return _pool_state["pool"]
