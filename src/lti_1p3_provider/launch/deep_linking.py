"""Deep linking: a teacher's picker session, the chosen links, and the signed response."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

from lti_1p3_provider.conf import provider_settings
from lti_1p3_provider.core.deep_linking import (
    DeepLinkingSettings,
    LinkItem,
    is_teaching_role,
    response_claims,
)
from lti_1p3_provider.core.target_link import content_target_path
from lti_1p3_provider.core.text import _
from lti_1p3_provider.exceptions import DeepLinkingError, NotATeacher, SelectionExpired
from lti_1p3_provider.launch.catalog import CatalogNode
from lti_1p3_provider.launch.validation import ValidatedDeepLinking
from lti_1p3_provider.services.capabilities import (
    close_capability,
    open_capability,
    read_capability,
)
from lti_1p3_provider.services.registrations import registration_by_pk
from lti_1p3_provider.services.tool_keys import sign_as_tool


@dataclass(frozen=True)
class PickerSession:
    """What the picker needs between the deep linking launch and the teacher's choice.

    Stored server-side under an unguessable id that the picker's pages carry: the picker
    works without cookies (a platform's frame often gets none) and logs nobody in.
    """

    id: str
    tool_id: int
    deployment_id: str
    settings: DeepLinkingSettings
    context_title: str
    language: str = ""  # the request's LMS language code; "" for the LMS's own choice
    frame_origins: tuple[str, ...] = ()  # the launch's (framing.frame_origins)


PICKER = "picker"


def start_picker(
    validated: ValidatedDeepLinking, origins: tuple[str, ...] = (), language: str = ""
) -> str:
    """Check the requester may pick content, then open a picker session framable by
    ``origins``; its id."""
    claims = validated.claims
    if not is_teaching_role(claims.roles):
        raise NotATeacher(
            _("Only teachers, teaching assistants and course designers can add Open edX content.")
        )
    if not claims.settings.accepts_links:
        raise DeepLinkingError(
            _(
                "Your platform asked for content this tool does not provide (it only sends LTI "
                "links)."
            )
        )
    return open_capability(
        PICKER,
        {
            "tool_id": validated.tool.pk,
            "deployment_id": claims.deployment_id,
            "settings": asdict(claims.settings),
            "context_title": claims.context_title or "",
            "language": language,
            "frame_origins": list(origins),
        },
    )


def load_picker(session_id: str) -> tuple[PickerSession, LtiTool]:
    """The open picker session and its registration; SelectionExpired when there is none."""
    raw = read_capability(PICKER, session_id)
    tool = registration_by_pk(raw["tool_id"]) if raw else None
    if raw is None or tool is None:
        raise SelectionExpired(
            _(
                "This content selection has expired or was already sent. Start again from your "
                "course's 'add content' button."
            )
        )
    settings = DeepLinkingSettings(**raw["settings"])
    origins = tuple(raw.get("frame_origins") or ())
    return PickerSession(**{**raw, "settings": settings, "frame_origins": origins}), tool


def close_picker(session_id: str) -> None:
    """End the session: its selection can be sent once only."""
    if not close_capability(PICKER, session_id):
        raise SelectionExpired(_("This content selection was already sent to your course."))


def link_item(node: CatalogNode, base_url: str) -> LinkItem:
    """The resource link for a chosen block; scored content carries its line item."""
    block = node.block
    course = block.usage_key.course_key
    return LinkItem(
        url=base_url + content_target_path(course, block.usage_key),
        title=block.display_name[:255],
        text=f"Open edX {block.block_type}: {node.path}"[:1024],
        score_maximum=node.score_maximum or None,
        resource_id=node.usage_key,
        tag=node.usage_key,
        submission_review=provider_settings.LTI_1P3_PROVIDER_SUBMISSION_REVIEW,
    )


def signed_response(
    tool: LtiTool,
    session: PickerSession,
    items: list[LinkItem],
    *,
    message: str | None = None,
    error: str | None = None,
) -> str:
    """The ``LtiDeepLinkingResponse`` JWT, signed with the registration's tool key."""
    claims = response_claims(
        client_id=tool.client_id,
        issuer=tool.issuer,
        deployment_id=session.deployment_id,
        settings=session.settings,
        items=items,
        message=message,
        error=error,
    )
    return sign_as_tool(tool, claims)
