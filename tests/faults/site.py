"""The demo site as separate processes (web server, Celery worker) behind the fault proxy.

Each process runs ``tests.faults.fault_settings`` on one SQLite file and a file-system broker,
so a worker can be killed, a web server restarted, and the outbox rows read by the test.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import requests

from bench.loadtest import browser_session
from demo.lms.management.commands.demo_serve import stop_process_group
from tests.e2e import platform_launch_form, post_launch
from tests.faults.proxy import start_proxy

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = "tests.faults.fault_settings"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(check: Callable[[], object], timeout: float, what: str) -> None:
    """Poll ``check`` until it is true; fail naming ``what``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


class FaultSite:
    """Processes, proxy and database of one fault-suite run."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "LTI_DEMO_DIR": str(data_dir),
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")]),
        }
        self.web_port = free_port()
        self.proxy, self._proxy_server = start_proxy(self.web_port)
        self.base = f"http://127.0.0.1:{self._proxy_server.server_address[1]}"
        self.web: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None

    # processes
    def _manage(self, *args: str) -> None:
        subprocess.run(
            [sys.executable, str(ROOT / "demo" / "manage.py"), *args],
            env=self.env,
            cwd=ROOT,
            check=True,
            capture_output=True,
        )

    def prepare(self) -> None:
        """Migrate and seed the demo database for the proxy's URL; make the broker's folder."""
        for folder in ("celery", "celery-control"):
            (self.data_dir / folder).mkdir(exist_ok=True)
        self._manage("migrate", "--noinput", "-v", "0")
        self._manage("demo_seed", "--base-url", self.base)

    def _spawn(self, name: str, command: list[str], **env: str) -> subprocess.Popen:
        log = open(self.data_dir / f"{name}.log", "ab")
        return subprocess.Popen(
            command,
            env={**self.env, **env},
            cwd=ROOT,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )

    def start_web(self) -> None:
        manage = [sys.executable, str(ROOT / "demo" / "manage.py")]
        self.web = self._spawn(
            "web", [*manage, "runserver", f"127.0.0.1:{self.web_port}", "--noreload"]
        )

        def answers() -> bool:
            try:
                return requests.get(f"{self.base}/lti/1p3/pub/jwks/", timeout=2).status_code == 200
            except requests.RequestException:
                return False

        wait_for(answers, 60, "the web process")

    def stop_web(self) -> None:
        stop_process_group(self.web, grace=20)
        self.web = None

    def start_worker(self, backoff_sec: float = 1.0, beat: bool = True) -> None:
        """A Celery worker, with its embedded beat unless ``beat`` is False (as on Tutor);
        retries start ``backoff_sec`` apart."""
        command = [
            sys.executable, "-m", "celery", "-A", "demo.celery_app", "worker",
            "--pool=solo", "--loglevel=INFO",
        ]  # fmt: skip
        if beat:
            command += ["-B", "--schedule", str(self.data_dir / "beat-schedule")]
        self.worker = self._spawn("worker", command, FAULT_BACKOFF_SEC=str(backoff_sec))

    def kill_worker(self) -> None:
        """SIGKILL the worker and its beat: no shutdown, no cleanup, as a crash would."""
        stop_process_group(self.worker, sig=signal.SIGKILL)
        self.worker = None

    def stop_worker(self) -> None:
        stop_process_group(self.worker, grace=20)
        self.worker = None

    def drop_queued_tasks(self) -> int:
        """Delete the broker's queued messages, as a broker restarted without them would."""
        messages = list((self.data_dir / "celery").glob("*.msg"))
        for message in messages:
            message.unlink()
        return len(messages)

    def age_passbacks(self, seconds: float) -> None:
        """Move every pending row's send time ``seconds`` into the past."""
        self.query(
            "UPDATE lti_1p3_provider_scorepassback SET due_at = datetime(due_at, ?) "
            "WHERE status = 'pending'",
            f"-{int(seconds)} seconds",
        )

    def close(self) -> None:
        self.kill_worker()
        self.stop_web()
        self._proxy_server.shutdown()

    # the learner
    def learner(self, link: str, learner: str = "alice") -> Learner:
        """Launch ``link`` as ``learner`` through the real OIDC flow (via the proxy)."""
        browser = browser_session()
        response = post_launch(browser, platform_launch_form(browser, self.base, link, learner))
        assert response.status_code == 302, response.text[:500]
        content = response.headers["Location"]
        content = content if content.startswith("http") else self.base + content
        return Learner(self, browser, content)

    # what the database holds
    def query(self, sql: str, *args: object) -> list[tuple]:
        with sqlite3.connect(self.data_dir / "demo.sqlite3", timeout=20) as db:
            return db.execute(sql, args).fetchall()

    def platform_scores(self, link: str, learner: str = "alice") -> list[tuple[float, str, int]]:
        """(score given, timestamp, applied) of every score post the platform received."""
        return self.query(
            "SELECT s.score_given, s.timestamp, s.applied FROM demo_lms_demoscore s "
            "JOIN demo_lms_demolineitem i ON s.line_item_id = i.id "
            "WHERE i.resource_link_id = ? AND s.user_id = ? ORDER BY s.id",
            link,
            f"demo-learner-{learner}",
        )

    def held_score(self, link: str, learner: str = "alice") -> float | None:
        """The score the platform's gradebook holds (the latest applied one)."""
        applied = [s for s in self.platform_scores(link, learner) if s[2]]
        return applied[-1][0] if applied else None

    def seconds_since_first_failure(self, link: str, learner: str = "alice") -> float:
        """Seconds since the outbox row's current outage began (its ``retrying_since``)."""
        [(seconds,)] = self.query(
            "SELECT (julianday('now') - julianday(retrying_since)) * 86400 FROM "
            "lti_1p3_provider_scorepassback WHERE resource_link_id = ? AND lti_user_id = ?",
            link,
            f"demo-learner-{learner}",
        )
        return float(seconds)

    def passback(self, link: str, learner: str = "alice") -> dict[str, object]:
        """The learner's outbox row for the link."""
        rows = self.query(
            "SELECT status, version, sent_version, attempts, last_error FROM "
            "lti_1p3_provider_scorepassback WHERE resource_link_id = ? AND lti_user_id = ?",
            link,
            f"demo-learner-{learner}",
        )
        assert len(rows) == 1, rows
        keys = ("status", "version", "sent_version", "attempts", "last_error")
        return dict(zip(keys, rows[0], strict=True))


class Learner:
    """A learner's browser inside the launched content."""

    def __init__(self, site: FaultSite, browser: requests.Session, content_url: str) -> None:
        self.site, self.browser, self.content_url = site, browser, content_url

    def answer(self, usage_key: str, answer: str) -> None:
        """Submit an answer through the content's form, as the browser would."""
        page = self.browser.get(self.content_url, timeout=10)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, page.text[:500]
        path = self.content_url.removeprefix(self.site.base)
        response = self.browser.post(
            f"{self.site.base}/sandbox/xblock/{usage_key}/submit",
            data={"csrfmiddlewaretoken": token.group(1), "answer": answer, "next": path},
            headers={"Referer": self.content_url},
            allow_redirects=False,
            timeout=10,
        )
        assert response.status_code == 302, response.text[:300]
