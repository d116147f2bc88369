"""The grade passback outbox: one row per (registration, resource link, learner)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from opaque_keys.edx.django.models import UsageKeyField
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

from lti_1p3_provider.models.consumers import Lti1p1Consumer
from lti_1p3_provider.models.launches import LtiLaunch


class PassbackStatus(models.TextChoices):
    """Where a passback stands."""

    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class ScorePassbackQuerySet(models.QuerySet):
    """Domain verbs for the outbox."""

    def due(self, now=None) -> ScorePassbackQuerySet:
        """Pending rows whose send time has come."""
        return self.filter(status=PassbackStatus.PENDING, due_at__lte=now or timezone.now())

    def stuck(self, older_than) -> ScorePassbackQuerySet:
        """Rows claimed by a worker that never finished (crashed or lost)."""
        return self.filter(status=PassbackStatus.SENDING, claimed_at__lt=older_than)

    def unsettled(self) -> ScorePassbackQuerySet:
        """Rows still owed to a platform: waiting, retrying or being sent."""
        return self.filter(status__in=(PassbackStatus.PENDING, PassbackStatus.SENDING))

    def failed(self) -> ScorePassbackQuerySet:
        """Rows that stopped retrying."""
        return self.filter(status=PassbackStatus.FAILED)


class ScorePassback(models.Model):
    """A learner's latest score for one launched resource, on its way to the platform.

    The row is written in the transaction that changed the score, before any task runs, so a
    crashed worker or a platform outage loses nothing. ``version`` grows with every new score;
    a send only marks the row sent if no newer score arrived while it was in flight.

    An LTI 1.1 row names its consumer, sends to the Basic Outcomes URL in ``lineitem_url``
    and identifies the learner's result by ``result_sourcedid``.

    .. pii: ``lti_user_id`` is the platform's user id (``sub``), needed to send the score;
       ``result_sourcedid`` (LTI 1.1) names the learner's result at the platform.
    .. pii_types: external_service
    .. pii_retirement: local_api (cleared once a retired user's score is sent)
    """

    tool = models.ForeignKey(
        LtiTool, on_delete=models.CASCADE, related_name="score_passbacks", null=True, blank=True
    )
    consumer = models.ForeignKey(
        Lti1p1Consumer,
        on_delete=models.CASCADE,
        related_name="score_passbacks",
        null=True,
        blank=True,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lti_1p3_passbacks"
    )
    # RESTRICT, not CASCADE: deleting a launch (or its learner's profile) in the admin must not
    # take an owed score with it; deleting the user still removes both.
    launch = models.ForeignKey(LtiLaunch, on_delete=models.RESTRICT, related_name="passbacks")
    resource_link_id = models.CharField(max_length=255)
    usage_key = UsageKeyField(max_length=255)
    lti_user_id = models.CharField(max_length=255, help_text=_("The launch's sub (AGS userId)."))
    is_composite = models.BooleanField(default=False)
    is_reset = models.BooleanField(
        default=False,
        help_text=_(
            "The score is a staff reset of the problem: sent as activityProgress Initialized."
        ),
    )
    activity_progress = models.CharField(
        max_length=16,
        blank=True,
        default="",
        help_text=_(
            "A unit's or subsection's AGS activityProgress from the stored subsection grade; "
            "empty: worked out when sending."
        ),
    )
    lineitem_url = models.URLField(
        max_length=1024,
        blank=True,
        default="",
        help_text=_("The AGS line item (LTI 1.1: the Basic Outcomes service URL)."),
    )
    result_sourcedid = models.CharField(max_length=1024, blank=True, default="")
    score_given = models.FloatField(null=True, blank=True)
    score_maximum = models.FloatField(null=True, blank=True)
    scored_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    sent_version = models.PositiveIntegerField(default=0)
    status = models.CharField(
        max_length=16,
        choices=PassbackStatus.choices,
        default=PassbackStatus.PENDING,
        db_index=True,
    )
    due_at = models.DateTimeField(default=timezone.now, db_index=True)
    attempts = models.PositiveIntegerField(
        default=0,
        help_text=_("Attempts since the last success, a new score after a failure, or a resend."),
    )
    retrying_since = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("First failed attempt of the current outage; retries stop a window after it."),
    )
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_outcome = models.CharField(max_length=16, blank=True, default="")
    last_error = models.TextField(blank=True, default="")
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    objects = ScorePassbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("score passback")
        constraints = [
            models.UniqueConstraint(
                fields=["tool", "resource_link_id", "user"], name="lti1p3_passback_once"
            ),
            models.UniqueConstraint(
                fields=["consumer", "resource_link_id", "user"], name="lti1p1_passback_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.usage_key} for {self.user_id}: {self.status} v{self.version}"
