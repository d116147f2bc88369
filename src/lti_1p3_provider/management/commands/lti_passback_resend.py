"""Resend the failed grade passbacks of a registration or a course."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey

from lti_1p3_provider.grades.outbox import resend
from lti_1p3_provider.models import ScorePassback


class Command(BaseCommand):
    """``lti_passback_resend (--tool ID | --course COURSE_KEY) [--all]``"""

    help = (__doc__ or "").replace("``", "")  # plain text in --help

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--tool", type=int, help=_("Registration (LtiTool) id."))
        parser.add_argument("--course", help=_("Course key."))
        parser.add_argument(
            "--all", action="store_true", help=_("Resend sent passbacks too, not only failed ones.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["tool"] and not options["course"]:
            raise CommandError(_("Give --tool or --course."))
        rows = ScorePassback.objects.all() if options["all"] else ScorePassback.objects.failed()
        if options["tool"]:
            rows = rows.filter(tool_id=options["tool"])
        if options["course"]:
            try:
                course_key = CourseKey.from_string(options["course"])
            except InvalidKeyError as exc:
                raise CommandError(
                    _("Not a course key: %(key)s") % {"key": options["course"]}
                ) from exc
            rows = rows.filter(launch__course_key=course_key)
        with transaction.atomic():
            count = resend(rows)
        message = ngettext(
            "%(count)s passback queued again.", "%(count)s passbacks queued again.", count
        )
        self.stdout.write(message % {"count": count})
