"""Records of validated launches; they feed access checks and grade passback."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from opaque_keys.edx.django.models import CourseKeyField, UsageKeyField
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

from lti_1p3_provider.models.consumers import Lti1p1Consumer
from lti_1p3_provider.models.identities import LtiProfile


class LtiLaunchQuerySet(models.QuerySet):
    """Domain verbs for launches."""

    def live(self) -> LtiLaunchQuerySet:
        """Launches whose access has not expired."""
        return self.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))

    def with_ags(self) -> LtiLaunchQuerySet:
        """Launches whose platform sent an AGS endpoint claim."""
        return self.exclude(ags_claim__isnull=True)

    def graded(self) -> LtiLaunchQuerySet:
        """Launches that can take a score: an AGS claim, or an LTI 1.1 outcome service."""
        return self.filter(Q(ags_claim__isnull=False) | ~Q(result_sourcedid=""))


class LtiLaunch(models.Model):
    """One validated launch: who, through which registration and deployment, of what, when.

    An LTI 1.1 launch names its consumer instead of a registration, has no deployment, and
    keeps its Basic Outcomes service URL and result sourcedid instead of an AGS claim.

    .. pii: result_sourcedid (LTI 1.1) is the platform's id of the learner's result.
    .. pii_types: external_service
    .. pii_retirement: local_api (cleared when the LMS retires the user)
    """

    tool = models.ForeignKey(
        LtiTool, on_delete=models.PROTECT, related_name="lti_launches", null=True, blank=True
    )
    consumer = models.ForeignKey(
        Lti1p1Consumer,
        on_delete=models.PROTECT,
        related_name="lti_launches",
        null=True,
        blank=True,
    )
    deployment_id = models.CharField(max_length=255)
    profile = models.ForeignKey(LtiProfile, on_delete=models.CASCADE, related_name="launches")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lti_1p3_launches"
    )
    course_key = CourseKeyField(max_length=255, db_index=True)
    usage_key = UsageKeyField(max_length=255, db_index=True)
    resource_link_id = models.CharField(max_length=255)
    context_id = models.CharField(max_length=255, blank=True, default="")
    context_title = models.CharField(max_length=255, blank=True, default="")
    roles = models.JSONField(default=list, blank=True)
    ags_claim = models.JSONField(null=True, blank=True, help_text=_("The AGS endpoint claim."))
    lineitem_url = models.URLField(max_length=1024, blank=True, default="")
    outcome_service_url = models.URLField(
        max_length=1024, blank=True, default="", help_text=_("LTI 1.1 Basic Outcomes URL.")
    )
    result_sourcedid = models.CharField(max_length=1024, blank=True, default="")
    launched_at = models.DateTimeField(default=timezone.now, db_index=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    objects = LtiLaunchQuerySet.as_manager()

    class Meta:
        verbose_name = _("LTI launch")
        verbose_name_plural = _("LTI launches")
        ordering = ["-launched_at"]
        indexes = [models.Index(fields=["user", "course_key"], name="lti1p3_launch_user_course")]

    def __str__(self) -> str:
        via = f"tool {self.tool_id}" if self.tool_id else f"LTI 1.1 consumer {self.consumer_id}"
        return f"{self.user_id} launched {self.usage_key} via {via}"

    @property
    def ags_scopes(self) -> list[str]:
        """The AGS scopes the platform granted on this launch."""
        return list((self.ags_claim or {}).get("scope") or [])

    @property
    def platform_key(self) -> tuple[str, int]:
        """Which platform the launch came through: ("tool", id) or ("consumer", id)."""
        if self.tool_id:
            return ("tool", self.tool_id)
        return ("consumer", self.consumer_id or 0)
