"""Check the install: flag, backend, keys, registrations, cookies, HTTPS, Celery."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext, ngettext

from lti_1p3_provider.services.self_check import run_checks


class Command(BaseCommand):
    """``lti_1p3_provider_check``: prints one line per check; exits 1 when any needs a fix."""

    help = (__doc__ or "").replace("``", "")  # plain text in --help

    def handle(self, *args: Any, **options: Any) -> None:
        results = run_checks()
        for result in results:
            style = self.style.SUCCESS if result.ok else self.style.ERROR
            self.stdout.write(style(result.line()))
        failed = [r for r in results if not r.ok]
        if failed:
            message = ngettext(
                "%(count)s check needs a fix.", "%(count)s checks need a fix.", len(failed)
            )
            raise CommandError(message % {"count": len(failed)})
        self.stdout.write(self.style.SUCCESS(gettext("All OK.")))
