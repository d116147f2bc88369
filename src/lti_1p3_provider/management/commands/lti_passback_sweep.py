"""Re-queue passbacks whose task or worker was lost (for cron, where Celery beat is not run)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from lti_1p3_provider.grades.outbox import sweep


class Command(BaseCommand):
    """``lti_passback_sweep``"""

    help = (__doc__ or "").replace("``", "")  # plain text in --help

    def handle(self, *args: Any, **options: Any) -> None:
        count = sweep()
        message = ngettext("%(count)s passback queued.", "%(count)s passbacks queued.", count)
        self.stdout.write(message % {"count": count})
