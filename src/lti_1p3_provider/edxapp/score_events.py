"""Turn the LMS's grade signals' real kwargs into typed events, and never raise into them.

The receiver runs inside the learner's problem submit and Django's ``Signal.send`` does not catch
receiver errors, so nothing of ours may escape: events that are not ours are skipped, and any
failure is logged with the event's keys and counted for the self-check.

Shapes handled, as edx-platform sends them (lms/djangoapps/grades/signals/handlers.py):
content-library keys (``lib:``/``lb:``, not a course) are skipped; a staff reset sends 0/0 with
``score_deleted=True``; events with ``None`` for earned, possible, user or course are skipped
(as edx-platform's lti_provider does); ``only_if_higher`` (rescoring) and ``modified`` are kept.

SUBSECTION_SCORE_CHANGED (sent by lms/djangoapps/grades/tasks.py ``_update_subsection_grades``
after the subsection grade is stored) carries ``user``, ``course``, ``course_structure`` and
``subsection_grade`` (``location``, ``all_total``, ``problem_scores``: ProblemScores with
``first_attempted``); see ADR 0004 and ADR 0018.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey, LearningContextKey, UsageKey

from lti_1p3_provider.edxapp.api import GradeEvent, ScoreChanged, ScoreHandler, SubsectionGraded

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


def subsection_event(kwargs: Mapping[str, Any]) -> SubsectionGraded | None:
    """The stored subsection grade as the provider handles it, or None when it is not usable."""
    grade = kwargs.get("subsection_grade")
    user_id = getattr(kwargs.get("user"), "id", None)
    location = getattr(grade, "location", None)
    total = getattr(grade, "all_total", None)
    if not isinstance(user_id, int) or not isinstance(location, UsageKey) or total is None:
        return None
    if not location.course_key.is_course:
        return None
    earned = _number(getattr(total, "earned", None))
    possible = _number(getattr(total, "possible", None))
    if earned is None or possible is None:
        return None
    scores, attempted = [], set()
    for key, score in (getattr(grade, "problem_scores", None) or {}).items():
        p_earned = _number(getattr(score, "earned", None))
        p_possible = _number(getattr(score, "possible", None))
        if isinstance(key, UsageKey) and p_earned is not None and p_possible is not None:
            scores.append((key, p_earned, p_possible))
            if getattr(score, "first_attempted", None) is not None:
                attempted.add(key)
    return SubsectionGraded(
        user_id=user_id,
        course_key=location.course_key,
        subsection_key=location,
        earned=earned,
        possible=possible,
        problem_scores=tuple(scores),
        attempted=frozenset(attempted),
    )


def _describe(kwargs: Mapping[str, Any]) -> str:
    if "subsection_grade" in kwargs:
        grade = kwargs.get("subsection_grade")
        user = getattr(kwargs.get("user"), "id", None)
        return f"user_id={user} subsection={getattr(grade, 'location', None)}"
    keys = ("user_id", "course_id", "usage_id")
    return " ".join(f"{k}={kwargs.get(k)}" for k in keys)


def _connect(
    signal: Any,
    uid: str,
    convert: Callable[[Mapping[str, Any]], GradeEvent | None],
    handler: ScoreHandler,
) -> None:
    def receiver(sender: Any, **kwargs: Any) -> None:
        try:
            event = convert(kwargs)
            if event is not None:
                handler(event)
        except Exception:
            log.exception("LTI score receiver failed: %s", _describe(kwargs))
            count_receiver_error()

    signal.connect(receiver, weak=False, dispatch_uid=uid)


def connect_weighted_score_signal(signal: Any, backend_name: str, handler: ScoreHandler) -> None:
    """Route a PROBLEM_WEIGHTED_SCORE_CHANGED-shaped Django signal to ``handler``, safely."""
    _connect(signal, score_dispatch_uid(backend_name, handler), score_event, handler)


def connect_subsection_signal(signal: Any, backend_name: str, handler: ScoreHandler) -> None:
    """Route a SUBSECTION_SCORE_CHANGED-shaped Django signal to ``handler``, safely."""
    uid = score_dispatch_uid(backend_name, handler) + ":subsection"
    _connect(signal, uid, subsection_event, handler)


def score_dispatch_uid(backend_name: str, handler: ScoreHandler) -> str:
    """A stable signal dispatch uid per (backend, handler): connecting twice stays one receiver."""
    name = f"{getattr(handler, '__module__', '')}.{getattr(handler, '__qualname__', id(handler))}"
    return f"lti_1p3_provider.{backend_name}.score:{name}"
