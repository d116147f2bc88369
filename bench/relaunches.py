"""Scoring cost against relaunches: a learner who relaunched each of 5 links many times
answers a problem; how long recording the score change takes (it runs in the request that
scores). Run with ``make bench``; ``BENCH_RELAUNCHES`` sets the sizes (default 10,100,1000).
"""

from __future__ import annotations

import os
import statistics
import sys
import time

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.launch_settings"

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from opaque_keys.edx.keys import CourseKey, UsageKey  # noqa: E402

from lti_1p3_provider.core.claims import SCOPE_SCORE  # noqa: E402
from lti_1p3_provider.edxapp.api import ScoreChanged  # noqa: E402
from lti_1p3_provider.grades.outbox import record_score_change  # noqa: E402
from lti_1p3_provider.models import LtiLaunch, LtiProfile  # noqa: E402
from lti_1p3_provider.services.platform_registration import (  # noqa: E402
    PlatformRegistration,
    register_platform,
)
from tests.helpers import COURSE, PROBLEM  # noqa: E402

LINKS = 5
CLAIM = {"scope": [SCOPE_SCORE], "lineitem": "https://platform.example/li/1"}


def learner_with(relaunches: int, tool) -> int:
    """A new learner who launched each link ``relaunches`` times; their user id."""
    user = get_user_model().objects.create(username=f"bench-relaunch-{relaunches}")
    profile = LtiProfile.objects.create(tool=tool, sub=f"sub-{relaunches}", user=user)
    LtiLaunch.objects.bulk_create(
        LtiLaunch(
            tool=tool,
            deployment_id="d",
            profile=profile,
            user=user,
            course_key=CourseKey.from_string(COURSE),
            usage_key=UsageKey.from_string(PROBLEM),
            resource_link_id=f"rl-{i % LINKS}",
            ags_claim=CLAIM,
            lineitem_url=CLAIM["lineitem"],
        )
        for i in range(relaunches * LINKS)
    )
    return user.pk


def main() -> int:
    call_command("migrate", verbosity=0)
    tool, _created = register_platform(
        PlatformRegistration(
            title="Relaunch bench",
            issuer="https://relaunch.example",
            client_id="relaunch",
            auth_login_url="https://relaunch.example/auth",
            auth_token_url="https://relaunch.example/token",
            key_set={"keys": []},
            deployment_ids=("d",),
            key_name="relaunch-bench",
            allowed_courses=(COURSE,),
        )
    )
    sizes = [int(n) for n in os.environ.get("BENCH_RELAUNCHES", "10,100,1000").split(",")]
    print(
        f"\nrecording one score change, {LINKS} links, p50 of 50 (the row exists after the first)"
    )
    for relaunches in sizes:
        user_id = learner_with(relaunches, tool)
        event = ScoreChanged(
            user_id, CourseKey.from_string(COURSE), UsageKey.from_string(PROBLEM), 1.0, 1.0
        )
        times = []
        for _ in range(50):
            start = time.perf_counter()
            record_score_change(event)
            times.append((time.perf_counter() - start) * 1000)
        print(f"{relaunches:>6} launches per link: {statistics.median(times):7.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
