"""The sandbox backend: the edxapp seam implemented on the sandbox course and its tables."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from opaque_keys.edx.keys import CourseKey, UsageKey

from lti_1p3_provider.edxapp.api import (
    BlockInfo,
    BlockNotFound,
    BlockScore,
    Lti1p1Identity,
    ProblemResult,
    RetirementHandler,
    ScoreHandler,
    SessionRoute,
)
from lti_1p3_provider.edxapp.retirement import connect_retirement_signal
from lti_1p3_provider.edxapp.routes import route
from lti_1p3_provider.edxapp.sandbox.course import SandboxBlock, load_courses
from lti_1p3_provider.edxapp.sandbox.signals import (
    PROBLEM_WEIGHTED_SCORE_CHANGED,
    SUBSECTION_SCORE_CHANGED,
    USER_RETIRE_LMS_MISC,
)
from lti_1p3_provider.edxapp.score_events import (
    connect_subsection_signal,
    connect_weighted_score_signal,
)

SESSION_LANGUAGE = "lti_sandbox_language"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
BLOCK_URLS = (re.compile(r"^/sandbox/xblock/(?P<usage>[^/]+)/submit$"),)
ASSET_PREFIXES = ("/static/", "/favicon.ico")


def find_block(usage_key: UsageKey) -> SandboxBlock:
    """The sandbox block for a usage key, or BlockNotFound."""
    course = load_courses().get(usage_key.course_key)
    block = course.index.get(usage_key) if course else None
    if block is None:
        raise BlockNotFound(str(usage_key))
    return block


def _info(block: SandboxBlock) -> BlockInfo:
    return BlockInfo(
        usage_key=block.usage_key,
        block_type=block.block_type,
        display_name=block.display_name,
        published=block.published,
        graded=block.graded,
        weight=block.weight,
        children=tuple(child.usage_key for child in block.children),
    )


def problem_scores(user: Any, blocks: list[SandboxBlock]) -> dict[UsageKey, BlockScore]:
    """The user's stored scores on these problems, by usage key."""
    from lti_1p3_provider.edxapp.sandbox.models import SandboxScore

    keys = [b.usage_key for b in blocks]
    rows = SandboxScore.objects.filter(user=user, usage_key__in=keys)
    return {row.usage_key: BlockScore(row.earned, row.possible) for row in rows}


