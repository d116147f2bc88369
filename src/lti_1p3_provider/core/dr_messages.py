"""The messages a registration asks the platform to send (the tool configuration's ``messages``).

Only message types the platform lists in ``messages_supported`` are asked for: Canvas refuses a
registration that names a type it does not know (HTTP 422), and the spec has the tool pick from
what the platform offers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lti_1p3_provider.core.claims import (
    DATA_PRIVACY_REQUESTS,
    DEEP_LINKING_REQUEST,
    RESOURCE_LINK_REQUEST,
    SUBMISSION_REVIEW_REQUEST,
)

if TYPE_CHECKING:
    from lti_1p3_provider.core.dynamic_registration import PlatformConfiguration

CANVAS = "https://canvas.instructure.com/lti/"
# Placements where a teacher chooses content (Canvas, Moodle, the LTI placement vocabulary).
SELECTION_PLACEMENTS = frozenset(
    {"link_selection", "assignment_selection", "editor_button", "ContentArea", "RichTextEditor"}
)
# The course navigation entry opens the teacher's overview; Canvas shows it only when enabled.
NAVIGATION_PLACEMENT = "course_navigation"


@dataclass(frozen=True)
class MessageTargets:
    """Where each kind of message goes on this tool; None: the tool does not take it."""

    label: str
    deep_linking: str
    course_home: str
    submission_review: str | None = None
    data_privacy: str | None = None


def tool_messages(targets: MessageTargets, platform: PlatformConfiguration) -> list[dict[str, Any]]:
    """The ``messages`` entries for this platform, in a fixed order."""
    messages = []
    linking = platform.message(DEEP_LINKING_REQUEST)
    if linking is not None:
        message = _message(DEEP_LINKING_REQUEST, targets.deep_linking, targets.label)
        placements = [p for p in linking.placements if p in SELECTION_PLACEMENTS]
        if placements:
            message["placements"] = placements
        messages.append(message)
    link = platform.message(RESOURCE_LINK_REQUEST)
    if link is not None and NAVIGATION_PLACEMENT in link.placements:
        navigation = _message(RESOURCE_LINK_REQUEST, targets.course_home, targets.label)
        navigation["placements"] = [NAVIGATION_PLACEMENT]
        if platform.is_canvas:
            navigation[CANVAS + "course_navigation/default_enabled"] = False
        messages.append(navigation)
    if targets.submission_review and platform.message(SUBMISSION_REVIEW_REQUEST):
        # The launch URL: a review finds the content from the learner's launches of the link.
        messages.append(
            _message(SUBMISSION_REVIEW_REQUEST, targets.submission_review, targets.label)
        )
    # The spec's name and the one some platforms use: registered as the platform spells it.
    privacy = next((m.type for m in platform.messages if m.type in DATA_PRIVACY_REQUESTS), None)
    if targets.data_privacy and privacy:
        messages.append(_message(privacy, targets.data_privacy, targets.label))
    return messages


def _message(message_type: str, target_link_uri: str, label: str) -> dict[str, Any]:
    return {"type": message_type, "target_link_uri": target_link_uri, "label": label}
