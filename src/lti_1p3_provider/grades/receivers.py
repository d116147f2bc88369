"""The one backend-neutral receiver of the platform's grade events."""

from __future__ import annotations

from lti_1p3_provider.edxapp.api import GradeEvent, SubsectionGraded
from lti_1p3_provider.grades.outbox import record_score_change, record_subsection_graded


def on_score_changed(event: GradeEvent) -> None:
    """A problem score or a stored subsection grade changed: update the launches it touches."""
    if isinstance(event, SubsectionGraded):
        record_subsection_graded(event)
    else:
        record_score_change(event)
