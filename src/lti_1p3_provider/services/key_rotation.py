"""Rotate a tool key without an outage: publish, then sign with, then retire.

Everything is decided by time, so a rotation needs no job to take effect: the key set and the
signing key follow the rotation's times. The passback sweep also moves registrations to the
new key once it signs (``switch_due_rotations``), so the admin shows the key in use.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool, LtiToolKey

from lti_1p3_provider.conf import provider_settings
from lti_1p3_provider.models import RegistrationLink, ToolKeyOwner, ToolKeyRotation
from lti_1p3_provider.services.registrations import forget_registrations
from lti_1p3_provider.services.tool_keys import create_tool_key

MAX_CHAIN = 20


class RotationRefused(ValueError):
    """The key is already being rotated (or was): rotate its successor instead."""


def rotate_tool_key(
    key: LtiToolKey, *, publish_for: timedelta | None = None, retire_after: timedelta | None = None
) -> ToolKeyRotation:
    """Start rotating ``key``: its successor is in the key set now and signs after a grace."""
    if publish_for is None:
        publish_for = timedelta(seconds=provider_settings.LTI_1P3_PROVIDER_KEY_ROTATION_PUBLISH_SEC)
    if retire_after is None:
        retire_after = timedelta(seconds=provider_settings.LTI_1P3_PROVIDER_KEY_ROTATION_RETIRE_SEC)
    now = timezone.now()
    with transaction.atomic():
        LtiToolKey.objects.select_for_update().filter(pk=key.pk).exists()
        if ToolKeyRotation.objects.filter(old_key=key).exists():
            raise RotationRefused(
                gettext("Tool key '%(name)s' was already rotated.") % {"name": key.name}
            )
        base = key.name[:200]
        owner = ToolKeyOwner.objects.filter(tool_key=key).values_list("org", flat=True).first()
        new_key = create_tool_key(f"{base} (rotated {now:%Y-%m-%d %H:%M:%S})", owner or "")
        rotation = ToolKeyRotation.objects.create(
            old_key=key,
            new_key=new_key,
            signs_from=now + publish_for,
            retires_at=now + publish_for + retire_after,
        )
    forget_registrations()
    return rotation


def signing_key(key: LtiToolKey, now: datetime | None = None) -> LtiToolKey:
    """The key that signs for ``key`` now: its successor once that one signs (transitively)."""
    now = now or timezone.now()
    for _ in range(MAX_CHAIN):
        rotation = (
            ToolKeyRotation.objects.select_related("new_key")
            .filter(old_key=key, signs_from__lte=now)
            .first()
        )
        if rotation is None:
            return key
        key = rotation.new_key
    return key


def retired_key_ids(now: datetime | None = None) -> set[int]:
    """Keys that have left the key set: rotated out, and past their retirement time."""
    now = now or timezone.now()
    return set(
        ToolKeyRotation.objects.filter(retires_at__lte=now).values_list("old_key_id", flat=True)
    )


def switch_due_rotations(now: datetime | None = None) -> int:
    """Move registrations and open links to keys whose successors now sign; returns rotations."""
    now = now or timezone.now()
    due = list(ToolKeyRotation.objects.filter(signs_from__lte=now, switched_at=None))
    for rotation in due:
        with transaction.atomic():
            LtiTool.objects.filter(tool_key_id=rotation.old_key_id).update(
                tool_key_id=rotation.new_key_id
            )
            RegistrationLink.objects.filter(tool_key_id=rotation.old_key_id).update(
                tool_key_id=rotation.new_key_id
            )
            ToolKeyRotation.objects.filter(pk=rotation.pk).update(switched_at=now)
    if due:
        forget_registrations()
    return len(due)
