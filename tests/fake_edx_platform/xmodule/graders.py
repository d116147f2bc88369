"""Fake ProblemScore with the real constructor (xmodule/graders.py): weighted points and the
time of the first attempt (ScoreBase's ``graded`` and ``first_attempted``)."""


class ProblemScore:
    def __init__(
        self, raw_earned, raw_possible, weighted_earned, weighted_possible, weight, *args, **kwargs
    ):
        graded, first_attempted = [*args, None, None][:2]
        self.graded = kwargs.get("graded", graded)
        self.first_attempted = kwargs.get("first_attempted", first_attempted)
        self.raw_earned = raw_earned
        self.raw_possible = raw_possible
        self.earned = float(weighted_earned) if weighted_earned is not None else None
        self.possible = float(weighted_possible) if weighted_possible is not None else None
        self.weight = weight
