"""Launch benchmark: the provider's full launch next to stock pylti1p3's, in one process.

Both paths run against the same registration, tool key, gate, learners and loopback key set
server, in alternating blocks so that noise hits both. A full launch is the login initiation,
the launch POST and the content page, for a returning learner. The id_token is posted as a
platform's auto-submitted form posts it (``application/x-www-form-urlencoded``, OIDC form post
response mode), not as the test client's default multipart. Run with ``make bench``.
``BENCH_LAUNCHES`` (per path and key set, default 300) and ``BENCH_BLOCK`` (default 25).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections import defaultdict
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.launch_settings"

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from lti_1p3_provider.services.platform_registration import (  # noqa: E402
    PlatformRegistration,
    register_platform,
)
from tests.helpers import COURSE, SigningPlatform, target_uri  # noqa: E402
from tests.jwks_server import KeySetServer  # noqa: E402

PATHS = {
    "provider": ("/lti/1p3/login/", "/lti/1p3/launch/"),
    "stock": ("/stock/login/", "/stock/launch/"),
}
PHASES = ("login", "launch", "content")
TRANSACTION_WORDS = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


def register(platform: SigningPlatform, key_set_url: str) -> None:
    register_platform(
        PlatformRegistration(
            title="Bench platform",
            issuer=platform.issuer,
            client_id=platform.client_id,
            auth_login_url="https://platform.example/auth",
            auth_token_url="https://platform.example/token",
            key_set_url=key_set_url,
            deployment_ids=(platform.deployment_id,),
            key_name="bench",
            allowed_courses=(COURSE,),
        )
    )


def full_launch(path: str, platform: SigningPlatform, sub: str) -> tuple[dict[str, float], Client]:
    """One full launch by ``sub`` through ``path``; seconds per phase."""
    login_url, launch_url = PATHS[path]
    client, timings, target = Client(), {}, target_uri()
    query = {
        "iss": platform.issuer,
        "client_id": platform.client_id,
        "login_hint": sub,
        "target_link_uri": target,
        "lti_message_hint": "rl-1",
    }
    start = time.perf_counter()
    response = client.get(login_url, query)
    timings["login"] = time.perf_counter() - start
    assert response.status_code == 302, (path, response.status_code)
    auth = {k: v[0] for k, v in parse_qs(urlsplit(response["Location"]).query).items()}
    token = platform.sign(platform.claims(auth["nonce"], target, sub=sub))
    start = time.perf_counter()
    response = client.post(
        launch_url,
        urlencode({"id_token": token, "state": auth["state"]}),
        content_type="application/x-www-form-urlencoded",
    )
    timings["launch"] = time.perf_counter() - start
    assert response.status_code == 302, (path, response.status_code, response.content[:300])
    start = time.perf_counter()
    content = client.get(response["Location"])
    timings["content"] = time.perf_counter() - start
    assert content.status_code == 200, (path, content.status_code)
    return timings, client


def statements(path: str, platform: SigningPlatform, sub: str) -> tuple[int, int]:
    """SQL statements of one full launch: all of them, and without transaction statements."""
    with CaptureQueriesContext(connection) as queries:
        full_launch(path, platform, sub)
    sqls = [q["sql"] for q in queries.captured_queries]
    plain = [s for s in sqls if not s.startswith(TRANSACTION_WORDS)]
    return len(sqls), len(plain)


def p(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def run(
    label: str, server: KeySetServer, platform: SigningPlatform, launches: int, block: int
) -> dict[str, Any]:
    learners = [f"bench-{i}" for i in range(block)]
    for path in PATHS:  # warm: learners exist, registration and key set cached where they can be
        for sub in learners:
            full_launch(path, platform, sub)
    times: dict[str, dict[str, list[float]]] = {path: defaultdict(list) for path in PATHS}
    fetches: dict[str, int] = defaultdict(int)
    for _ in range(launches // block):
        for path in PATHS:
            before = server.requests
            for sub in learners:
                timings, _client = full_launch(path, platform, sub)
                for phase, seconds in timings.items():
                    times[path][phase].append(seconds)
                times[path]["total"].append(sum(timings.values()))
            fetches[path] += server.requests - before
    counts = {path: statements(path, platform, learners[0]) for path in PATHS}
    print(f"\n{label}: {launches} warm launches per path by {block} returning learners")
    print(f"{'':<10}{'phase':<9}{'p50 ms':>9}{'p95 ms':>9}")
    for path in PATHS:
        for phase in (*PHASES, "total"):
            values = times[path][phase]
            print(f"{path:<10}{phase:<9}{p(values, 0.5):>9.2f}{p(values, 0.95):>9.2f}")
    for path in PATHS:
        total, plain = counts[path]
        per_launch = fetches[path] / launches
        print(f"{path:<10}SQL per launch {total} ({plain} without transaction statements), "
              f"JWKS fetches per warm launch {per_launch:.2f}")  # fmt: skip
    ratio = statistics.median(times["stock"]["total"]) / statistics.median(
        times["provider"]["total"]
    )
    print(f"stock/provider p50 ratio: {ratio:.2f}")
    return {"ratio": ratio, "counts": counts, "fetches": fetches}


def main() -> int:
    launches = int(os.environ.get("BENCH_LAUNCHES", "300"))
    block = int(os.environ.get("BENCH_BLOCK", "25"))
    call_command("migrate", verbosity=0)
    platform = SigningPlatform()
    with KeySetServer() as server:
        server.keys = [platform.jwk]
        register(platform, server.url)
        loopback = run("JWKS on loopback", server, platform, launches, block)
        server.delay = 0.05
        delayed = run("JWKS 50 ms away", server, platform, launches, block)
    new_counts = statements("provider", platform, "bench-brand-new")
    print(f"\nprovider, a new learner's full launch: {new_counts[0]} SQL statements")
    ok = (
        loopback["counts"]["provider"][0] <= 12
        and new_counts[0] <= 15
        and loopback["fetches"]["provider"] == 0
        and delayed["fetches"]["provider"] == 0
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
