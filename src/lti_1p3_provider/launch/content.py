"""Content checks shared by launches and the content view: exists, published, gated, shown."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from opaque_keys.edx.keys import CourseKey
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

from lti_1p3_provider.conf import provider_settings
from lti_1p3_provider.core.target_link import ContentTarget
from lti_1p3_provider.core.text import _
from lti_1p3_provider.edxapp import api as edxapp
from lti_1p3_provider.exceptions import (
    ContentNotAllowed,
    ContentNotFound,
    ContentUnavailable,
    EnrollmentRefused,
)
from lti_1p3_provider.models import LaunchGate
from lti_1p3_provider.models.gates import GateRules


def published_block(target: ContentTarget) -> edxapp.BlockInfo:
    """The target's block; ContentNotFound when it does not exist or is not published."""
    try:
        block = edxapp.get_block(target.usage_key)
    except edxapp.BlockNotFound as exc:
        raise ContentNotFound(_("The linked content does not exist on this site.")) from exc
    if not block.published:
        raise ContentNotFound(_("The linked content is not published yet."))
    return block


def check_gate(tool: LtiTool, target: ContentTarget) -> None:
    """Refuse content outside the registration's launch gate (no gate: nothing is allowed)."""
    try:
        gate = tool.launch_gate  # loaded with the registration (services/registrations.py)
    except LaunchGate.DoesNotExist:
        gate = None
    # The policy is loaded with the registration: no query.
    check_rules(gate, getattr(getattr(tool, "policy", None), "org", ""), target)


def check_rules(rules: GateRules | None, owner_org: str, target: ContentTarget) -> None:
    """Refuse content the rules do not admit, or outside the platform's organization."""
    org = getattr(target.course_key, "org", "")
    if rules is None or not rules.allows(target.course_key, target.usage_key, org):
        raise ContentNotAllowed(_("Your course's platform may not launch this content."))
    # An organization's platform launches that organization's content only, whatever its
    # gate says.
    if owner_org and owner_org != org:
        raise ContentNotAllowed(_("Your course's platform may not launch this content."))


def enroll(user: Any, course_key: CourseKey) -> None:
    """Enroll the learner when the operator wants it (the default); refusals become pages."""
    if not provider_settings.LTI_1P3_PROVIDER_ENROLL:
        return
    mode = provider_settings.LTI_1P3_PROVIDER_ENROLLMENT_MODE or None
    try:
        edxapp.enroll(user, course_key, mode)
    except edxapp.EnrollmentNotAllowed as exc:
        raise EnrollmentRefused(
            _(
                "The course did not accept your enrollment. Ask your teacher to contact the "
                "site's administrators."
            )
        ) from exc


def render_content(request: HttpRequest, target: ContentTarget) -> HttpResponse:
    """The LMS's rendering of the block; its refusals become the provider's framed pages."""
    try:
        return edxapp.render_block(request, target.usage_key)
    except edxapp.BlockNotFound as exc:
        raise ContentNotFound(_("The linked content does not exist on this site.")) from exc
    except edxapp.RenderRefused as exc:
        raise ContentUnavailable(
            _(
                "The course does not let you see this content yet. Ask your teacher if it "
                "should be open."
            )
        ) from exc
