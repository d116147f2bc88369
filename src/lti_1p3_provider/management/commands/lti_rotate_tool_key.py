"""Rotate a tool key with no outage: publish its successor now, sign with it later, retire it."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiToolKey

from lti_1p3_provider.services.key_rotation import RotationRefused, rotate_tool_key


class Command(BaseCommand):
    """``lti_rotate_tool_key [--name default] [--publish-hours 24] [--retire-hours 24]``"""

    help = (__doc__ or "").replace("``", "")  # plain text in --help

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--name", default="default", help=_("The tool key to rotate."))
        parser.add_argument(
            "--publish-hours", type=float, default=None, help=_("Hours before the new key signs.")
        )
        parser.add_argument(
            "--retire-hours", type=float, default=None, help=_("Hours the old key stays published.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        key = LtiToolKey.objects.filter(name=options["name"]).first()
        if key is None:
            raise CommandError(_("No tool key is called '%(name)s'.") % {"name": options["name"]})
        hours = {k: options[k] for k in ("publish_hours", "retire_hours")}
        if any(v is not None and not 0 <= v <= 24 * 30 for v in hours.values()):
            raise CommandError(_("Hours must be between 0 and 720."))
        try:
            rotation = rotate_tool_key(
                key,
                publish_for=_hours(hours["publish_hours"]),
                retire_after=_hours(hours["retire_hours"]),
            )
        except RotationRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _(
                "New key '%(new)s' is published now, signs from %(signs)s UTC; '%(old)s' leaves "
                "the key set at %(retires)s UTC."
            )
            % {
                "new": rotation.new_key.name,
                "signs": f"{rotation.signs_from:%Y-%m-%d %H:%M}",
                "old": key.name,
                "retires": f"{rotation.retires_at:%Y-%m-%d %H:%M}",
            }
        )


def _hours(value: float | None) -> timedelta | None:
    # 0 is kept as 0: an emergency rotation signs with the new key at once.
    return None if value is None else timedelta(hours=value)
