"""Fake grades task: store a recomputed subsection grade, then send SUBSECTION_SCORE_CHANGED.

Like lms/djangoapps/grades/tasks.py ``_update_subsection_grades`` (same signature): it runs
after the submit (in a Celery task, RECALCULATE_GRADE_DELAY_SECONDS later), and until it has
run CourseGradeFactory().read() knows nothing of the new score.
"""

from types import SimpleNamespace

import fake_state
from django.contrib.auth import get_user_model
from fake_grading import ProblemScore
from opaque_keys.edx.keys import UsageKey

from lti_1p3_provider.edxapp.sandbox.backend import problem_scores
from lti_1p3_provider.edxapp.sandbox.course import load_courses

from .signals.signals import SUBSECTION_SCORE_CHANGED


def _grade(user, subsection):
    from lti_1p3_provider.edxapp.sandbox.models import SandboxScore

    problems = [p for p in subsection.problems() if str(p.usage_key) not in fake_state.unpublished]
    stored = problem_scores(user, problems)
    keys = [p.usage_key for p in problems]
    answered = dict(
        SandboxScore.objects.filter(user=user, usage_key__in=keys).values_list(
            "usage_key", "modified"
        )
    )
    scores = {
        p.usage_key: ProblemScore(
            None,
            None,
            stored[p.usage_key].earned if p.usage_key in stored else 0.0,
            p.weight or 0.0,
            p.weight,
            p.graded,
            answered.get(p.usage_key),
        )
        for p in problems
    }
    total = SimpleNamespace(
        earned=sum(s.earned for s in scores.values()),
        possible=sum(s.possible for s in scores.values()),
    )
    return SimpleNamespace(location=subsection.usage_key, all_total=total, problem_scores=scores)


def _update_subsection_grades(
    course_key,
    scored_block_usage_key,
    only_if_higher,
    user_id,
    score_deleted,
    force_update_subsections=False,
):
    student = get_user_model().objects.get(id=user_id)
    course = load_courses()[course_key]
    usage_key = UsageKey.from_string(str(scored_block_usage_key))
    for ancestor in course.ancestors(usage_key):
        block = course.index[ancestor]
        if block.block_type != "sequential":
            continue
        grade = _grade(student, block)
        fake_state.subsection_grades[(user_id, str(ancestor))] = grade
        SUBSECTION_SCORE_CHANGED.send(
            sender=None,
            course=SimpleNamespace(id=course_key),
            course_structure=None,
            user=student,
            subsection_grade=grade,
        )
