"""Serve the demo site on 127.0.0.1 with a Celery worker for grade passback."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


def start_worker() -> subprocess.Popen:
    """One Celery worker with an embedded beat (the passback sweep), on the file-system broker."""
    for folder in {settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"]}:
        os.makedirs(folder, exist_ok=True)
    root = str(settings.ROOT)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "demo.settings",
        "PYTHONPATH": os.pathsep.join([root, os.path.join(root, "src")]),
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "demo.celery_app",
        "worker",
        "-B",
        "--pool=solo",
        "--loglevel=WARNING",
        "--schedule",
        str(settings.DATA_DIR / "celerybeat-schedule"),
    ]
    return subprocess.Popen(command, cwd=root, env=env)


class Command(BaseCommand):
    """``demo_serve --port 8000``"""

    help = __doc__

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-worker", action="store_true", help="Do not start Celery.")

    def handle(self, *args: Any, **options: Any) -> None:
        port = options["port"]
        worker = None if options["no_worker"] else start_worker()
        delay = settings.LTI_AGGREGATE_SCORE_PASSBACK_DELAY
        self.stdout.write(
            f"\n  Built-in LMS:   http://127.0.0.1:{port}/lms/   <- open this\n"
            f"  Django admin:   http://127.0.0.1:{port}/admin/  (create a login with "
            "`.venv/bin/python demo/manage.py createsuperuser`)\n"
            f"  Tool JWKS:      http://127.0.0.1:{port}/lti/1p3/pub/jwks/\n"
            f"  Grade passback: problems within seconds, units and subsections after {delay} s\n"
        )
        try:
            call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, use_threading=True)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)
