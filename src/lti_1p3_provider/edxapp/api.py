"""What the provider needs from the platform, as typed functions over a configured backend.

Everything outside ``edxapp/`` calls these functions; the backend (``openedx`` in an LMS,
``sandbox`` for the demo and tests) is chosen by ``LTI_1P3_PROVIDER_EDXAPP_BACKEND``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol

from django.utils.module_loading import import_string
from opaque_keys.edx.keys import CourseKey, UsageKey

from lti_1p3_provider.conf import provider_settings
from lti_1p3_provider.edxapp.languages import best_language

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

BACKENDS = {
    "openedx": "lti_1p3_provider.edxapp.openedx.OpenedxBackend",
    "sandbox": "lti_1p3_provider.edxapp.sandbox.backend.SandboxBackend",
}
COMPOSITE_TYPES = frozenset({"course", "chapter", "sequential", "vertical"})


class BlockNotFound(LookupError):
    """The usage key names no block in the platform's content store."""


class EnrollmentNotAllowed(Exception):
    """The platform refused to enroll the user (a filter, a closed or invitation-only course)."""


class RenderRefused(Exception):
    """The platform would not render the block for this user (403, 400, a gating redirect)."""

    def __init__(self, status: int, reason: str = "") -> None:
        super().__init__(f"render refused with {status}: {reason}".strip(": "))
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class BlockInfo:
    """A block as the provider sees it."""

    usage_key: UsageKey
    block_type: str
    display_name: str
    published: bool
    graded: bool = False
    weight: float | None = None
    children: tuple[UsageKey, ...] = field(default=())

    @property
    def course_key(self) -> CourseKey:
        """The block's course."""
        return self.usage_key.course_key

    @property
    def is_composite(self) -> bool:
        """Units, subsections and sections contain other blocks."""
        return self.block_type in COMPOSITE_TYPES


@dataclass(frozen=True)
class BlockScore:
    """A weighted score: points earned out of points possible."""

    earned: float
    possible: float


@dataclass(frozen=True)
class ProblemResult:
    """One scored problem as the LMS's grades hold it for a learner: weighted points, attempted."""

    usage_key: UsageKey
    display_name: str
    earned: float
    possible: float
    attempted: bool


@dataclass(frozen=True)
class ScoreChanged:
    """The platform's 'a learner's problem score changed' event, backend-neutral.

    ``possible`` is None for a reset (``reset``: staff deleted the score; send 0 against the
    block's maximum). ``only_if_higher`` (rescoring) must not lower a score already held.
    """

    user_id: int
    course_key: CourseKey
    usage_key: UsageKey
    earned: float
    possible: float | None
    reset: bool = False
    only_if_higher: bool = False
    modified: datetime | None = None


@dataclass(frozen=True)
class SubsectionGraded:
    """The LMS stored a learner's recomputed subsection grade (SUBSECTION_SCORE_CHANGED).

    ``earned``/``possible`` are the subsection's totals over all its problems; ``problem_scores``
    holds the weighted (earned, possible) of every problem the grade was computed from;
    ``attempted`` names those the learner has tried (``ProblemScore.first_attempted`` set).
    """

    user_id: int
    course_key: CourseKey
    subsection_key: UsageKey
    earned: float
    possible: float
    problem_scores: tuple[tuple[UsageKey, float, float], ...] = ()
    attempted: frozenset[UsageKey] = frozenset()


GradeEvent = ScoreChanged | SubsectionGraded
ScoreHandler = Callable[[GradeEvent], None]
RetirementHandler = Callable[[Any], object]


@dataclass(frozen=True)
class SessionRoute:
    """What an LMS URL is to a confined LTI session: an asset anyone may load, or a block's."""

    asset: bool = False
    usage_key: UsageKey | None = None


ASSET = SessionRoute(asset=True)


@dataclass(frozen=True)
class Lti1p1Identity:
    """A user of the LMS's own LTI 1.1 provider: the consumer's secret and the mapped user."""

    shared_secret: str
    user: Any


class EdxappBackend(Protocol):
    """The operations every backend implements."""

    def get_block(self, usage_key: UsageKey) -> BlockInfo: ...
    def course_blocks(self, course_key: CourseKey) -> list[BlockInfo]: ...
    def list_courses(self, org: str | None) -> list[CourseKey]: ...
    def render_block(self, request: HttpRequest, usage_key: UsageKey) -> HttpResponse: ...
    def preview_block(self, request: HttpRequest, usage_key: UsageKey) -> HttpResponse: ...
    def create_user(self, username: str, email: str, name: str) -> Any: ...
    def update_user_name(self, user: Any, name: str) -> None: ...
    def enroll(self, user: Any, course_key: CourseKey, mode: str | None) -> None: ...
    def login(self, request: HttpRequest, user: Any) -> None: ...
    def logout(self, request: HttpRequest, response: HttpResponse) -> None: ...
    def block_score(self, user: Any, usage_key: UsageKey) -> BlockScore | None: ...
    def problem_results(self, user: Any, usage_key: UsageKey) -> list[ProblemResult]: ...
    def contains(self, ancestor: UsageKey, usage_key: UsageKey) -> bool: ...
    def connect_score_events(self, handler: ScoreHandler) -> None: ...
    def self_check(self) -> list[str]: ...
    def session_route(self, path: str) -> SessionRoute | None: ...
    def connect_retirement(self, handler: RetirementHandler) -> None: ...
    def set_language(self, request: HttpRequest, user: Any, code: str) -> None: ...
    def offered_languages(self) -> list[str]: ...
    def lti1p1_identity(self, consumer_key: str, user_id: str) -> Lti1p1Identity | None: ...


