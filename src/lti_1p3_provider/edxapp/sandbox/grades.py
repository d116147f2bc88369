"""The sandbox's grades task: recompute and announce a subsection grade, as the LMS does.

edx-platform recomputes the grade of every subsection containing a scored problem in a Celery
task and then sends SUBSECTION_SCORE_CHANGED with the stored grade. The sandbox does the same
right after the answer is committed, with objects carrying the same attribute names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from opaque_keys.edx.keys import UsageKey

from lti_1p3_provider.edxapp.api import BlockScore
from lti_1p3_provider.edxapp.sandbox.course import SandboxBlock, load_courses
from lti_1p3_provider.edxapp.sandbox.signals import SUBSECTION_SCORE_CHANGED

# BlockScore has the attribute names of edx-platform's AggregatedScore.
Score = BlockScore


@dataclass(frozen=True)
class ProblemScore:
    """A problem's weighted score with edx-platform's ProblemScore attribute names."""

    earned: float
    possible: float
    first_attempted: datetime | None = None  # None: never answered


@dataclass(frozen=True)
class SubsectionGrade:
    """A subsection's grade with the attributes edx-platform's SubsectionGrade has."""

    location: UsageKey
    all_total: Score
    problem_scores: dict[UsageKey, ProblemScore] = field(default_factory=dict)


def subsection_grade(user: Any, subsection: SandboxBlock) -> SubsectionGrade:
    """The subsection's grade from the user's stored answers (published problems only)."""
    from lti_1p3_provider.edxapp.sandbox.models import SandboxScore

    problems = [p for p in subsection.problems() if p.published]
    rows = SandboxScore.objects.filter(user=user, usage_key__in=[p.usage_key for p in problems])
    stored = {row.usage_key: row for row in rows}
    scores = {}
    for p in problems:
        row = stored.get(p.usage_key)
        earned = row.earned if row else 0.0
        # The latest answer's time stands in for the first attempt's: set once answered.
        scores[p.usage_key] = ProblemScore(earned, p.weight or 0.0, row.modified if row else None)
    total = Score(sum(s.earned for s in scores.values()), sum(s.possible for s in scores.values()))
    return SubsectionGrade(location=subsection.usage_key, all_total=total, problem_scores=scores)


def update_subsection_grades(user: Any, usage_key: UsageKey) -> None:
    """Recompute every subsection containing the block and send SUBSECTION_SCORE_CHANGED."""
    course = load_courses()[usage_key.course_key]
    for ancestor in course.ancestors(usage_key):
        block = course.index[ancestor]
        if block.block_type == "sequential":
            SUBSECTION_SCORE_CHANGED.send(
                sender=None,
                course=course.root,
                course_structure=None,
                user=user,
                subsection_grade=subsection_grade(user, block),
            )
