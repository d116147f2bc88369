"""Print the target link URI of every block in a course (``--json`` for scripts)."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey

from lti_1p3_provider.core.target_link import content_target_path
from lti_1p3_provider.edxapp import api as edxapp


class Command(BaseCommand):
    """``lti_content_links <course_key> [--json] [--base-url URL]``"""

    help = (__doc__ or "").replace("``", "")  # plain text in --help

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("course_key")
        parser.add_argument("--json", action="store_true", help=_("Print a JSON list."))
        parser.add_argument(
            "--base-url", default=None, help=_("This LMS's root URL (default: LMS_ROOT_URL).")
        )
        parser.add_argument(
            "--include-unpublished",
            action="store_true",
            help=_("Also list blocks that are not published (they cannot launch)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            course_key = CourseKey.from_string(options["course_key"])
        except InvalidKeyError as exc:
            raise CommandError(
                _("Not a course key: %(key)s") % {"key": options["course_key"]}
            ) from exc
        try:
            blocks = edxapp.course_blocks(course_key)
        except edxapp.BlockNotFound as exc:
            raise CommandError(_("No course %(key)s on this site.") % {"key": course_key}) from exc
        base = (options["base_url"] or getattr(settings, "LMS_ROOT_URL", "") or "").rstrip("/")
        if not base:
            raise CommandError(_("Give --base-url: LMS_ROOT_URL is not set on this site."))
        rows = [
            {
                "usage_key": str(b.usage_key),
                "block_type": b.block_type,
                "display_name": b.display_name,
                "published": b.published,
                "target_link_uri": base + content_target_path(course_key, b.usage_key),
            }
            for b in blocks
            if b.block_type != "course" and (b.published or options["include_unpublished"])
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, indent=2))
            return
        for row in rows:
            self.stdout.write(
                f"{row['block_type']:<10} {row['display_name']}\n  {row['target_link_uri']}"
            )
