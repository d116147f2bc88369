"""LTI identities: (registration, sub) -> one Open edX user."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool


class LtiProfile(models.Model):
    """One platform user of one registration, mapped to exactly one Open edX user.

    .. pii: name and email are copied from the platform's launch claims.
    .. pii_types: name, email_address
    .. pii_retirement: local_api
    """

    tool = models.ForeignKey(LtiTool, on_delete=models.PROTECT, related_name="lti_profiles")
    sub = models.CharField(max_length=255, help_text="The platform's stable user id (sub).")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lti_1p3_profile"
    )
    name = models.CharField(max_length=255, blank=True, default="")
    email = models.EmailField(max_length=254, blank=True, default="")
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "LTI profile"
        constraints = [
            models.UniqueConstraint(fields=["tool", "sub"], name="lti1p3_profile_tool_sub"),
        ]

    def __str__(self) -> str:
        return f"{self.tool.title}: {self.sub}"

    def retire(self) -> None:
        """Drop the personal data copied from the platform (user retirement)."""
        self.name = ""
        self.email = ""
        self.save(update_fields=["name", "email", "modified"])