@lru_cache(maxsize=4)
def _load(path: str) -> EdxappBackend:
    return import_string(BACKENDS.get(path, path))()


def backend() -> EdxappBackend:
    """The configured backend (a name from BACKENDS or a dotted path)."""
    return _load(provider_settings.LTI_1P3_PROVIDER_EDXAPP_BACKEND)


def get_block(usage_key: UsageKey) -> BlockInfo:
    """The block, or BlockNotFound."""
    return backend().get_block(usage_key)


def course_blocks(course_key: CourseKey) -> list[BlockInfo]:
    """Every block of a course in course order (course block first); BlockNotFound if none."""
    return backend().course_blocks(course_key)


def list_courses(org: str | None = None) -> list[CourseKey]:
    """Keys of the LMS's courses, of one organization when ``org`` is given."""
    return backend().list_courses(org)


def render_block(request: HttpRequest, usage_key: UsageKey) -> HttpResponse:
    """The block rendered as a frame-friendly page for the request's user.

    BlockNotFound when the platform does not find it, RenderRefused when it will not show it.
    """
    return backend().render_block(request, usage_key)


def preview_block(request: HttpRequest, usage_key: UsageKey) -> HttpResponse:
    """A read-only rendering for a teacher choosing content, logged in or not.

    RenderRefused when the LMS cannot render the block for nobody in particular.
    """
    return backend().preview_block(request, usage_key)


def create_user(username: str, email: str, name: str) -> Any:
    """A new active user with an unusable password."""
    return backend().create_user(username, email, name)


def update_user_name(user: Any, name: str) -> None:
    """Refresh the user's full name from the platform's claims."""
    backend().update_user_name(user, name)


def enroll(user: Any, course_key: CourseKey, mode: str | None = None) -> None:
    """Enroll the user in the course (idempotent); EnrollmentNotAllowed when refused.

    ``mode`` None means the course's default mode.
    """
    backend().enroll(user, course_key, mode)


def login(request: HttpRequest, user: Any) -> None:
    """Log the user in on this request's session."""
    backend().login(request, user)


def logout(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Log this request's session out, as the LMS's own logout does; returns ``response``."""
    backend().logout(request, response)
    return response


def block_score(user: Any, usage_key: UsageKey) -> BlockScore | None:
    """The user's weighted score on a problem or composite, None when it has no gradable part."""
    return backend().block_score(user, usage_key)


def problem_results(user: Any, usage_key: UsageKey) -> list[ProblemResult]:
    """The user's score on every scored problem in a block, in course order (BlockNotFound)."""
    return backend().problem_results(user, usage_key)


def contains(ancestor: UsageKey, usage_key: UsageKey) -> bool:
    """True when ``usage_key`` is ``ancestor`` or lies anywhere below it."""
    if ancestor == usage_key:
        return True
    if ancestor.course_key != usage_key.course_key:
        return False
    return backend().contains(ancestor, usage_key)


def connect_score_events(handler: ScoreHandler) -> None:
    """Route the platform's problem-score and stored-subsection-grade events to ``handler``."""
    backend().connect_score_events(handler)


def set_language(request: HttpRequest, user: Any, code: str) -> None:
    """Make ``code`` (an offered LMS language, see ``lms_language``) the user's LMS language."""
    backend().set_language(request, user, code)


def lms_language(locale: str | None) -> str | None:
    """The LMS language code for a launch's locale, or None (the LMS default then applies)."""
    if not locale:
        return None
    return best_language(locale, backend().offered_languages())


def connect_retirement(handler: RetirementHandler) -> None:
    """Call ``handler(user)`` when the LMS retires a user (the right to be forgotten)."""
    backend().connect_retirement(handler)


def session_route(path: str) -> SessionRoute | None:
    """How an LTI session may use this LMS path: None for anything but assets and block URLs."""
    return backend().session_route(path)


def self_check() -> list[str]:
    """Problems found probing the backend (empty when it answers)."""
    return backend().self_check()


def lti1p1_identity(consumer_key: str, user_id: str) -> Lti1p1Identity | None:
    """The LMS's built-in LTI 1.1 provider's user for (consumer key, user id), with the
    consumer's secret to check a migration claim; None when it has none."""
    return backend().lti1p1_identity(consumer_key, user_id)
