"""Celery autodiscovery looks for ``<app>.tasks``; the tasks live in ``grades.tasks`` and
``launch.tasks``."""

from lti_1p3_provider.grades.tasks import send_score_passback, sweep_score_passbacks
from lti_1p3_provider.launch.tasks import prune_lti_launches

__all__ = ["prune_lti_launches", "send_score_passback", "sweep_score_passbacks"]
