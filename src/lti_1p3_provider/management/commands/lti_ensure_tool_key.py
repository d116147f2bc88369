"""Create a tool key (RSA pair) if none exists; print the key ids served at the JWKS URL."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiToolKey

from lti_1p3_provider.services.tool_keys import get_or_create_tool_key, tool_key_jwk


class Command(BaseCommand):
    """``lti_ensure_tool_key [--name default]`` (idempotent: the Tutor init task runs it)."""

    help = (__doc__ or "").replace("``", "")  # plain text in --help

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--name", default="default", help=_("Name of the key to create."))

    def handle(self, *args: Any, **options: Any) -> None:
        if LtiToolKey.objects.exists():
            self.stdout.write(_("A tool key exists already; nothing created."))
        else:
            key, _created = get_or_create_tool_key(options["name"])
            self.stdout.write(_("Created tool key '%(name)s'.") % {"name": key.name})
        for key in LtiToolKey.objects.order_by("pk"):
            jwk = tool_key_jwk(key)
            kid = jwk["kid"] if jwk else _("(no public key)")
            self.stdout.write(f"  {key.name}: kid {kid}")
