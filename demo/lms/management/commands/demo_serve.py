"""Serve the demo site on 127.0.0.1 and say what to open."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    """``demo_serve --port 8000``"""

    help = __doc__

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, **options: Any) -> None:
        port = options["port"]
        self.stdout.write(
            f"\n  Built-in LMS:   http://127.0.0.1:{port}/lms/\n"
            f"  Django admin:   http://127.0.0.1:{port}/admin/  (create a login with "
            "`.venv/bin/python demo/manage.py createsuperuser`)\n"
            f"  Tool JWKS:      http://127.0.0.1:{port}/lti/1p3/pub/jwks/\n"
        )
        call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, use_threading=True)
