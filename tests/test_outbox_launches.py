"""Which launches speak for a learner's resource links when a score changes: the latest live
graded launch of each link, picked by the database whatever the number of relaunches."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from opaque_keys.edx.keys import CourseKey, UsageKey

from lti_1p3_provider.core.claims import SCOPE_SCORE
from lti_1p3_provider.grades.outbox import _speaking_launches
from lti_1p3_provider.models import LtiLaunch, LtiProfile
from tests.helpers import COURSE, PROBLEM

pytestmark = pytest.mark.django_db
SCORES = {"scope": [SCOPE_SCORE], "lineitem": "https://platform.example/li/1"}
NO_SCORES = {"scope": [], "lineitem": "https://platform.example/li/1"}


@pytest.fixture
def learner(django_user_model):
    return django_user_model.objects.create(username="learner")


def launch(profile, link: str, minutes_ago: int, **fields) -> LtiLaunch:
    fields.setdefault("ags_claim", None if profile.consumer_id else SCORES)
    fields.setdefault("usage_key", UsageKey.from_string(PROBLEM))
    return LtiLaunch.objects.create(
        tool_id=profile.tool_id,
        consumer_id=profile.consumer_id,
        profile=profile,
        user=profile.user,
        course_key=CourseKey.from_string(COURSE),
        resource_link_id=link,
        launched_at=timezone.now() - timedelta(minutes=minutes_ago),
        **fields,
    )


def test_only_the_latest_live_graded_launch_of_each_link_speaks(tool, consumer, learner):
    lti13 = LtiProfile.objects.create(tool=tool, sub="s-13", user=learner)
    lti11 = LtiProfile.objects.create(consumer=consumer, sub="s-11", user=learner)
    for minutes in range(30, 10, -1):  # relaunched twenty times
        launch(lti13, "rl-a", minutes)
    latest_a = launch(lti13, "rl-a", 5)
    launch(lti13, "rl-b", 20)
    launch(lti13, "rl-b", 3, ags_claim=NO_SCORES)  # the latest launch took the scope away
    live_c = launch(lti13, "rl-c", 20)
    launch(lti13, "rl-c", 2, expires_at=timezone.now())  # expired: the earlier one speaks
    launch(lti13, "rl-d", 1, ags_claim=None)  # ungraded
    launch(lti11, "rl-a", 30, outcome_service_url="https://moodle.example/o", result_sourcedid="x")
    latest_11 = launch(
        lti11, "rl-a", 8, outcome_service_url="https://moodle.example/o", result_sourcedid="y"
    )
    found = _speaking_launches(learner.pk, CourseKey.from_string(COURSE))
    # Newest first; the same link id on an LTI 1.1 consumer is another link.
    assert [row.pk for row in found] == [latest_a.pk, latest_11.pk, live_c.pk]


def test_relaunches_cost_one_query_and_one_row_per_link(tool, learner, django_assert_num_queries):
    profile = LtiProfile.objects.create(tool=tool, sub="s", user=learner)
    for minutes in range(200):
        launch(profile, f"rl-{minutes % 4}", minutes)
    with django_assert_num_queries(1):
        found = _speaking_launches(learner.pk, CourseKey.from_string(COURSE))
        assert [row.profile.sub for row in found] == ["s"] * 4  # the profile comes joined
    assert sorted(row.resource_link_id for row in found) == ["rl-0", "rl-1", "rl-2", "rl-3"]
