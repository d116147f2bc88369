"""When a failed passback is tried again, when it gives up, and when a claim counts as lost.

Retries are a time window from the first failure of an outage, not a count: a learner
answering again during an outage updates the row but never spends an attempt. Delays double
from ``..._BACKOFF_BASE_SEC`` up to ``..._BACKOFF_CAP_SEC``; the last attempt is made exactly
when the window ends. docs/settings.rst states the default schedule (a test checks it).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from lti_1p3_provider.conf import provider_settings

# A delivery makes at most: token, line item lookup (up to 3 pages), line item creation, score;
# all of them once more after a rejected token. Each is bounded twice by the HTTP timeout: the
# connection, then the whole answer (outbound.call bounds its head and body together).
CALLS_PER_DELIVERY = 12
TIMEOUTS_PER_CALL = 2
CLAIM_SAFETY_FACTOR = 2


def window() -> timedelta:
    """How long after the first failure of an outage a passback keeps being retried."""
    return timedelta(seconds=int(provider_settings.LTI_1P3_PROVIDER_PASSBACK_RETRY_WINDOW_SEC))


def backoff_sec(attempts: int, retry_after: float | None = None) -> float:
    """Delay after the ``attempts``-th failed attempt of an outage (1-based)."""
    base = float(provider_settings.LTI_1P3_PROVIDER_PASSBACK_BACKOFF_BASE_SEC)
    cap = float(provider_settings.LTI_1P3_PROVIDER_PASSBACK_BACKOFF_CAP_SEC)
    delay = min(cap, base * 2 ** max(0, attempts - 1))
    if retry_after is not None:
        delay = min(cap, max(delay, retry_after))
    return delay


def next_attempt(
    retrying_since: datetime, attempts: int, now: datetime, retry_after: float | None = None
) -> datetime | None:
    """When to try again after a failed attempt; None when the window is spent."""
    ends = retrying_since + window()
    if now >= ends:
        return None
    return min(now + timedelta(seconds=backoff_sec(attempts, retry_after)), ends)


def schedule() -> list[float]:
    """Seconds after the first failure at which each retry runs, if every attempt fails."""
    start = datetime(2000, 1, 1)
    now, attempts, offsets = start, 1, []
    while (due := next_attempt(start, attempts, now)) is not None:
        offsets.append((due - start).total_seconds())
        now, attempts = due, attempts + 1
    return offsets


def claim_timeout() -> timedelta:
    """How long a claimed row may stay 'sending' before the sweep takes it back."""
    configured = provider_settings.LTI_1P3_PROVIDER_PASSBACK_CLAIM_TIMEOUT_SEC
    if configured is not None:
        return timedelta(seconds=float(configured))
    per_call = float(provider_settings.LTI_1P3_PROVIDER_HTTP_TIMEOUT_SEC) * TIMEOUTS_PER_CALL
    return timedelta(seconds=CLAIM_SAFETY_FACTOR * CALLS_PER_DELIVERY * per_call)
