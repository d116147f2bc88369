"""The real backend: edx-platform's modulestore, courseware rendering, enrollment and grades.

Every edx-platform import happens inside a function, so this module imports (and the system
check can report a clear error) on a machine without edx-platform. Names and signatures are
listed with their source paths in docs/edx-platform-api.rst.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from opaque_keys.edx.keys import CourseKey, UsageKey

from lti_1p3_provider.edxapp import openedx_grades
from lti_1p3_provider.edxapp.api import (
    BlockInfo,
    BlockNotFound,
    BlockScore,
    EnrollmentNotAllowed,
    Lti1p1Identity,
    ProblemResult,
    RenderRefused,
    RetirementHandler,
    ScoreHandler,
    SessionRoute,
)
from lti_1p3_provider.edxapp.retirement import connect_retirement_signal
from lti_1p3_provider.edxapp.routes import route
from lti_1p3_provider.edxapp.score_events import (
    connect_subsection_signal,
    connect_weighted_score_signal,
)

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"

# lms/urls.py: xblock_handler, xblock_handler_noauth, xblock_view and render_xblock.
BLOCK_URLS = (
    re.compile(r"^/courses/[^/]+/xblock/(?P<usage>[^/]+)/(?:handler|handler_noauth|view)/"),
    re.compile(r"^/xblock/(?P<usage>[^/]+)/?$"),
)
# Static files, course assets, XBlock resources, translations, CSRF token, tracking, logout.
ASSET_PREFIXES = (
    "/static/",
    "/asset-v1:",
    "/c4x/",
    "/xblock/resource/",
    "/jsi18n/",
    "/i18n/",
    "/csrf/api/v1/token",
    "/event",
    "/segmentio/event",
    "/favicon.ico",
    "/logout",
)


def _store() -> Any:
    from xmodule.modulestore.django import modulestore

    return modulestore()


def _info(store: Any, block: Any) -> BlockInfo:
    weight = getattr(block, "weight", None)
    return BlockInfo(
        usage_key=block.location,
        block_type=block.location.block_type,
        display_name=block.display_name_with_default,
        published=bool(store.has_published_version(block)),
        graded=bool(getattr(block, "graded", False)),
        weight=float(weight) if weight is not None else None,
        children=tuple(getattr(block, "children", None) or ()),
    )


def _login_backend() -> str:
    """A configured backend that can log in an active user by primary key.

    Prefer a ``*ModelBackend*`` (the LMS's EdxRateLimitedAllowAllUsersModelBackend); on sites
    whose backends are all custom (multi-site, eox-tenant), take the first one that can
    ``get_user``, since Django's session keeps the backend path and reloads the user with it.
    """
    paths = list(getattr(settings, "AUTHENTICATION_BACKENDS", ()) or ())
    for path in paths:
        if "ModelBackend" in path:
            return path
    for path in paths:
        try:
            if callable(getattr(auth.load_backend(path), "get_user", None)):
                return path
        except ImportError:
            continue
    return MODEL_BACKEND


class OpenedxBackend:
    """Implements edxapp.api.EdxappBackend on edx-platform."""

    def __init__(self) -> None:
        # Fail at construction (so the system check reports it) when edx-platform is absent.
        import xmodule.modulestore.django  # noqa: F401

    def get_block(self, usage_key: UsageKey) -> BlockInfo:
        from xmodule.modulestore.exceptions import ItemNotFoundError

        store = _store()
        try:
            block = store.get_item(usage_key, depth=0)
        except ItemNotFoundError as exc:
            raise BlockNotFound(str(usage_key)) from exc
        return _info(store, block)

    def course_blocks(self, course_key: CourseKey) -> list[BlockInfo]:
        store = _store()
        course = store.get_course(course_key, depth=None)
        if course is None:
            raise BlockNotFound(str(course_key))
        found: list[BlockInfo] = []
        stack = [course]
        while stack:
            block = stack.pop(0)
            found.append(_info(store, block))
            stack[0:0] = list(block.get_children())
        return found

    def preview_block(self, request: HttpRequest, usage_key: UsageKey) -> HttpResponse:
        # render_xblock renders for a logged-in learner with course access; a teacher choosing
        # content is neither, so the picker shows the block's outline instead.
        raise RenderRefused(403, "the LMS renders blocks for enrolled learners only")

    def list_courses(self, org: str | None) -> list[CourseKey]:
        # xmodule/modulestore/mixed.py get_course_summaries: CourseSummary objects, ``org``
        # filters in the store's query.
        summaries = _store().get_course_summaries(**({"org": org} if org else {}))
        return [summary.id for summary in summaries]

    def render_block(self, request: HttpRequest, usage_key: UsageKey) -> HttpResponse:
        from django.http import Http404
        from lms.djangoapps.courseware.views.views import render_xblock

        # The LTI grant, not course enrollment, decides access; staff debug chrome is hidden.
        try:
            response = render_xblock(
                request, str(usage_key), check_if_enrolled=False, disable_staff_debug_info=True
            )
        except Http404 as exc:
            raise BlockNotFound(str(usage_key)) from exc
        if response.status_code >= 300:
            # 400/403/500 pages and the gated-sequence redirect to /xblock/<sequence> are the
            # LMS's unframed pages: the provider shows its own instead.
            raise RenderRefused(response.status_code, response.get("Location", ""))
        return response

    def create_user(self, username: str, email: str, name: str) -> Any:
        from common.djangoapps.student.models import UserProfile

        with transaction.atomic():
            # password=None: Django stores an unusable password in the same INSERT.
            user = get_user_model().objects.create_user(
                username=username, email=email, password=None
            )
            # A profile is required by much of the LMS (e.g. PREVENT_CONCURRENT_LOGINS).
            UserProfile.objects.create(user=user, name=name[:255])
        return user

    def update_user_name(self, user: Any, name: str) -> None:
        from common.djangoapps.student.models import UserProfile

        try:
            profile = UserProfile.objects.get(user=user)
        except UserProfile.DoesNotExist:
            return
        if profile.name != name[:255]:
            # save(), not a queryset update: the LMS's profile-change signal handlers must run.
            profile.name = name[:255]
            profile.save()

    def enroll(self, user: Any, course_key: CourseKey, mode: str | None) -> None:
        from common.djangoapps.student.models import CourseEnrollment, CourseEnrollmentException

        if CourseEnrollment.is_enrolled(user, course_key):
            return
        try:
            # check_access=False as the LMS's own LTI provider does: the launch gate decides.
            # The CourseEnrollmentStarted filter still runs and may refuse.
            CourseEnrollment.enroll(user, course_key, mode=mode, check_access=False)
        except CourseEnrollmentException as exc:
            raise EnrollmentNotAllowed(f"{exc.__class__.__name__}: {exc}") from exc

    def login(self, request: HttpRequest, user: Any) -> None:
        from openedx.core.djangoapps.safe_sessions.middleware import mark_user_change_as_expected

        auth.login(request, user, backend=_login_backend())
        # Without this the safe-sessions middleware treats the user switch as session theft.
        mark_user_change_as_expected(user.id)

    def logout(self, request: HttpRequest, response: HttpResponse) -> None:
        from openedx.core.djangoapps.safe_sessions.middleware import mark_user_change_as_expected
        from openedx.core.djangoapps.user_authn.cookies import delete_logged_in_cookies

        # As the LMS's LogoutView: the MFEs' logged-in and JWT cookies go with the session.
        auth.logout(request)
        delete_logged_in_cookies(response)
        mark_user_change_as_expected(None)

    def block_score(self, user: Any, usage_key: UsageKey) -> BlockScore | None:
        return openedx_grades.block_score(user, usage_key)

    def problem_results(self, user: Any, usage_key: UsageKey) -> list[ProblemResult]:
        return openedx_grades.problem_results(_store(), user, usage_key)

    def contains(self, ancestor: UsageKey, usage_key: UsageKey) -> bool:
        store = _store()
        location = store.get_parent_location(usage_key)
        while location is not None:
            if location == ancestor:
                return True
            location = store.get_parent_location(location)
        return False

    def connect_score_events(self, handler: ScoreHandler) -> None:
        from lms.djangoapps.grades.signals.signals import (
            PROBLEM_WEIGHTED_SCORE_CHANGED,
            SUBSECTION_SCORE_CHANGED,
        )

        connect_weighted_score_signal(PROBLEM_WEIGHTED_SCORE_CHANGED, "openedx", handler)
        # Sent by the grades task once the recomputed subsection grade is stored (ADR 0004).
        connect_subsection_signal(SUBSECTION_SCORE_CHANGED, "openedx", handler)

    def set_language(self, request: HttpRequest, user: Any, code: str) -> None:
        from openedx.core.djangoapps.lang_pref import LANGUAGE_KEY
        from openedx.core.djangoapps.user_api.preferences.api import (
            get_user_preference,
            set_user_preference,
        )

        # The LMS's LanguagePreferenceMiddleware applies the preference on the next request.
        if get_user_preference(user, LANGUAGE_KEY) != code:
            set_user_preference(user, LANGUAGE_KEY, code)

    def offered_languages(self) -> list[str]:
        from openedx.core.djangoapps.lang_pref.api import released_languages

        # Released languages only: the LMS's dark-language setting hides the others.
        return [language.code for language in released_languages()]

    def connect_retirement(self, handler: RetirementHandler) -> None:
        from openedx.core.djangoapps.user_api.accounts.signals import USER_RETIRE_LMS_MISC

        connect_retirement_signal(USER_RETIRE_LMS_MISC, "openedx", handler)

    def lti1p1_identity(self, consumer_key: str, user_id: str) -> Lti1p1Identity | None:
        """The LMS's LTI 1.1 provider (lms/djangoapps/lti_provider): LtiConsumer, LtiUser."""
        try:
            from lms.djangoapps.lti_provider.models import LtiConsumer, LtiUser
        except ImportError:  # the app is not installed on this LMS
            return None
        consumer = LtiConsumer.objects.filter(consumer_key=consumer_key).first()
        if consumer is None:
            return None
        found = (
            LtiUser.objects.select_related("edx_user")
            .filter(lti_consumer=consumer, lti_user_id=user_id)
            .first()
        )
        if found is None:
            return None
        return Lti1p1Identity(shared_secret=consumer.consumer_secret, user=found.edx_user)

    def session_route(self, path: str) -> SessionRoute | None:
        return route(path, ASSET_PREFIXES, BLOCK_URLS)

    def self_check(self) -> list[str]:
        try:
            # Summaries, not get_courses(): that loads every course of the site, and the admin's
            # self-check page runs this inside a web request.
            courses = _store().get_course_summaries()
        except Exception as exc:  # noqa: BLE001 - the check reports whatever the store raised
            return [f"The modulestore did not answer: {exc.__class__.__name__}: {exc}"]
        if not courses:
            return ["The modulestore answered but holds no course yet."]
        course_key = courses[0].id
        try:
            blocks = self.course_blocks(course_key)
        except Exception as exc:  # noqa: BLE001
            return [f"Course {course_key} could not list its blocks: {exc}"]
        if len(blocks) < 2:
            return [f"Course {course_key} lists no blocks below the course."]
        return []
