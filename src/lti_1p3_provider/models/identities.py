"""LTI identities: (registration, sub) -> one Open edX user."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

RETIRED_SUB_PREFIX = "retired:"


class LtiProfile(models.Model):
    """One platform user of one registration, mapped to exactly one Open edX user.

    .. pii: name, email and sub (the platform's user id) are copied from the launch's claims.
    .. pii_types: name, email_address, external_service
    .. pii_retirement: local_api
    """

    tool = models.ForeignKey(LtiTool, on_delete=models.PROTECT, related_name="lti_profiles")
    sub = models.CharField(max_length=255, help_text=_("The platform's stable user id (sub)."))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lti_1p3_profile"
    )
    name = models.CharField(max_length=255, blank=True, default="")
    email = models.EmailField(max_length=254, blank=True, default="")
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("LTI profile")
        constraints = [
            models.UniqueConstraint(fields=["tool", "sub"], name="lti1p3_profile_tool_sub"),
        ]

    def __str__(self) -> str:
        who = self.name or self.user.username
        return f"{who} ({self.tool.title}, {self.sub})"

    @property
    def is_retired(self) -> bool:
        """True once the LMS retired the user: no platform data is left, no score is sent."""
        return self.sub.startswith(RETIRED_SUB_PREFIX)

    def retire(self) -> None:
        """Drop what the platform sent (name, e-mail, its user id) when the LMS retires the user.

        The platform's user id is replaced by a random marker: a later launch with it makes a
        new account instead of opening the retired one. Queued passbacks keep their own copy.
        """
        self.name = ""
        self.email = ""
        self.sub = RETIRED_SUB_PREFIX + uuid.uuid4().hex
        self.save(update_fields=["name", "email", "sub", "modified"])
