"""Learners' requests, made through a Data Privacy Launch, to remove what platforms sent us."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lti_1p3_provider.models.identities import LtiProfile


class DataRemovalRequest(models.Model):
    """A learner asked, from their platform, for the data held about them to be removed.

    .. no_pii: refers to the learner's LTI profile by foreign key only.
    """

    profile = models.ForeignKey(
        LtiProfile, on_delete=models.CASCADE, related_name="removal_requests"
    )
    deployment_id = models.CharField(max_length=255)
    requested_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When an operator removed the data.")
    )

    class Meta:
        verbose_name = _("data removal request")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        state = "handled" if self.handled_at else "open"
        return f"Removal request {self.pk} ({state})"
