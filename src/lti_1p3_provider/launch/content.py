"""Content checks shared by launches and the content view: exists, published, gated."""

from __future__ import annotations

from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

from lti_1p3_provider.core.target_link import ContentTarget
from lti_1p3_provider.edxapp import api as edxapp
from lti_1p3_provider.exceptions import ContentNotAllowed, ContentNotFound
from lti_1p3_provider.models import LaunchGate


def published_block(target: ContentTarget) -> edxapp.BlockInfo:
    """The target's block; ContentNotFound when it does not exist or is not published."""
    try:
        block = edxapp.get_block(target.usage_key)
    except edxapp.BlockNotFound as exc:
        raise ContentNotFound("The linked content does not exist on this site.") from exc
    if not block.published:
        raise ContentNotFound("The linked content is not published yet.")
    return block


def check_gate(tool: LtiTool, target: ContentTarget) -> None:
    """Refuse content outside the registration's launch gate (no gate: nothing is allowed)."""
    gate = LaunchGate.objects.filter(tool=tool).first()
    org = getattr(target.course_key, "org", "")
    if gate is None or not gate.allows(target.course_key, target.usage_key, org):
        raise ContentNotAllowed("Your course's platform may not launch this content.")
