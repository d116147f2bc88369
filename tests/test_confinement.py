"""Confined LTI sessions: a launch reaches what its gate allows and nothing more."""

from __future__ import annotations

import pytest
from django.utils import timezone

from lti_1p3_provider.edxapp.sandbox.models import SandboxScore
from lti_1p3_provider.launch.access import SESSION_KEY
from tests.helpers import COURSE, PROBLEM, UNIT, launch, target_uri

pytestmark = pytest.mark.django_db
Q2 = "block-v1:OpenedX+DemoX+2026+type@problem+block@speed_q2"
OTHER_UNIT_PROBLEM = "block-v1:OpenedX+DemoX+2026+type@problem+block@energy_q1"
CONFINED = "limited to the content"


def content_path(usage_key: str) -> str:
    return f"/lti/1p3/launch/{COURSE}/{usage_key}"


def submit(client, usage_key: str, answer: str = "x"):
    return client.post(
        f"/sandbox/xblock/{usage_key}/submit", {"answer": answer, "next": content_path(usage_key)}
    )


def assert_confined(response) -> None:
    assert response.status_code == 403, response.status_code
    assert CONFINED in response.content.decode()


def test_launched_problem_can_still_be_answered(client, platform, tool):
    assert launch(client, platform).status_code == 302
    assert client.get(content_path(PROBLEM)).status_code == 200
    assert submit(client, PROBLEM, "20 km/h").status_code == 302
    assert SandboxScore.objects.get(usage_key=PROBLEM).earned == 1.0


def test_other_blocks_and_lms_pages_are_refused(client, platform, tool):
    launch(client, platform)
    assert_confined(submit(client, Q2, "Velocity"))
    assert not SandboxScore.objects.exists()
    for path in ("/admin/", "/dashboard", "/courses/course-v1:OpenedX+DemoX+2026/courseware"):
        assert_confined(client.get(path))
    # The other block's content URL is the provider's: refused by its own grant check.
    assert client.get(content_path(Q2)).status_code == 403


def test_a_unit_launch_reaches_its_problems_only(client, platform, tool):
    launch(client, platform, target=target_uri(UNIT))
    assert submit(client, Q2, "Velocity").status_code == 302
    assert_confined(submit(client, OTHER_UNIT_PROBLEM, "4"))


def test_grant_expiry_closes_the_handlers(client, platform, tool, settings):
    settings.LTI_1P3_PROVIDER_ACCESS_LENGTH_SEC = 60
    launch(client, platform)
    session = client.session
    grants = session[SESSION_KEY]
    grants[content_path(PROBLEM)]["exp"] = timezone.now().timestamp() - 1
    session[SESSION_KEY] = grants
    session.save()
    assert_confined(submit(client, PROBLEM, "20 km/h"))
    assert not SandboxScore.objects.exists()


def test_several_launches_in_one_browser_keep_each_target(client, platform, tool):
    launch(client, platform)
    launch(
        client,
        platform,
        target=target_uri(Q2),
        **{"https://purl.imsglobal.org/spec/lti/claim/resource_link": {"id": "rl-2"}},
    )
    assert client.get(content_path(PROBLEM)).status_code == 200
    assert client.get(content_path(Q2)).status_code == 200
    assert submit(client, PROBLEM).status_code == 302
    assert submit(client, Q2).status_code == 302


def test_confinement_can_be_turned_off(client, platform, tool, settings):
    settings.LTI_1P3_PROVIDER_CONFINE_SESSIONS = False
    launch(client, platform)
    assert submit(client, Q2, "Velocity").status_code == 302
    assert client.get("/dashboard").status_code == 404  # reaches URL routing: not confined


def test_sessions_not_opened_by_a_launch_are_not_confined(admin_client):
    assert admin_client.get("/admin/").status_code == 200
