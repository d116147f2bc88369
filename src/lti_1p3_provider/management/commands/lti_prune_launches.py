"""Delete launch records older than the retention period that nothing reads any more: the
latest launch of each learner's link and any a passback points at are kept."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import ngettext

from lti_1p3_provider.launch.retention import prune_launches, retention_cutoff


class Command(BaseCommand):
    """``lti_prune_launches [--older-than-days N] [--dry-run]``"""

    help = (__doc__ or "").replace("``", "")  # plain text in --help

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than-days",
            type=int,
            help="Retention in days (default: LTI_1P3_PROVIDER_LAUNCH_RETENTION_DAYS).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Count, delete nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            before = retention_cutoff(options["older_than_days"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if before is None:
            raise CommandError(
                "No retention period: pass --older-than-days or set "
                "LTI_1P3_PROVIDER_LAUNCH_RETENTION_DAYS."
            )
        result = prune_launches(before, dry_run=options["dry_run"])
        if options["dry_run"]:
            message = ngettext(
                "%(count)s launch before %(before)s would be deleted.",
                "%(count)s launches before %(before)s would be deleted.",
                result.deleted,
            )
        else:
            message = ngettext(
                "%(count)s launch before %(before)s deleted.",
                "%(count)s launches before %(before)s deleted.",
                result.deleted,
            )
        self.stdout.write(message % {"count": result.deleted, "before": before.isoformat()})
