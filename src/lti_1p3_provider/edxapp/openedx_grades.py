"""The openedx backend's reads of the LMS's grades (CourseGradeFactory, ProblemScore).

Split from ``openedx.py`` to keep each module small; like it, every edx-platform import is
inside a function. Names are recorded in docs/edx-platform-api.rst.
"""

from __future__ import annotations

from typing import Any

from opaque_keys.edx.keys import UsageKey

from lti_1p3_provider.edxapp.api import BlockNotFound, BlockScore, ProblemResult


def _course_grade(user: Any, usage_key: UsageKey) -> Any:
    from lms.djangoapps.grades.api import CourseGradeFactory

    # read() builds on the persisted subsection grades (ADR 0004).
    return CourseGradeFactory().read(user, course_key=usage_key.course_key)


def block_score(user: Any, usage_key: UsageKey) -> BlockScore | None:
    """The weighted score of a problem or composite; None when nothing in it is scored."""
    # Called for sections and courses once SUBSECTION_SCORE_CHANGED said the subsection
    # grade is stored.
    earned, possible = _course_grade(user, usage_key).score_for_block(usage_key)
    if not possible:
        return None
    return BlockScore(earned=float(earned), possible=float(possible))


def problem_results(store: Any, user: Any, usage_key: UsageKey) -> list[ProblemResult]:
    """Every problem under ``usage_key`` that the course grade scores, in course order."""
    from xmodule.modulestore.exceptions import ItemNotFoundError

    try:
        root = store.get_item(usage_key, depth=None)
    except ItemNotFoundError as exc:
        raise BlockNotFound(str(usage_key)) from exc
    course = usage_key.course_key
    # Keys without branch or version on both sides: the grade's block structure and the
    # store's locations may carry different ones.
    scores = {
        key.map_into_course(course): score
        for key, score in _course_grade(user, usage_key).problem_scores.items()
    }
    results: list[ProblemResult] = []
    stack = [root]
    while stack:
        block = stack.pop(0)
        score = scores.get(block.location.map_into_course(course))
        if score is not None:
            results.append(
                ProblemResult(
                    usage_key=block.location.map_into_course(course),
                    display_name=block.display_name_with_default,
                    earned=float(score.earned or 0.0),
                    possible=float(score.possible or 0.0),
                    attempted=score.first_attempted is not None,
                )
            )
        stack[0:0] = list(block.get_children())
    return results
