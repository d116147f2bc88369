"""What a score says besides its points: the LMS's problems inside a launched composite, read
once per delivery, give both a section's points and every composite's ``activityProgress``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from opaque_keys.edx.keys import UsageKey

from lti_1p3_provider.edxapp import api as edxapp
from lti_1p3_provider.grades import ags
from lti_1p3_provider.models import ScorePassback

Problems = Sequence[edxapp.ProblemResult]
Score = tuple[float | None, float | None]  # (score_given, score_maximum)
NOT_YET: Score = (None, None)  # a section or course: summed from stored grades when sending


@dataclass(frozen=True)
class CompositeUpdate:
    """What a stored subsection grade makes of a launched composite's row.

    ``progress`` is "" when it is worked out when sending (a section or course).
    """

    score: Score
    progress: str = ""


def composite_update(launched: UsageKey, event: edxapp.SubsectionGraded) -> CompositeUpdate | None:
    """The launched block's score and progress given this subsection grade; None when the
    grade does not concern it (or it is a problem, whose own score event speaks for it)."""
    if launched == event.subsection_key:
        inside = list(event.problem_scores)
        score: Score = (event.earned, event.possible)
    elif any(key == launched for key, _, _ in event.problem_scores):
        return None
    elif edxapp.contains(event.subsection_key, launched):
        # A unit (or any container inside the subsection): the LMS stores no grade for it;
        # its problems' scores are in the subsection grade.
        inside = [s for s in event.problem_scores if edxapp.contains(launched, s[0])]
        if not inside:
            return None
        score = (sum(s[1] for s in inside), sum(s[2] for s in inside))
    elif edxapp.contains(launched, event.subsection_key):
        return CompositeUpdate(NOT_YET)
    else:
        return None
    # A unit whose last problem is answered wrongly keeps its points but is Completed now.
    tried = sum(1 for key, _, _ in inside if key in event.attempted)
    return CompositeUpdate(score, _progress(tried, len(inside)))


def composite_problems(row: ScorePassback) -> Problems | None:
    """The scored problems of the row's launched composite as the LMS's grades hold them now;
    None for a single problem, for content deleted since it was scored, and for a unit or
    subsection whose score and progress came with its subsection grade (no read needed)."""
    if not row.is_composite or (row.activity_progress and row.score_maximum is not None):
        return None
    try:
        return edxapp.problem_results(row.user, row.usage_key)
    except edxapp.BlockNotFound:
        return None


def stored_score(row: ScorePassback, problems: Problems | None) -> edxapp.BlockScore | None:
    """The points the LMS stores for the row's content now; None when nothing in it is scored."""
    if problems is None:  # a problem (a reset without a set weight), or deleted content
        return edxapp.block_score(row.user, row.usage_key)
    possible = sum(problem.possible for problem in problems)
    if not possible:
        return None
    return edxapp.BlockScore(earned=sum(p.earned for p in problems), possible=possible)


def activity_progress(row: ScorePassback, problems: Problems | None) -> str:
    """AGS ``activityProgress`` (ADR 0018): a composite is Completed once every scored problem in
    it has an attempt, InProgress before; a problem is Completed, or Initialized once reset."""
    if not row.is_composite:
        return ags.INITIALIZED if row.is_reset else ags.COMPLETED
    if row.activity_progress:  # a unit or subsection: recorded from its subsection grade
        return row.activity_progress
    if problems is None:  # deleted since it was scored: the score still stands
        return ags.COMPLETED
    return _progress(sum(1 for problem in problems if problem.attempted), len(problems))


def _progress(attempted: int, problems: int) -> str:
    if attempted == problems:
        return ags.COMPLETED
    return ags.IN_PROGRESS if attempted else ags.INITIALIZED
