"""Outbound calls go only where the platform lives, follow no redirects, store no bodies, and
recover once from a refused token (401 or Open edX's 403)."""

from __future__ import annotations

import pytest

from demo.lms.models import DemoPlatform, DemoTokenGrant
from lti_1p3_provider.core.keys import generate_key_pair
from lti_1p3_provider.grades.delivery import deliver
from lti_1p3_provider.models import LtiLaunch, ScorePassback, policy_for
from tests.passback_helpers import Q1, answer, deliver_until_settled, launch_link, received
from tests.recording_server import RecordingServer

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def point_ags_at(launch: LtiLaunch, base: str) -> None:
    """What a registered but hostile platform's signed AGS claim could say."""
    claim = {**launch.ags_claim, "lineitem": f"{base}/lineitems/1", "lineitems": f"{base}/li"}
    LtiLaunch.objects.filter(pk=launch.pk).update(ags_claim=claim, lineitem_url=claim["lineitem"])
    ScorePassback.objects.filter(launch=launch).update(lineitem_url=claim["lineitem"])


def test_ags_url_on_a_foreign_host_causes_no_request(site):
    launch = launch_link(site, "rl-speed_q1")
    with RecordingServer() as foreign:
        point_ags_at(launch, foreign.url)
        answer(launch, Q1)
        assert deliver(ScorePassback.objects.get().pk) == "failed"
        assert foreign.requests == []
    row = ScorePassback.objects.get()
    assert "127.0.0.1 is not a host this registration allows" in row.last_error
    assert received("rl-speed_q1") == []


def test_operator_listed_host_is_allowed(site):
    launch = launch_link(site, "rl-speed_q1")
    policy = policy_for(launch.tool)
    policy.extra_service_hosts = ["127.0.0.1"]
    policy.save()
    with RecordingServer(status=200) as other:
        point_ags_at(launch, other.url)
        answer(launch, Q1)
        assert deliver(ScorePassback.objects.get().pk) == "sent"
        assert other.requests == [("POST", "/lineitems/1/scores")]


def test_redirects_are_not_followed_and_bodies_not_kept(site):
    launch = launch_link(site, "rl-speed_q1")
    policy = policy_for(launch.tool)
    policy.extra_service_hosts = ["127.0.0.1"]
    policy.save()
    with RecordingServer(status=302, headers={"Location": "http://169.254.169.254/"}) as hop:
        point_ags_at(launch, hop.url)
        answer(launch, Q1)
        assert deliver(ScorePassback.objects.get().pk) == "failed"
        assert len(hop.requests) == 1
    assert "redirects are not followed" in ScorePassback.objects.get().last_error
    body = b'{"error": "bad <script>alert(1)</script>", "secret": "internal-hostname"}'
    with RecordingServer(status=400, body=body) as refusing:
        point_ags_at(launch, refusing.url)
        ScorePassback.objects.update(status="pending", attempts=0)
        assert deliver(ScorePassback.objects.get().pk) == "failed"
    error = ScorePassback.objects.get().last_error
    assert "400" in error and "script" not in error and "internal-hostname" not in error


def test_a_403_on_a_score_call_refreshes_the_token_once_after_a_key_rotation(site):
    DemoPlatform.objects.update(token_refusal_status=403)  # as Open edX's AGS answers
    launch = launch_link(site, "rl-speed_q1")
    answer(launch, Q1)
    assert deliver_until_settled() == ["sent"]
    pair = generate_key_pair()  # the platform rotates its key: every issued token is void
    DemoPlatform.objects.update(private_key=pair.private_pem, public_key=pair.public_pem)
    answer(launch, Q1, correct=False)
    assert deliver_until_settled() == ["sent"]
    assert DemoTokenGrant.objects.count() == 2
    assert [s.score_given for s in received("rl-speed_q1")] == [1.0, 0.0]


def test_a_second_refusal_fails_with_the_platforms_status(site):
    launch = launch_link(site, "rl-speed_q1")
    policy = policy_for(launch.tool)
    policy.extra_service_hosts = ["127.0.0.1"]
    policy.save()
    with RecordingServer(status=403, body=b'{"detail": "Invalid token."}') as refusing:
        point_ags_at(launch, refusing.url)
        answer(launch, Q1)
        assert deliver(ScorePassback.objects.get().pk) == "failed"
        assert len(refusing.requests) == 2  # the cached token, then one fresh token
    assert DemoTokenGrant.objects.count() == 2
    row = ScorePassback.objects.get()
    assert "refused a fresh token too" in row.last_error and "403" in row.last_error
