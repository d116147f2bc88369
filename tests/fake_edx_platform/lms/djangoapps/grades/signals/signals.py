from django.dispatch import Signal

# lms/djangoapps/grades/signals/signals.py: providing_args are documented there, not enforced.
PROBLEM_WEIGHTED_SCORE_CHANGED = Signal()
SUBSECTION_SCORE_CHANGED = Signal()
