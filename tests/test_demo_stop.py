"""`make demo` stops cleanly: Ctrl-C or SIGTERM ends the server, its worker and the beat."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.faults.site import free_port, wait_for

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.celery


def processes_mentioning(marker: str) -> list[int]:
    """Live processes whose command line or environment mentions ``marker`` (the demo's data
    directory: the server, gunicorn's workers, the Celery worker and its beat)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            text = (entry / "cmdline").read_bytes() + (entry / "environ").read_bytes()
        except OSError:
            continue
        if text and marker in text.decode(errors="replace"):
            found.append(int(entry.name))
    return found


@pytest.mark.parametrize("stop", ["sigterm", "ctrl-c"])
def test_the_demo_stops_its_server_worker_and_beat(tmp_path, stop):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "demo.settings",
        "LTI_DEMO_DIR": str(tmp_path),
        "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'src'}",
    }
    manage = [sys.executable, str(ROOT / "demo" / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=True)
    port = free_port()
    server = subprocess.Popen(
        [*manage, "demo_serve", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own group, like a terminal's foreground job
    )
    try:
        url = f"http://127.0.0.1:{port}/lti/1p3/pub/jwks/"

        def answers() -> bool:
            try:
                return requests.get(url, timeout=2).status_code == 200
            except requests.RequestException:
                return False

        wait_for(answers, 60, "the demo server")
        # demo_serve, gunicorn's master and 2 workers, and the Celery worker (no beat).
        wait_for(lambda: len(processes_mentioning(str(tmp_path))) >= 5, 60, "every process")
        if stop == "sigterm":
            server.send_signal(signal.SIGTERM)
        else:
            os.killpg(server.pid, signal.SIGINT)  # what a terminal sends on Ctrl-C
        # Its stop gives the web server and the worker 15 s together; allow for a loaded CI box.
        try:
            code = server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            left = subprocess.run(
                [
                    "ps",
                    "-o",
                    "pid,stat,etime,args",
                    "-p",
                    ",".join(map(str, processes_mentioning(str(tmp_path)))),
                ],
                capture_output=True,
                text=True,
            ).stdout
            raise AssertionError(f"demo_serve did not stop; still running:\n{left}") from None
        assert code == 0
        wait_for(lambda: not processes_mentioning(str(tmp_path)), 20, "no process left")
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
        for pid in processes_mentioning(str(tmp_path)):
            os.kill(pid, signal.SIGKILL)


def test_stopping_processes_that_already_ended_reaps_each_one():
    from demo.lms.management.commands.demo_serve import stop_process_groups

    ended = [subprocess.Popen(["true"], start_new_session=True) for _ in range(2)]
    for process in ended:
        os.waitpid(process.pid, 0)  # gone before the stop, as when the server crashed
    stop_process_groups([ended[0], None, ended[1]], grace=0.1)  # raised UnboundLocalError
    lingering = subprocess.Popen(["sleep", "30"], start_new_session=True)
    stop_process_groups([lingering], grace=0.1, sig=signal.SIGCONT)  # ignored: then SIGKILL
    assert lingering.returncode == -signal.SIGKILL
