"""The sandbox's score-changed signal, sent like edx-platform's PROBLEM_WEIGHTED_SCORE_CHANGED."""

from django.dispatch import Signal

# kwargs: user_id, course_id, usage_id, weighted_earned, weighted_possible (same as the LMS).
PROBLEM_WEIGHTED_SCORE_CHANGED = Signal()
