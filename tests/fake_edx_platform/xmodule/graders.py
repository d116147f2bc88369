"""Fake xmodule/graders.py: ProblemScore with the real constructor (weighted points and the
time of the first attempt, ScoreBase's ``graded`` and ``first_attempted``)."""

from fake_grading import ProblemScore

__all__ = ["ProblemScore"]
