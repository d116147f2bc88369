"""The one backend-neutral receiver of the platform's score-changed events."""

from __future__ import annotations

from lti_1p3_provider.edxapp.api import ScoreChanged
from lti_1p3_provider.grades.outbox import record_score_change


def on_score_changed(event: ScoreChanged) -> None:
    """A learner's problem score changed: update the passbacks of the launches that contain it."""
    record_score_change(event)