class SandboxBackend:
    """Implements edxapp.api.EdxappBackend without edx-platform."""

    def get_block(self, usage_key: UsageKey) -> BlockInfo:
        return _info(find_block(usage_key))

    def course_blocks(self, course_key: CourseKey) -> list[BlockInfo]:
        course = load_courses().get(course_key)
        if course is None:
            raise BlockNotFound(str(course_key))
        return [_info(block) for block in course.root.walk()]

    def list_courses(self, org: str | None) -> list[CourseKey]:
        return [key for key in load_courses() if not org or key.org == org]

    def render_block(self, request: HttpRequest, usage_key: UsageKey) -> HttpResponse:
        from lti_1p3_provider.edxapp.sandbox.models import SandboxScore

        block = find_block(usage_key)
        # The learner's stored answers too: a problem shows the chosen answer and its verdict.
        keys = [p.usage_key for p in block.problems()]
        rows = SandboxScore.objects.filter(user=request.user, usage_key__in=keys)
        # Like the LMS: the page is in the user's preferred language when one is set.
        session = getattr(request, "session", None) or {}
        with translation.override(session.get(SESSION_LANGUAGE, settings.LANGUAGE_CODE)):
            html = render_to_string(
                "sandbox/page.html",
                {"block": block, "scores": {str(row.usage_key): row for row in rows}},
                request=request,
            )
        return HttpResponse(html)

    def preview_block(self, request: HttpRequest, usage_key: UsageKey) -> HttpResponse:
        block = find_block(usage_key)
        html = render_to_string(
            "sandbox/page.html", {"block": block, "scores": {}, "preview": True}, request=request
        )
        return HttpResponse(html)

    def create_user(self, username: str, email: str, name: str) -> Any:
        # One INSERT: no password means an unusable one; the name goes in with it.
        return get_user_model().objects.create_user(
            username=username, email=email, password=None, first_name=name[:150]
        )

    def update_user_name(self, user: Any, name: str) -> None:
        if user.first_name != name[:150]:
            user.first_name = name[:150]
            user.save(update_fields=["first_name"])

    def enroll(self, user: Any, course_key: CourseKey, mode: str | None) -> None:
        from lti_1p3_provider.edxapp.sandbox.models import SandboxEnrollment

        SandboxEnrollment.objects.get_or_create(user=user, course_key=course_key)

    def login(self, request: HttpRequest, user: Any) -> None:
        auth.login(request, user, backend=MODEL_BACKEND)

    def logout(self, request: HttpRequest, response: HttpResponse) -> None:
        auth.logout(request)

    def block_score(self, user: Any, usage_key: UsageKey) -> BlockScore | None:
        # Like the LMS's grades, only published problems count.
        problems = [p for p in find_block(usage_key).problems() if p.published]
        if not problems:
            return None
        stored = problem_scores(user, problems)
        earned = sum(stored[p.usage_key].earned for p in problems if p.usage_key in stored)
        possible = sum(p.weight or 0.0 for p in problems)
        return BlockScore(earned=earned, possible=possible)

    def problem_results(self, user: Any, usage_key: UsageKey) -> list[ProblemResult]:
        problems = [p for p in find_block(usage_key).problems() if p.published]
        stored = problem_scores(user, problems)
        return [
            ProblemResult(
                usage_key=p.usage_key,
                display_name=p.display_name,
                earned=stored[p.usage_key].earned if p.usage_key in stored else 0.0,
                possible=p.weight or 0.0,
                attempted=p.usage_key in stored,
            )
            for p in problems
        ]

    def contains(self, ancestor: UsageKey, usage_key: UsageKey) -> bool:
        course = load_courses().get(usage_key.course_key)
        return course is not None and ancestor in course.ancestors(usage_key)

    def connect_score_events(self, handler: ScoreHandler) -> None:
        connect_weighted_score_signal(PROBLEM_WEIGHTED_SCORE_CHANGED, "sandbox", handler)
        connect_subsection_signal(SUBSECTION_SCORE_CHANGED, "sandbox", handler)

    def set_language(self, request: HttpRequest, user: Any, code: str) -> None:
        # As the LMS's language middleware does with the user's preference: the session
        # carries it to the content pages.
        request.session[SESSION_LANGUAGE] = code

    def offered_languages(self) -> list[str]:
        return [code for code, _ in settings.LANGUAGES]

    def connect_retirement(self, handler: RetirementHandler) -> None:
        connect_retirement_signal(USER_RETIRE_LMS_MISC, "sandbox", handler)

    def lti1p1_identity(self, consumer_key: str, user_id: str) -> Lti1p1Identity | None:
        """The sandbox has no built-in LTI 1.1 provider."""
        return None

    def session_route(self, path: str) -> SessionRoute | None:
        return route(path, ASSET_PREFIXES, BLOCK_URLS)

    def self_check(self) -> list[str]:
        problems = []
        courses = load_courses()
        if not courses:
            problems.append("The sandbox data file holds no course.")
        for course in courses.values():
            if not course.root.problems():
                problems.append(f"Sandbox course {course.course_key} has no problems.")
        return problems


def submit_answer(user: Any, block: SandboxBlock, answer: str) -> BlockScore:
    """Grade an answer, store it, and send the grade signals as the LMS does."""
    from lti_1p3_provider.edxapp.sandbox.grades import update_subsection_grades
    from lti_1p3_provider.edxapp.sandbox.models import SandboxScore

    weight = block.weight or 0.0
    earned = weight if answer == block.data.get("answer") else 0.0
    with transaction.atomic():
        SandboxScore.objects.update_or_create(
            user=user,
            usage_key=block.usage_key,
            defaults={
                "course_key": block.usage_key.course_key,
                "answer": answer[:255],
                "earned": earned,
                "possible": weight,
            },
        )
        PROBLEM_WEIGHTED_SCORE_CHANGED.send(
            sender=SandboxScore,
            user_id=user.id,
            course_id=str(block.usage_key.course_key),
            usage_id=str(block.usage_key),
            weighted_earned=earned,
            weighted_possible=weight,
            only_if_higher=False,
            modified=timezone.now(),
            score_deleted=False,
        )
    # The LMS's grades task runs after the submit commits; so does the sandbox's.
    update_subsection_grades(user, block.usage_key)
    return BlockScore(earned=earned, possible=weight)
