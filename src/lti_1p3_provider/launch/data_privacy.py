"""Data Privacy Launch: show a learner what this site holds about them; take removal requests."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

from lti_1p3_provider.core.text import _
from lti_1p3_provider.exceptions import PrivacyRequestRefused
from lti_1p3_provider.launch.retention import retention_days
from lti_1p3_provider.launch.validation import ValidatedDataPrivacy
from lti_1p3_provider.models import DataRemovalRequest, LtiLaunch, LtiProfile, PassbackStatus
from lti_1p3_provider.services.capabilities import (
    close_capability,
    open_capability,
    read_capability,
)
from lti_1p3_provider.services.registrations import registration_by_pk

KIND = "privacy"
REQUEST_TTL_SEC = 30 * 60
SHOWN_LAUNCHES = 20


@dataclass(frozen=True)
class PrivacySummary:
    """What the provider holds about one platform user, as the privacy page shows it."""

    tool: LtiTool
    profile: LtiProfile | None
    launches: tuple[LtiLaunch, ...] = ()
    launch_count: int = 0
    scores_sent: int = 0
    scores_owed: int = 0
    open_request: DataRemovalRequest | None = None
    request_id: str | None = None
    retention_days: int | None = None  # LTI_1P3_PROVIDER_LAUNCH_RETENTION_DAYS; None: for ever


def privacy_summary(
    validated: ValidatedDataPrivacy, origins: tuple[str, ...] = (), language: str = ""
) -> PrivacySummary:
    """The learner's data for this registration, and a one-time id to ask for its removal
    (whose answer page ``origins`` may frame)."""
    tool, claims = validated.tool, validated.claims
    profile = LtiProfile.objects.select_related("user").filter(tool=tool, sub=claims.sub).first()
    if profile is None:
        return PrivacySummary(tool=tool, profile=None)
    launches = profile.launches.order_by("-launched_at")
    passbacks = profile.user.lti_1p3_passbacks.filter(tool=tool)
    open_request = profile.removal_requests.filter(handled_at=None).first()
    request_id = None
    if open_request is None:
        data = {
            "profile": profile.pk,
            "tool": tool.pk,
            "deployment_id": claims.deployment_id,
            "language": language,
            "frame_origins": list(origins),
        }
        request_id = open_capability(KIND, data, ttl=REQUEST_TTL_SEC)
    return PrivacySummary(
        tool=tool,
        profile=profile,
        launches=tuple(launches[:SHOWN_LAUNCHES]),
        launch_count=launches.count(),
        scores_sent=passbacks.filter(status=PassbackStatus.SENT).count(),
        scores_owed=passbacks.exclude(status=PassbackStatus.SENT).count(),
        open_request=open_request,
        request_id=request_id,
        retention_days=retention_days(),
    )


def removal_language(request_id: str) -> str:
    """The language of the privacy page that sent this request ("" when unknown)."""
    record = read_capability(KIND, request_id)
    return str(record.get("language") or "") if record else ""


def removal_frame_origins(request_id: str) -> tuple[str, ...]:
    """The origins that framed the privacy page that sent this request (() when unknown)."""
    record = read_capability(KIND, request_id)
    origins = record.get("frame_origins") if record else None
    return tuple(str(o) for o in origins) if isinstance(origins, list) else ()


def request_removal(request_id: str, *, same_origin: bool) -> tuple[DataRemovalRequest, LtiTool]:
    """Record the learner's removal request; once, and only from our own privacy page."""
    record = read_capability(KIND, request_id)
    if record is None or not same_origin:
        raise PrivacyRequestRefused(_("This request was not sent from this site's privacy page."))
    tool = registration_by_pk(record.get("tool"))
    if tool is None or not close_capability(KIND, request_id):
        raise PrivacyRequestRefused(_("This request was already sent."))
    with transaction.atomic():
        profile = LtiProfile.objects.filter(pk=record.get("profile"), tool=tool).first()
        if profile is None:
            raise PrivacyRequestRefused(_("There is no data left to remove."))
        removal, _created = DataRemovalRequest.objects.get_or_create(
            profile=profile,
            handled_at=None,
            defaults={"deployment_id": str(record.get("deployment_id", ""))[:255]},
        )
    return removal, tool
