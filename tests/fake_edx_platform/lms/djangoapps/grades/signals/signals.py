from django.dispatch import Signal

PROBLEM_WEIGHTED_SCORE_CHANGED = Signal()
