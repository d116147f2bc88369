"""Tool key rotations: a new key is published first, signs later, and the old one leaves."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiToolKey


class ToolKeyRotation(models.Model):
    """The rotation of ``old_key`` to ``new_key``.

    The new key is in the key set from ``started_at``; it signs from ``signs_from`` (platforms
    that cache our key set have fetched it by then); the old key leaves the key set at
    ``retires_at``.

    .. no_pii:
    """

    old_key = models.OneToOneField(
        LtiToolKey, on_delete=models.PROTECT, related_name="rotation_out"
    )
    new_key = models.OneToOneField(LtiToolKey, on_delete=models.PROTECT, related_name="rotation_in")
    started_at = models.DateTimeField(auto_now_add=True)
    signs_from = models.DateTimeField(help_text=_("When the new key starts signing."))
    retires_at = models.DateTimeField(help_text=_("When the old key leaves the public key set."))
    switched_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When registrations were moved to the new key.")
    )

    class Meta:
        verbose_name = _("tool key rotation")

    def __str__(self) -> str:
        return f"{self.old_key.name} -> {self.new_key.name}"
