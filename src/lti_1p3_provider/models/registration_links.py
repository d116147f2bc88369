"""One-time links an operator gives a platform administrator for LTI Dynamic Registration."""

from __future__ import annotations

import hashlib

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool, LtiToolKey

from lti_1p3_provider.models.organizations import owner_org_field
from lti_1p3_provider.models.policies import new_public_id


def token_digest(token: str) -> str:
    """The stored form of a link's token: only its SHA-256 (a database dump holds no link)."""
    return hashlib.sha256(token.encode()).hexdigest()


class RegistrationLink(models.Model):
    """A registration link: the gate and tool key the registration it creates will get.

    .. no_pii:
    """

    label = models.CharField(max_length=255, help_text=_("Who or what the link is for."))
    login_slug = models.CharField(
        max_length=32,
        unique=True,
        default=new_public_id,
        editable=False,
        help_text=_("The new registration's public slug: its own login initiation URL."),
    )
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    tool_key = models.ForeignKey(LtiToolKey, on_delete=models.PROTECT, related_name="+")
    org = owner_org_field()
    allow_all_content = models.BooleanField(default=False)
    allowed_keys = models.JSONField(default=list, blank=True)
    allowed_courses = models.JSONField(default=list, blank=True)
    allowed_orgs = models.JSONField(default=list, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True, editable=False)
    registration = models.ForeignKey(
        LtiTool,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="+",
        help_text=_("The registration this link created."),
    )

    class Meta:
        verbose_name = _("registration link")

    def __str__(self) -> str:
        return f"{self.label} ({self.status})"

    @property
    def status(self) -> str:
        """used, expired or open."""
        if self.used_at is not None:
            return "used"
        return "expired" if self.expires_at <= timezone.now() else "open"
