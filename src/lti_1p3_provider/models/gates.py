"""What a registration may launch."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool


class GateRules(models.Model):
    """What a platform may launch: usage keys, course keys, orgs, or deliberately all.

    Shared by LTI 1.3 registrations' gates and LTI 1.1 consumers; empty rules admit nothing.
    """

    allow_all_content = models.BooleanField(
        default=False,
        help_text=_(
            "Let this platform launch any published content on this LMS. Leave off unless "
            "you trust every course on the platform with all of your content."
        ),
    )
    allowed_keys = models.JSONField(
        default=list,
        blank=True,
        help_text=_(
            'Usage keys this platform may launch, e.g. ["block-v1:Org+C+R+type@problem+block@p1"].'
        ),
    )
    allowed_courses = models.JSONField(
        default=list,
        blank=True,
        help_text=_(
            'Course keys whose content this platform may launch, e.g. ["course-v1:Org+C+R"].'
        ),
    )
    allowed_orgs = models.JSONField(
        default=list,
        blank=True,
        help_text=_('Organizations whose content this platform may launch, e.g. ["OpenedX"].'),
    )

    class Meta:
        abstract = True

    def allows(self, course_key: object, usage_key: object, org: str) -> bool:
        """True when this gate lets its registration launch the block."""
        if self.allow_all_content:
            return True
        return (
            str(usage_key) in set(self.allowed_keys or [])
            or str(course_key) in set(self.allowed_courses or [])
            or org in set(self.allowed_orgs or [])
        )

    def summary(self) -> str:
        """A short description for admin lists ("All content", "2 blocks, 1 courses, 0 orgs")."""
        if self.is_empty:
            return str(_("No gate: launches nothing"))
        if self.allow_all_content:
            return str(_("All content"))
        return str(
            _("%(blocks)s blocks, %(courses)s courses, %(orgs)s orgs")
            % {
                "blocks": len(self.allowed_keys or []),
                "courses": len(self.allowed_courses or []),
                "orgs": len(self.allowed_orgs or []),
            }
        )

    @property
    def is_empty(self) -> bool:
        """An empty gate admits nothing; the admin flags it."""
        return not (
            self.allow_all_content or self.allowed_keys or self.allowed_courses or self.allowed_orgs
        )


class LaunchGate(GateRules):
    """Content a registration may launch; a registration with no gate may launch nothing.

    .. no_pii:
    """

    tool = models.OneToOneField(LtiTool, on_delete=models.CASCADE, related_name="launch_gate")

    class Meta:
        verbose_name = _("launch gate")

    def __str__(self) -> str:
        return f"Launch gate of {self.tool.title}"
