"""Celery autodiscovery looks for ``<app>.tasks``; the tasks live in ``grades.tasks``."""

from lti_1p3_provider.grades.tasks import send_score_passback, sweep_score_passbacks

__all__ = ["send_score_passback", "sweep_score_passbacks"]
