"""Organizations: who manages which organization's registrations, and whose tool keys are whose.

An organization is an Open edX organization's short name, as in course keys (``MyUniX``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiToolKey

from lti_1p3_provider.core.gate_values import ORG

org_validator = RegexValidator(ORG, _("An organization short name, as in course keys."))


def owner_org_field() -> models.CharField:
    """A row's organization: its managers see and edit it; empty for the site's."""
    return models.CharField(
        _("organization"),
        max_length=255,
        blank=True,
        default="",
        db_index=True,
        help_text=_(
            "The Open edX organization (short name) this belongs to; its managers see and edit "
            "it. Empty: the site's, for global staff only."
        ),
    )


class OrganizationRole(models.Model):
    """A user's role for one organization's LTI registrations, keys, launches and passbacks.

    A user with any role sees only their organizations' rows; without one, staff see all.

    .. no_pii:
    """

    class Role(models.TextChoices):
        """Managers change their organization's rows; viewers read them."""

        MANAGER = "manager", _("manager")
        VIEWER = "viewer", _("viewer")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lti_1p3_org_roles"
    )
    org = models.CharField(
        _("organization"),
        max_length=255,
        validators=[org_validator],
        help_text=_("The organization's short name, as in its course keys (course-v1:ORG+…)."),
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MANAGER)

    class Meta:
        verbose_name = _("organization role")
        constraints = [
            models.UniqueConstraint(fields=["user", "org"], name="lti1p3_org_role_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.org}: {self.role})"


class ToolKeyOwner(models.Model):
    """The organization a tool key belongs to; a key without one is the site's.

    .. no_pii:
    """

    tool_key = models.OneToOneField(LtiToolKey, on_delete=models.CASCADE, related_name="owner")
    org = models.CharField(max_length=255, db_index=True, validators=[org_validator])

    class Meta:
        verbose_name = _("tool key organization")

    def __str__(self) -> str:
        return f"{self.tool_key.name}: {self.org}"
