"""The fake's grading pieces, in a module of its own name: ProblemScore (served as
``xmodule.graders.ProblemScore``) and what counts as published. The fake's ``lms`` modules
import them from here, never by an edx-platform module path."""

import fake_state


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


def published(node):
    """A sandbox node the fake modulestore serves: published, and not unpublished by a test."""
    return node.published and str(node.usage_key) not in fake_state.unpublished
