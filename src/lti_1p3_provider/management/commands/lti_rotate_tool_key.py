"""Rotate a tool key with no outage: publish its successor now, sign with it later, retire it."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiToolKey

from lti_1p3_provider.services.key_rotation import RotationRefused, rotate_tool_key


class Command(BaseCommand):
    """``lti_rotate_tool_key [--name default] [--publish-hours 24] [--retire-hours 24]``"""

    help = (__doc__ or "").replace("``", "")  # plain text in --help

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--name", default="default", help="The tool key to rotate.")
        parser.add_argument(
            "--publish-hours", type=float, default=None, help="Hours before the new key signs."
        )
        parser.add_argument(
            "--retire-hours", type=float, default=None, help="Hours the old key stays published."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        key = LtiToolKey.objects.filter(name=options["name"]).first()
        if key is None:
            raise CommandError(f"No tool key is called {options['name']!r}.")
        hours = {k: options[k] for k in ("publish_hours", "retire_hours")}
        if any(v is not None and not 0 <= v <= 24 * 30 for v in hours.values()):
            raise CommandError("Hours must be between 0 and 720.")
        try:
            rotation = rotate_tool_key(
                key,
                publish_for=_hours(hours["publish_hours"]),
                retire_after=_hours(hours["retire_hours"]),
            )
        except RotationRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"New key {rotation.new_key.name!r} is published now, signs from "
            f"{rotation.signs_from:%Y-%m-%d %H:%M} UTC; {key.name!r} leaves the key set at "
            f"{rotation.retires_at:%Y-%m-%d %H:%M} UTC."
        )


def _hours(value: float | None) -> timedelta | None:
    # 0 is kept as 0: an emergency rotation signs with the new key at once.
    return None if value is None else timedelta(hours=value)
