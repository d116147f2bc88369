"""Serve the demo on 127.0.0.1 (the tool) and localhost (the LMS) with a Celery worker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand


def start_worker(settings_module: str | None = None) -> subprocess.Popen:
    """One Celery worker on the file-system broker, without beat, as Tutor runs its LMS worker:
    the passback sweep queues itself (ADR 0021).

    It runs in its own session (process group) so that stopping it reaches any process it
    starts, and so that a terminal's Ctrl-C does not half-stop it behind our back.
    """
    for folder in ("data_folder_in", "control_folder"):
        os.makedirs(settings.CELERY_BROKER_TRANSPORT_OPTIONS[folder], exist_ok=True)
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "demo.celery_app",
        "worker",
        "--pool=solo",
        "--loglevel=WARNING",
    ]
    return _spawn(command, settings_module)


def _spawn(command: list[str], settings_module: str | None = None) -> subprocess.Popen:
    """Run a demo process in its own session, with the demo's import path and settings."""
    root = str(settings.ROOT)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings_module
        or os.environ.get("DJANGO_SETTINGS_MODULE", "demo.settings"),
        "PYTHONPATH": os.pathsep.join([root, os.path.join(root, "src")]),
    }
    return subprocess.Popen(command, cwd=root, env=env, start_new_session=True)


def stop_process_groups(
    processes: list[subprocess.Popen | None], grace: float = 15.0, sig: int = signal.SIGTERM
) -> None:
    """Signal every process's group at once (SIGTERM: warm shutdown), give them ``grace``
    seconds together, then SIGKILL whatever is left."""
    running = [p for p in processes if p is not None and p.poll() is None]
    for process in running:
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + grace
    for process in running:
        try:
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            pass
    for leftover in processes:
        if leftover is None:
            continue
        try:
            os.killpg(leftover.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        leftover.wait()


def stop_process_group(
    process: subprocess.Popen | None, grace: float = 15.0, sig: int = signal.SIGTERM
) -> None:
    """One process group: signal it, wait ``grace`` seconds, then SIGKILL what is left."""
    stop_process_groups([process], grace, sig)


def start_web(port: int, workers: int = 2, threads: int = 8) -> subprocess.Popen:
    """gunicorn with ``workers`` processes of ``threads`` threads each, in its own group."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "demo.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        f"--threads={threads}",
        "--worker-class=gthread",
        "--timeout=60",
        "--graceful-timeout=10",
        "--log-level=warning",
    ]
    return _spawn(command)


def _exit_on_sigterm(signum: int, frame: Any) -> None:
    raise SystemExit(0)


class Command(BaseCommand):
    """``demo_serve --port 8000``; Ctrl-C or SIGTERM stops the server and its worker."""

    help = __doc__

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-worker", action="store_true", help="Do not start Celery.")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn processes.")
        parser.add_argument("--threads", type=int, default=8, help="Threads per process.")

    def handle(self, *args: Any, **options: Any) -> None:
        port = options["port"]
        # SIGTERM (make forwards it, as do process managers) must run the cleanup below too.
        signal.signal(signal.SIGTERM, _exit_on_sigterm)
        # Ctrl-C as well, even when started with SIGINT ignored (a shell's background job
        # inherits that, and Python then installs no KeyboardInterrupt handler).
        signal.signal(signal.SIGINT, signal.default_int_handler)
        worker = None if options["no_worker"] else start_worker()
        delay = settings.LTI_AGGREGATE_SCORE_PASSBACK_DELAY
        self.stdout.write(
            f"\n  Built-in LMS:   http://localhost:{port}/lms/   <- open this (another site than"
            " the tool's, so the tool is a third-party iframe as in production)\n"
            f"  Django admin:   http://127.0.0.1:{port}/admin/  (create a login with "
            "`.venv/bin/python demo/manage.py createsuperuser`)\n"
            f"  Tool JWKS:      http://127.0.0.1:{port}/lti/1p3/pub/jwks/\n"
            f"  Grade passback: problems within seconds, units and subsections {delay} s after"
            " the LMS stores the new grade\n  Times are UTC. Stop with Ctrl-C.\n"
        )
        self.stdout.flush()
        web = start_web(port, options["workers"], options["threads"])
        try:
            web.wait()
        except KeyboardInterrupt:
            pass
        finally:
            # Together, not one after the other: Ctrl-C ends within one grace period.
            stop_process_groups([web, worker])
