"""Fake CourseGradeFactory: scores from the persisted subsection grades only.

Like lms/djangoapps/grades/course_grade_factory.py ``read``: it builds on the stored
subsection grades, so a score the grades task has not stored yet reads as zero.
"""

import fake_state
from fake_grading import ProblemScore, published

from lti_1p3_provider.edxapp.sandbox.backend import find_block
from lti_1p3_provider.edxapp.sandbox.course import load_courses


class _CourseGrade:
    def __init__(self, user, course_key=None):
        self.user = user
        self.course_key = course_key

    @property
    def problem_scores(self):
        """Like CourseGrade.problem_scores: every problem's ProblemScore, by location; a
        subsection whose grade is not stored yet reads as unattempted zeros."""
        course = load_courses()[self.course_key]
        found = {
            p.usage_key: ProblemScore(None, None, 0.0, p.weight or 0.0, p.weight, p.graded, None)
            for p in course.root.problems()
            if published(p)
        }
        for (user_id, _), grade in fake_state.subsection_grades.items():
            if user_id == self.user.id:
                found.update({k: s for k, s in grade.problem_scores.items() if k in found})
        return found

    def score_for_block(self, location):
        block = find_block(location)
        problems = [p for p in block.problems() if str(p.usage_key) not in fake_state.unpublished]
        stored = {}
        for (user_id, _), grade in fake_state.subsection_grades.items():
            if user_id == self.user.id:
                stored.update({key: s.earned for key, s in grade.problem_scores.items()})
        earned = sum(stored.get(p.usage_key, 0.0) for p in problems)
        return earned, sum(p.weight or 0.0 for p in problems)


class CourseGradeFactory:
    def read(
        self,
        user,
        course=None,
        collected_block_structure=None,
        course_structure=None,
        course_key=None,
        create_if_needed=True,
    ):
        fake_state.calls.append(("CourseGradeFactory.read", user.id, str(course_key)))
        return _CourseGrade(user, course_key)
