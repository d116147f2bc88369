"""Make a one-time LTI Dynamic Registration link and print it (shown only this once)."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lti_1p3_provider.registration.links import LinkGate, create_link, link_path


class Command(BaseCommand):
    """``lti_registration_link --label L --base-url URL (--org O | --course C | --usage-key K
    | --all-content) [--key NAME] [--days N]``"""

    help = (__doc__ or "").replace("``", "")  # plain text in --help

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--label", required=True, help=_("Who or what the link is for."))
        parser.add_argument("--base-url", required=True, help=_("This LMS's root URL (https://…)."))
        parser.add_argument("--key", default="default", help=_("Tool key name (made if missing)."))
        parser.add_argument("--org", action="append", default=[], help=_("Gate: an org (repeat)."))
        parser.add_argument("--course", action="append", default=[], help=_("Gate: a course key."))
        parser.add_argument("--usage-key", action="append", default=[], help=_("Gate: a block."))
        parser.add_argument("--all-content", action="store_true", help=_("Gate: all content."))
        parser.add_argument("--days", type=int, default=None, help=_("Days the link works."))

    def handle(self, *args: Any, **options: Any) -> None:
        gate = LinkGate(
            allow_all_content=options["all_content"],
            allowed_keys=tuple(options["usage_key"]),
            allowed_courses=tuple(options["course"]),
            allowed_orgs=tuple(options["org"]),
        )
        if not (
            gate.allow_all_content or gate.allowed_keys or gate.allowed_courses or gate.allowed_orgs
        ):
            raise CommandError(
                _(
                    "Choose what the registration may launch: --org, --course, --usage-key or "
                    "--all-content."
                )
            )
        days = options["days"]
        if days is not None and not 1 <= days <= 90:
            raise CommandError(_("--days must be between 1 and 90."))
        link, token = create_link(
            options["label"],
            gate,
            key_name=options["key"],
            expires_in=timedelta(days=days) if days else None,
        )
        url = options["base_url"].rstrip("/") + link_path(token)
        self.stdout.write(url)
        self.stderr.write(
            _(
                "Works once, until %(date)s UTC. Paste it in the platform's 'add a tool by URL' "
                "field; it is not stored and cannot be shown again."
            )
            % {"date": f"{link.expires_at:%Y-%m-%d %H:%M}"}
        )
