"""The sandbox's grade signals, sent with the same kwargs as edx-platform's."""

from django.dispatch import Signal

# kwargs: user_id, course_id, usage_id, weighted_earned, weighted_possible, only_if_higher,
# modified, score_deleted (lms/djangoapps/grades/signals/signals.py).
PROBLEM_WEIGHTED_SCORE_CHANGED = Signal()
# kwargs: course, course_structure, user, subsection_grade; sent once the grade is stored.
SUBSECTION_SCORE_CHANGED = Signal()
# The sandbox's user retirement (edx-platform: USER_RETIRE_LMS_MISC, sent with ``user``).
USER_RETIRE_LMS_MISC = Signal()
