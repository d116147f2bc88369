"""Django 4.2 (Open edX up to Teak) and Django 5.x side by side, for models and migrations."""

from __future__ import annotations

import django
from django.db import models


def check_constraint(condition: models.Q, name: str) -> models.CheckConstraint:
    """A CheckConstraint: Django 5.1 renamed ``check`` to ``condition``; 4.2 knows only ``check``
    (and 6.0 only ``condition``)."""
    if django.VERSION >= (5, 1):
        return models.CheckConstraint(condition=condition, name=name)
    return models.CheckConstraint(check=condition, name=name)  # type: ignore[call-arg]
