"""Turn PROBLEM_WEIGHTED_SCORE_CHANGED's real kwargs into ScoreChanged, and never raise into it.

The receiver runs inside the learner's problem submit and Django's ``Signal.send`` does not catch
receiver errors, so nothing of ours may escape: events that are not ours are skipped, and any
failure is logged with the event's keys and counted for the self-check.

Shapes handled, as edx-platform sends them (lms/djangoapps/grades/signals/handlers.py):
content-library keys (``lib:``/``lb:``, not a course) are skipped; a staff reset sends 0/0 with
``score_deleted=True``; events with ``None`` for earned, possible, user or course are skipped
(as edx-platform's lti_provider does); ``only_if_higher`` (rescoring) and ``modified`` are kept.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey, LearningContextKey, UsageKey

from lti_1p3_provider.edxapp.api import ScoreChanged, ScoreHandler

log = logging.getLogger(__name__)
ERROR_COUNT_KEY = "lti1p3:score-receiver-errors"


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def score_event(kwargs: Mapping[str, Any]) -> ScoreChanged | None:
    """The event as the provider handles it, or None when it is not one to pass back."""
    user_id, course_id, usage_id = (kwargs.get(k) for k in ("user_id", "course_id", "usage_id"))
    if user_id is None or course_id is None or usage_id is None:
        return None
    try:
        if not LearningContextKey.from_string(str(course_id)).is_course:
            return None  # a content library, not a course
        course_key = CourseKey.from_string(str(course_id))
        usage_key = UsageKey.from_string(str(usage_id))
    except InvalidKeyError:
        return None
    modified = kwargs.get("modified")
    reset = bool(kwargs.get("score_deleted"))
    earned = 0.0 if reset else _number(kwargs.get("weighted_earned"))
    possible = None if reset else _number(kwargs.get("weighted_possible"))
    if earned is None or (possible is None and not reset):
        return None
    return ScoreChanged(
        user_id=int(user_id),
        course_key=course_key,
        usage_key=usage_key,
        earned=earned,
        possible=possible,
        reset=reset,
        only_if_higher=bool(kwargs.get("only_if_higher")),
        modified=modified if isinstance(modified, datetime) else None,
    )


def count_receiver_error() -> None:
    """Count a receiver failure where the self-check can see it."""
    from lti_1p3_provider.services.cache import provider_cache

    cache = provider_cache()
    try:
        if not cache.add(ERROR_COUNT_KEY, 1, None):
            cache.incr(ERROR_COUNT_KEY)
    except Exception:  # noqa: BLE001 - counting must not fail the submit either
        log.warning("LTI score receiver: could not count an error")


def receiver_errors() -> int:
    """How many score events the receiver failed on since the cache was last cleared."""
    from lti_1p3_provider.services.cache import provider_cache

    return int(provider_cache().get(ERROR_COUNT_KEY) or 0)


def connect_weighted_score_signal(signal: Any, backend_name: str, handler: ScoreHandler) -> None:
    """Route a PROBLEM_WEIGHTED_SCORE_CHANGED-shaped Django signal to ``handler``, safely."""

    def receiver(sender: Any, **kwargs: Any) -> None:
        try:
            event = score_event(kwargs)
            if event is not None:
                handler(event)
        except Exception:
            log.exception(
                "LTI score receiver failed: user_id=%s course_id=%s usage_id=%s",
                kwargs.get("user_id"),
                kwargs.get("course_id"),
                kwargs.get("usage_id"),
            )
            count_receiver_error()

    signal.connect(receiver, weak=False, dispatch_uid=score_dispatch_uid(backend_name, handler))


def score_dispatch_uid(backend_name: str, handler: ScoreHandler) -> str:
    """A stable signal dispatch uid per (backend, handler): connecting twice stays one receiver."""
    name = f"{getattr(handler, '__module__', '')}.{getattr(handler, '__qualname__', id(handler))}"
    return f"lti_1p3_provider.{backend_name}.score:{name}"
