"""Fake CourseGradeFactory: weighted scores from the sandbox's stored answers."""

from lti_1p3_provider.edxapp.sandbox.backend import find_block, problem_scores


class _CourseGrade:
    def __init__(self, user):
        self.user = user

    def score_for_block(self, location):
        problems = [p for p in find_block(location).problems() if p.published]
        stored = problem_scores(self.user, problems)
        earned = sum(stored[p.usage_key].earned for p in problems if p.usage_key in stored)
        return earned, sum(p.weight or 0.0 for p in problems)


class CourseGradeFactory:
    def read(self, user, course_key=None):
        return _CourseGrade(user)
