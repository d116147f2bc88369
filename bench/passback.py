"""Grade passback benchmark: N learners x M score changes against the loopback platform.

Run with ``make bench`` (``BENCH_LEARNERS`` and ``BENCH_CHANGES`` override the size).
"""

from __future__ import annotations

import os
import resource
import socket
import subprocess
import sys
import time
import tracemalloc

import requests

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

import django

django.setup()

from celery.contrib.testing.worker import start_worker  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.utils import timezone  # noqa: E402
from opaque_keys.edx.keys import UsageKey  # noqa: E402

from demo.celery_app import app  # noqa: E402
from demo.lms.management.commands.demo_seed import seed  # noqa: E402
from demo.lms.management.commands.demo_serve import start_web, stop_process_group  # noqa: E402
from demo.lms.models import DemoScore, DemoTokenGrant  # noqa: E402
from lti_1p3_provider.edxapp.sandbox.backend import find_block, submit_answer  # noqa: E402
from lti_1p3_provider.grades import batch  # noqa: E402
from lti_1p3_provider.grades.outbox import sweep  # noqa: E402
from lti_1p3_provider.models import LtiLaunch, ScorePassback  # noqa: E402
from tests.passback_helpers import ACCEL, Q1, Q2, RIGHT, launch_link  # noqa: E402

COMPOSITE_LINK, LEAF_LINK = "rl-motion_quiz", "rl-speed_q1"


def serve() -> tuple[str, subprocess.Popen]:
    """The demo site (tool and platform) in its own process, as a real platform would be.

    In one process the platform's request handling would share the worker's interpreter lock
    and count against the provider's delivery rate.
    """
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = start_web(port, workers=2, threads=8)  # what `make demo` serves with
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            requests.get(f"{base}/lti/1p3/pub/jwks/", timeout=1)
            return base, server
        except requests.RequestException:
            time.sleep(0.1)
    stop_process_group(server)
    raise RuntimeError("the bench server did not start")


def learners(count: int) -> list[str]:
    """Names the built-in LMS takes as distinct learners."""
    return [f"bench{i}" for i in range(count)]


def wait_until_sent(timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not ScorePassback.objects.exclude(status="sent").exists():
            return True
        time.sleep(0.2)  # each look is a query in this process: do not starve the worker
    return False


def main() -> int:
    n = int(os.environ.get("BENCH_LEARNERS", "100"))
    m = int(os.environ.get("BENCH_CHANGES", "10"))
    call_command("migrate", verbosity=0)
    base, server = serve()
    try:
        return run(base, n, m)
    finally:
        stop_process_group(server)


def run(base: str, n: int, m: int) -> int:
    """Launch, score, then deliver everything with one worker; print the figures."""
    seed(base)
    delay = os.environ.get("BENCH_PLATFORM_DELAY_MS", "0")
    print(
        f"platform: the built-in LMS, answering AGS calls after {delay} ms more; "
        f"{batch.concurrency()} scores in flight per delivery"
    )
    keys = learners(n)
    launches = []
    for key in keys:
        launches.append((launch_link(base, COMPOSITE_LINK, key), launch_link(base, LEAF_LINK, key)))
    print(f"{n} learners launched a subsection and a problem each ({2 * n} launches)")

    problems = [Q1, Q2, ACCEL]
    changes = 0
    start = time.monotonic()
    for composite, _leaf in launches:
        for j in range(m):
            usage = problems[j % 3]
            submit_answer(
                composite.user,
                find_block(UsageKey.from_string(usage)),
                RIGHT[usage] if j % 2 == 0 else "wrong",
            )
            changes += 1
    record_secs = time.monotonic() - start
    rows = ScorePassback.objects.count()
    print(
        f"{changes} score changes recorded in {record_secs:.2f}s "
        f"({changes / record_secs:.0f}/s) into {rows} outbox rows"
    )

    time.sleep(float(os.environ.get("BENCH_WINDOW_WAIT", "3.2")))  # the composite window closes
    traced = os.environ.get("BENCH_TRACE_MEMORY") == "1"  # tracemalloc slows Python 2-3x
    if traced:
        tracemalloc.start()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        started_at = timezone.now()  # the worker is up: from here on it is delivery alone
        sweep()
        done = wait_until_sent(timeout=600)
        # From the start to the last row marked sent, as the database recorded it (the polling
        # above would add up to one poll interval).
        last = ScorePassback.objects.aggregate(last=Max("sent_at"))["last"]
        elapsed = (last - started_at).total_seconds()
    peak = tracemalloc.get_traced_memory()[1] if traced else 0
    tracemalloc.stop()
    delivered = DemoScore.objects.count()
    composite_calls = DemoScore.objects.filter(line_item__resource_link_id=COMPOSITE_LINK).count()
    leaf_calls = DemoScore.objects.filter(line_item__resource_link_id=LEAF_LINK).count()
    tokens = DemoTokenGrant.objects.count()
    windows = LtiLaunch.objects.filter(resource_link_id=COMPOSITE_LINK).count()
    print(f"all sent: {done}")
    print(
        "AGS score calls per (learner, composite resource, window): "
        f"{composite_calls / windows:.2f}"
        f"  ({composite_calls} calls, {windows} windows)"
    )
    print(f"AGS score calls per (learner, leaf resource): {leaf_calls / n:.2f}")
    print(
        f"token requests per 1,000 scores: {1000 * tokens / max(delivered, 1):.2f}"
        f"  ({tokens} token(s) for {delivered} scores, 1 registration)"
    )
    print(
        f"scores delivered per second, one worker: {delivered / elapsed:.1f}"
        f"  ({delivered} in {elapsed:.2f}s)"
    )
    if traced:
        print(f"peak traced Python memory while delivering: {peak / 2**20:.1f} MiB")
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of the process: {rss_mib:.0f} MiB")
    return 0 if done and composite_calls == windows else 1


if __name__ == "__main__":
    sys.exit(main())
