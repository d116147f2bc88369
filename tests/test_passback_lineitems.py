"""A gradebook column deleted on the platform: one the tool created is created again on the
next attempt, so the score is not lost; one the platform named fails with its reason; and a
platform that answers 404 for a column it has just made gets no second column."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from django.utils import timezone
from opaque_keys.edx.keys import CourseKey, UsageKey

from demo.lms.models import DemoLineItem
from lti_1p3_provider.core.claims import SCOPE_LINEITEM, SCOPE_SCORE
from lti_1p3_provider.grades.delivery import deliver
from lti_1p3_provider.models import LtiLaunch, LtiProfile, ScorePassback
from tests.helpers import COURSE, PROBLEM
from tests.passback_helpers import Q1, answer, deliver_until_settled, launch_link, received
from tests.scripted_server import Reply, ScriptedServer

LINK = "rl-speed_q1"


def delete_column(link: str) -> None:
    """The teacher deletes the link's gradebook column on the platform."""
    DemoLineItem.objects.filter(resource_link_id=link).update(gradebook_column=False)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_deleted_column_the_tool_created_is_created_again(site):
    delete_column(LINK)  # no column yet: the launch names none, the tool creates it
    launch = launch_link(site, LINK)
    assert launch.lineitem_url == ""
    answer(launch, Q1)
    assert deliver_until_settled() == ["sent"]
    delete_column(LINK)
    answer(launch, Q1, correct=False)
    assert deliver_until_settled() == ["retry", "sent"]
    row = ScorePassback.objects.get()
    assert row.status == "sent" and row.lineitem_url.startswith(f"{site}/lms/ags/lineitems/")
    assert DemoLineItem.objects.get(resource_link_id=LINK).gradebook_column
    assert [s.score_given for s in received(LINK)] == [1.0, 0.0]  # the second score arrived


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_deleted_column_the_platform_named_fails_with_its_reason(site):
    launch = launch_link(site, LINK)
    assert launch.lineitem_url  # the platform named its column in the launch
    answer(launch, Q1)
    assert deliver_until_settled() == ["sent"]
    delete_column(LINK)
    answer(launch, Q1, correct=False)
    assert deliver_until_settled() == ["failed"]
    row = ScorePassback.objects.get()
    assert "404" in row.last_error and row.lineitem_url == launch.lineitem_url
    assert not DemoLineItem.objects.get(resource_link_id=LINK).gradebook_column  # not recreated


@pytest.mark.django_db
def test_a_column_that_404s_as_soon_as_made_is_made_once(loopback_tool, django_user_model):
    routes: dict[str, Reply] = {
        "/token": Reply(json.dumps({"access_token": "t", "expires_in": 3600}).encode()),
        "GET /li": Reply(b"[]"),
        "/li/1/scores": Reply(b"{}", status=404),
    }
    with ScriptedServer(routes) as server:
        routes["POST /li"] = Reply(json.dumps({"id": server.url + "/li/1"}).encode(), status=201)
        loopback_tool.auth_token_url = server.url + "/token"
        loopback_tool.save()
        row = _row(loopback_tool, django_user_model, server.url + "/li")
        assert deliver(row.pk) == "failed"
    assert [r for r in server.requests if r[1].startswith("/li")] == [
        ("GET", "/li?" + urlencode({"resource_link_id": "rl-1", "tag": PROBLEM})),
        ("POST", "/li"),
        ("POST", "/li/1/scores"),
    ]
    assert "404" in ScorePassback.objects.get().last_error


def _row(tool, django_user_model, lineitems_url: str) -> ScorePassback:
    user = django_user_model.objects.create(username="learner")
    profile = LtiProfile.objects.create(tool=tool, sub="s-1", user=user)
    launch = LtiLaunch.objects.create(
        tool=tool,
        profile=profile,
        user=user,
        course_key=CourseKey.from_string(COURSE),
        usage_key=UsageKey.from_string(PROBLEM),
        resource_link_id="rl-1",
        ags_claim={"scope": [SCOPE_LINEITEM, SCOPE_SCORE], "lineitems": lineitems_url},
    )
    return ScorePassback.objects.create(
        tool=tool,
        user=user,
        launch=launch,
        resource_link_id="rl-1",
        usage_key=launch.usage_key,
        lti_user_id="s-1",
        score_given=1,
        score_maximum=1,
        scored_at=timezone.now(),
    )
