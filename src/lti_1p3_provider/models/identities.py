"""LTI identities: (registration, sub) or (LTI 1.1 consumer, user_id) -> one Open edX user."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

from lti_1p3_provider.db_compat import check_constraint
from lti_1p3_provider.models.consumers import Lti1p1Consumer

RETIRED_SUB_PREFIX = "retired:"


class AccountOrigin(models.TextChoices):
    """Where a profile's Open edX account came from (ADR 0014)."""

    CREATED = "created", _("Made by the first launch")
    PENDING = "pending", _("Made by the first launch; the learner may still link an account")
    LINKED = "linked", _("An existing account the learner linked")


class LtiProfile(models.Model):
    """One platform user of one registration (or LTI 1.1 consumer), mapped to one Open edX user.

    A user has one profile, or two once a platform moved from LTI 1.1 to 1.3 (the lti1p1
    migration claim attaches the 1.3 identity to the 1.1 identity's user).

    .. pii: name, email and sub (the platform's user id) are copied from the launch's claims.
    .. pii_types: name, email_address, external_service
    .. pii_retirement: local_api
    """

    tool = models.ForeignKey(
        LtiTool, on_delete=models.PROTECT, related_name="lti_profiles", null=True, blank=True
    )
    consumer = models.ForeignKey(
        Lti1p1Consumer,
        on_delete=models.PROTECT,
        related_name="lti_profiles",
        null=True,
        blank=True,
    )
    sub = models.CharField(
        max_length=255,
        help_text=_("The platform's stable user id (sub; LTI 1.1: user_id)."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lti_1p3_profiles"
    )
    name = models.CharField(max_length=255, blank=True, default="")
    email = models.EmailField(max_length=254, blank=True, default="")
    account_origin = models.CharField(
        max_length=8,
        choices=AccountOrigin.choices,
        default=AccountOrigin.CREATED,
        help_text=_(
            "Linked: the learner signed in to an existing account and chose to use it for this "
            "platform's launches."
        ),
    )
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("LTI profile")
        constraints = [
            models.UniqueConstraint(fields=["tool", "sub"], name="lti1p3_profile_tool_sub"),
            models.UniqueConstraint(fields=["consumer", "sub"], name="lti1p3_profile_consumer_sub"),
            # One account is one person per platform: linking (ADR 0014) checks this under a
            # row lock, and the database closes the race between two identities.
            models.UniqueConstraint(fields=["tool", "user"], name="lti1p3_profile_tool_user"),
            models.UniqueConstraint(
                fields=["consumer", "user"], name="lti1p3_profile_consumer_user"
            ),
            check_constraint(
                models.Q(tool__isnull=False, consumer__isnull=True)
                | models.Q(tool__isnull=True, consumer__isnull=False),
                name="lti1p3_profile_one_platform",
            ),
        ]

    def __str__(self) -> str:
        who = self.name or self.user.username
        return f"{who} ({self.platform_title}, {self.sub})"

    @property
    def platform_title(self) -> str:
        """The registration's or LTI 1.1 consumer's title."""
        platform = self.tool or self.consumer
        return platform.title if platform else ""

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
