"""What a score says besides its points: the LMS's problems inside a launched composite, read
once per delivery, give both a section's points and every composite's ``activityProgress``."""

from __future__ import annotations

from collections.abc import Sequence

from lti_1p3_provider.edxapp import api as edxapp
from lti_1p3_provider.grades import ags
from lti_1p3_provider.models import ScorePassback

Problems = Sequence[edxapp.ProblemResult]


def composite_problems(row: ScorePassback) -> Problems | None:
    """The scored problems of the row's launched composite as the LMS's grades hold them now;
    None for a single problem, or for content deleted since it was scored."""
    if not row.is_composite:
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
    if problems is None:  # deleted since it was scored: the score still stands
        return ags.COMPLETED
    attempted = sum(1 for problem in problems if problem.attempted)
    if attempted == len(problems):
        return ags.COMPLETED
    return ags.IN_PROGRESS if attempted else ags.INITIALIZED
