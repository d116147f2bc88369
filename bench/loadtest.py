"""Load test: N full first launches by distinct learners from T client threads (``make loadtest``).

Runs against a running demo (``make demo``; ``LOADTEST_URL``, default http://127.0.0.1:8000).
Each launch is a new learner: the LMS's launch page, the tool's login initiation, the
platform's authorization (the signed id_token form), the launch POST, and the content page.
Prints launches per second, p50/p99 per phase, and every error. Exit status 1 on any error.
"""

from __future__ import annotations

import html
import http.cookiejar
import os
import re
import secrets
import statistics
import sys
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests

FORM = re.compile(
    r'action="(?P<action>[^"]+)".*?name="id_token" value="(?P<token>[^"]+)".*?'
    r'name="state" value="(?P<state>[^"]+)"',
    re.S,
)
PHASES = ("lms_start", "tool_login", "platform_auth", "launch_post", "content")


class LaunchFailed(Exception):
    """One launch went wrong; the message says in which phase and how."""


def _step(phase: str, timings: dict[str, float], call, expect: int) -> requests.Response:
    start = time.perf_counter()
    try:
        response = call()
    except requests.RequestException as exc:
        raise LaunchFailed(f"{phase}: {exc.__class__.__name__}") from exc
    timings[phase] = time.perf_counter() - start
    if response.status_code != expect:
        raise LaunchFailed(f"{phase}: HTTP {response.status_code} {response.text[:120]!r}")
    return response


class LoopbackCookiePolicy(http.cookiejar.DefaultCookiePolicy):
    """Send Secure cookies to http://127.0.0.1 and http://localhost, as browsers do (the demo's
    cookies are SameSite=None; Secure for its cross-site iframe)."""

    def return_ok_secure(self, cookie: http.cookiejar.Cookie, request: Any) -> bool:
        host = urlsplit(request.get_full_url()).hostname
        return host in ("127.0.0.1", "localhost") or super().return_ok_secure(cookie, request)


class _LoopbackSession(requests.Session):
    def prepare_request(self, request: requests.Request) -> requests.PreparedRequest:
        # requests merges cookies into a fresh jar with the default policy: redo the header
        # from the session's own jar, with its policy.
        prepared = super().prepare_request(request)
        prepared.headers.pop("Cookie", None)
        prepared.prepare_cookies(self.cookies)
        return prepared


def browser_session() -> requests.Session:
    """An HTTP client that keeps cookies like a browser on loopback."""
    session = _LoopbackSession()
    session.cookies.set_policy(LoopbackCookiePolicy())
    return session


def one_launch(base: str, link: str, learner: str) -> dict[str, float]:
    """A new learner's full launch; the time each phase took."""
    browser = browser_session()
    timings: dict[str, float] = {}
    get = browser.get
    first = _step(
        "lms_start",
        timings,
        lambda: get(
            f"{base}/lms/launch/{link}/",
            params={"learner": learner},
            allow_redirects=False,
            timeout=30,
        ),
        302,
    )
    # A client without JavaScript: the tool's platform storage page would wait for the LMS
    # page's scripts, so log in as a platform without storage does (the state cookie path).
    login = re.sub(r"&lti_storage_target=[^&]*", "", urljoin(base, first.headers["Location"]))
    second = _step(
        "tool_login", timings, lambda: get(login, allow_redirects=False, timeout=30), 302
    )
    auth = urljoin(base, second.headers["Location"])
    form_page = _step("platform_auth", timings, lambda: get(auth, timeout=30), 200)
    match = FORM.search(form_page.text)
    if not match:
        raise LaunchFailed("platform_auth: no id_token form")
    action, token, state = (html.unescape(match.group(g)) for g in ("action", "token", "state"))
    data = {"id_token": token, "state": state}
    launched = _step(
        "launch_post",
        timings,
        lambda: browser.post(action, data=data, allow_redirects=False, timeout=30),
        302,
    )
    content = urljoin(base, launched.headers["Location"])
    _step("content", timings, lambda: get(content, timeout=30), 200)
    return timings


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> int:
    base = os.environ.get("LOADTEST_URL", "http://127.0.0.1:8000").rstrip("/")
    total = int(os.environ.get("LOADTEST_LAUNCHES", "500"))
    threads = int(os.environ.get("LOADTEST_THREADS", "8"))
    link = os.environ.get("LOADTEST_LINK", "rl-speed_q1")
    run = secrets.token_hex(3)
    per_phase: dict[str, list[float]] = defaultdict(list)
    totals: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def task(i: int) -> None:
        try:
            timings = one_launch(base, link, f"l{run}n{i}")
        except LaunchFailed as exc:
            with lock:
                errors.append(f"launch {i}: {exc}")
            return
        with lock:
            for phase, seconds in timings.items():
                per_phase[phase].append(seconds)
            totals.append(sum(timings.values()))

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(task, range(total)))
    elapsed = time.perf_counter() - start
    print(f"{total} first launches by distinct learners, {threads} client threads, {base}")
    print(
        f"ok: {len(totals)}  errors: {len(errors)}  in {elapsed:.1f} s"
        f"  ({len(totals) / elapsed:.1f} launches/s)"
    )
    print(f"{'phase':<14}{'p50 ms':>10}{'p99 ms':>10}")
    for phase in (*PHASES, "total"):
        values = totals if phase == "total" else per_phase[phase]
        if values:
            p50, p99 = statistics.median(values) * 1000, percentile(values, 0.99) * 1000
            print(f"{phase:<14}{p50:>10.1f}{p99:>10.1f}")
    for error in errors[:20]:
        print("ERROR", error)
    return 1 if errors or not totals else 0


if __name__ == "__main__":
    sys.exit(main())
