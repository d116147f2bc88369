"""The teachers' learners page: the platform's roster next to the provider's own records.

For each member: whether and when they launched (the link, or any link of the context), and
where their scores stand. Two queries whatever the class size; members are matched by the
platform's user id (the launch's ``sub``), which is what both sides know them by.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max

from lti_1p3_provider.models import LtiLaunch, PassbackStatus, ScorePassback
from lti_1p3_provider.roster.nrps import Member, Roster

TEACHING = ("Instructor", "TeachingAssistant", "ContentDeveloper", "Mentor", "Administrator")
# The state a learner's row shows when their links disagree: what a teacher must act on first.
_WORST_FIRST = (
    PassbackStatus.FAILED,
    PassbackStatus.PENDING,
    PassbackStatus.SENDING,
    PassbackStatus.SENT,
)


@dataclass(frozen=True)
class LearnerRow:
    """One roster member on the page (``user_id``: their platform id, the launch's ``sub``)."""

    user_id: str
    name: str
    email: str
    role: str
    status: str
    launched_at: datetime | None
    score: str  # a PassbackStatus value, or "" when no score was recorded
    error: str


def role_name(roles: tuple[str, ...]) -> str:
    """The member's context role in LTI's words (``Instructor``, ``Learner``...)."""
    names = [role.rsplit("#", 1)[-1].rsplit("/", 1)[-1] for role in roles]
    for name in names:
        if name in TEACHING:
            return name
    return names[0] if names else ""


@dataclass(frozen=True)
class LearnersTable:
    """The page's rows, and how many who launched are not in the roster (left the course)."""

    rows: list[LearnerRow]
    launched_elsewhere: int


def learner_rows(
    tool_id: int, context_id: str, resource_link_id: str, roster: Roster
) -> LearnersTable:
    """Rows for ``roster``: learners first, then teaching roles, each by name."""
    launches = LtiLaunch.objects.filter(tool_id=tool_id, context_id=context_id)
    passbacks = ScorePassback.objects.filter(tool_id=tool_id, launch__context_id=context_id)
    if resource_link_id:
        launches = launches.filter(resource_link_id=resource_link_id)
        passbacks = passbacks.filter(resource_link_id=resource_link_id)
    launched = dict(
        launches.values("profile__sub")
        .annotate(last=Max("launched_at"))
        .values_list("profile__sub", "last")
    )
    scores: dict[str, tuple[str, str]] = {}
    for sub, status, error in passbacks.values_list("lti_user_id", "status", "last_error"):
        held = scores.get(sub)
        if held is None or _WORST_FIRST.index(status) < _WORST_FIRST.index(held[0]):
            scores[sub] = (status, error)
    rows = [_row(member, launched, scores) for member in roster.members]
    rows.sort(key=lambda r: (r.role in TEACHING, r.name.casefold(), r.email))
    # Only a complete roster can tell who is missing from it.
    missing = set(launched) - {m.user_id for m in roster.members} if roster.complete else set()
    return LearnersTable(rows, len(missing))


def _row(
    member: Member, launched: dict[str, datetime], scores: dict[str, tuple[str, str]]
) -> LearnerRow:
    status, error = scores.get(member.user_id, ("", ""))
    return LearnerRow(
        user_id=member.user_id,
        name=member.name or member.user_id,
        email=member.email,
        role=role_name(member.roles),
        status=member.status,
        launched_at=launched.get(member.user_id),
        score=status,
        error=error[:200],
    )
