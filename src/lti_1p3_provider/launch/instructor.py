"""Teachers' views of a context: who launched a link and where its score passbacks stand.

An LTI teaching role grants no Open edX staff rights: the panel reads the provider's own
records for one registration and one platform context, nothing in the LMS.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.urls import reverse
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

from lti_1p3_provider.core.deep_linking import is_teaching_role
from lti_1p3_provider.core.target_link import content_target_path
from lti_1p3_provider.core.text import _
from lti_1p3_provider.exceptions import AccessDenied
from lti_1p3_provider.grades.outbox import resend
from lti_1p3_provider.launch.validation import ValidatedLaunch
from lti_1p3_provider.models import LtiLaunch, PassbackStatus, ScorePassback
from lti_1p3_provider.roster.learners import learner_rows
from lti_1p3_provider.roster.nrps import RosterUnavailable, fetch_roster
from lti_1p3_provider.services.capabilities import open_capability, read_capability


@dataclass(frozen=True)
class PanelScope:
    """What one teacher's launch may see: a registration, a context, maybe one link."""

    id: str
    tool_id: int
    context_id: str
    context_title: str
    resource_link_id: str  # "" on the course home page: every link of the context
    content_path: str
    teacher: bool
    frame_origins: tuple[str, ...] = ()
    language: str = ""  # the launch's LMS language code; "" for the LMS's own choice
    memberships_url: str = ""  # the platform's roster (NRPS), when the launch offered it


@dataclass(frozen=True)
class LinkSummary:
    """One resource link of the context: learners who launched it, passbacks by state."""

    resource_link_id: str
    usage_key: str
    learners: int
    sent: int
    pending: int
    failed: int


PANEL = "panel"


def launched_path(
    launch: LtiLaunch, origins: tuple[str, ...], language: str = "", memberships_url: str = ""
) -> str:
    """Where a content launch goes: the content, framed by the panel for teachers."""
    path = content_target_path(launch.course_key, launch.usage_key)
    if not is_teaching_role(tuple(launch.roles or ())) or not launch.context_id:
        return path
    if launch.tool_id is None:
        return path  # LTI 1.1: the panel's roster and links are LTI 1.3 services
    scope_id = open_capability(
        PANEL,
        {
            "tool_id": launch.tool_id,
            "context_id": launch.context_id,
            "context_title": launch.context_title,
            "resource_link_id": launch.resource_link_id,
            "content_path": path,
            "teacher": True,
            "frame_origins": list(origins),
            "language": language,
            "memberships_url": memberships_url,
        },
    )
    return reverse("lti_1p3_provider:instructor_panel", args=[scope_id])


def home_path(validated: ValidatedLaunch, origins: tuple[str, ...], language: str = "") -> str:
    """The course home page for a link that names the tool itself rather than content."""
    claims = validated.claims
    scope_id = open_capability(
        PANEL,
        {
            "tool_id": validated.tool.pk,
            "context_id": claims.context_id or "",
            "context_title": claims.context_title or "",
            "resource_link_id": "",
            "content_path": "",
            "teacher": is_teaching_role(claims.roles) and bool(claims.context_id),
            "frame_origins": list(origins),
            "language": language,
            "memberships_url": claims.memberships_url or "",
        },
    )
    return reverse("lti_1p3_provider:course_home", args=[scope_id])


def load_scope(scope_id: str) -> PanelScope:
    """The panel scope of a launch; AccessDenied when it expired or never existed."""
    raw = read_capability(PANEL, scope_id)
    if raw is None:
        raise AccessDenied(_("This page has expired. Launch the link again from your course."))
    return PanelScope(**{**raw, "frame_origins": tuple(raw.get("frame_origins") or ())})


def _passbacks(scope: PanelScope) -> Any:
    rows = ScorePassback.objects.filter(tool_id=scope.tool_id, launch__context_id=scope.context_id)
    if scope.resource_link_id:
        rows = rows.filter(resource_link_id=scope.resource_link_id)
    return rows


def summaries(scope: PanelScope) -> list[LinkSummary]:
    """Per resource link of the scope: distinct learners and passback states (two queries)."""
    launches = LtiLaunch.objects.filter(tool_id=scope.tool_id, context_id=scope.context_id)
    if scope.resource_link_id:
        launches = launches.filter(resource_link_id=scope.resource_link_id)
    learners = launches.values("resource_link_id", "usage_key").annotate(
        n=Count("user", distinct=True)
    )
    states: dict[tuple[str, str], int] = {}
    for row in _passbacks(scope).values("resource_link_id", "status").annotate(n=Count("pk")):
        states[(row["resource_link_id"], row["status"])] = row["n"]
    found = []
    for row in learners.order_by("resource_link_id"):
        link = row["resource_link_id"]
        found.append(
            LinkSummary(
                resource_link_id=link,
                usage_key=str(row["usage_key"]),
                learners=row["n"],
                sent=states.get((link, str(PassbackStatus.SENT)), 0),
                pending=states.get((link, str(PassbackStatus.PENDING)), 0)
                + states.get((link, str(PassbackStatus.SENDING)), 0),
                failed=states.get((link, str(PassbackStatus.FAILED)), 0),
            )
        )
    return found


def resend_failed(scope: PanelScope) -> int:
    """Queue the scope's failed passbacks again; teachers only."""
    if not scope.teacher:
        raise AccessDenied(_("Only teachers can resend scores."))
    return resend(_passbacks(scope).filter(status=PassbackStatus.FAILED))


def learners_page(scope: PanelScope) -> dict[str, Any]:
    """The learners page's data: rows from the platform's roster, or why there are none."""
    if not scope.teacher:
        raise AccessDenied(_("Only teachers can see the class roster."))
    if not scope.memberships_url:
        return {"rows": [], "unavailable": "", "offered": False}
    tool = LtiTool.objects.filter(pk=scope.tool_id, is_active=True).first()
    if tool is None:  # deleted or deactivated since the launch
        raise AccessDenied(_("This page has expired. Launch the link again from your course."))
    try:
        roster = fetch_roster(tool, scope.memberships_url, scope.resource_link_id)
    except RosterUnavailable as exc:
        return {"rows": [], "unavailable": str(exc), "offered": True}
    table = learner_rows(scope.tool_id, scope.context_id, scope.resource_link_id, roster)
    return {
        "rows": table.rows,
        "launched_elsewhere": table.launched_elsewhere,
        "roster": roster,
        "unavailable": "",
        "offered": True,
    }
