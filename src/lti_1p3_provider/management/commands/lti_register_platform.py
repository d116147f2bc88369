"""Create or update an LTI 1.3 registration and print the URLs to give the platform."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lti_1p3_provider.management.gate_arguments import add_gate_arguments
from lti_1p3_provider.services.platform_registration import (
    PlatformRegistration,
    register_platform,
)
from lti_1p3_provider.services.registrations import tool_urls


class Command(BaseCommand):
    """``lti_register_platform --issuer ... --client-id ...``"""

    help = (__doc__ or "").replace("``", "")  # plain text in --help

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--title", default="", help=_("Name shown in the admin."))
        parser.add_argument("--issuer", required=True, help=_("The platform's issuer (iss)."))
        parser.add_argument("--client-id", required=True, help=_("Client id the platform issued."))
        parser.add_argument("--login-url", required=True, help=_("Platform OIDC auth endpoint."))
        parser.add_argument("--token-url", required=True, help=_("Platform OAuth2 token endpoint."))
        parser.add_argument("--audience", default=None, help=_("Token audience, if not token URL."))
        keys = parser.add_mutually_exclusive_group(required=True)
        keys.add_argument("--jwks-url", help=_("Platform public key set URL."))
        keys.add_argument("--key-set-file", help=_("File holding the platform's JWKS (JSON)."))
        parser.add_argument(
            "--deployment-id",
            action="append",
            default=[],
            dest="deployments",
            help=_("A deployment id (repeat for several)."),
        )
        parser.add_argument(
            "--key-name",
            default="default",
            help=_("Tool key to sign with; generated when missing."),
        )
        add_gate_arguments(parser)
        parser.add_argument(
            "--base-url",
            default="https://<your LMS host>",
            help=_("This LMS's root URL, for the printed URLs."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        key_set = None
        if options["key_set_file"]:
            try:
                key_set = json.loads(Path(options["key_set_file"]).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise CommandError(
                    _("Cannot read the key set file: %(error)s") % {"error": exc}
                ) from exc
        if not options["deployments"]:
            raise CommandError(_("Give at least one --deployment-id."))
        reg = PlatformRegistration(
            title=options["title"] or options["issuer"],
            issuer=options["issuer"],
            client_id=options["client_id"],
            auth_login_url=options["login_url"],
            auth_token_url=options["token_url"],
            auth_audience=options["audience"],
            key_set_url=options["jwks_url"],
            key_set=key_set,
            deployment_ids=tuple(options["deployments"]),
            key_name=options["key_name"],
            allowed_keys=tuple(options["allow_key"]),
            allowed_courses=tuple(options["allow_course"]),
            allowed_orgs=tuple(options["allow_org"]),
            allow_all_content=options["allow_all_content"],
        )
        try:
            tool, created = register_platform(reg)
        except ValueError as exc:
            raise CommandError(_("Invalid registration: %(error)s") % {"error": exc}) from exc
        done = _("Created registration %(id)s (%(title)s).") if created else None
        done = done or _("Updated registration %(id)s (%(title)s).")
        self.stdout.write(done % {"id": tool.pk, "title": tool.title})
        self.stdout.write(_("Give the platform these values:"))
        for label, value in tool_urls(options["base_url"]).as_rows():
            self.stdout.write(f"  {label}: {value}")
