"""Tool key rotation: launches and passbacks succeed before, during and after; the old key
leaves the key set; the platform checks every client assertion against our published keys."""

from __future__ import annotations

from datetime import timedelta

import jwt
import pytest
import requests
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool, LtiToolKey

from demo.lms.models import DemoTokenGrant
from lti_1p3_provider.models import ToolKeyRotation
from lti_1p3_provider.services.key_rotation import RotationRefused, rotate_tool_key
from tests.passback_helpers import ACCEL, Q1, Q2, answer, deliver_until_settled, launch_link

HOUR = timedelta(hours=1)


def kid(key: LtiToolKey) -> str:
    from lti_1p3_provider.services.tool_keys import tool_key_jwk

    return tool_key_jwk(key)["kid"]


def published(site: str) -> set[str]:
    return {k["kid"] for k in requests.get(f"{site}/lti/1p3/pub/jwks/", timeout=10).json()["keys"]}


def signing_kid(tool: LtiTool) -> str:
    from lti_1p3_provider.services.tool_keys import sign_as_tool

    return jwt.get_unverified_header(sign_as_tool(tool, {"iss": "x"}))["kid"]


def score_sent(site: str, link: str, usage_key: str, learner: str) -> None:
    launch = launch_link(site, link, learner)
    answer(launch, usage_key)
    assert deliver_until_settled() == ["sent"]


@pytest.mark.django_db(transaction=True)
def test_launches_and_passbacks_succeed_before_during_and_after_a_rotation(site):
    tool = LtiTool.objects.get()
    old = tool.tool_key
    score_sent(site, "rl-speed_q1", Q1, "alice")  # before

    rotation = rotate_tool_key(old, publish_for=HOUR, retire_after=HOUR)
    new = rotation.new_key
    assert published(site) == {kid(old), kid(new)}
    assert signing_kid(tool) == kid(old)  # published first, not signing yet
    score_sent(site, "rl-speed_q2", Q2, "alice")  # during: old key signs

    ToolKeyRotation.objects.filter(pk=rotation.pk).update(signs_from=timezone.now())
    cache.clear()  # no cached access token: the next one is asked for with the new key
    grants = DemoTokenGrant.objects.count()
    assert signing_kid(tool) == kid(new)
    score_sent(site, "rl-accel_q1", ACCEL, "alice")  # during: new key signs
    assert DemoTokenGrant.objects.count() == grants + 1

    call_command("lti_passback_sweep")  # moves the registration to the new key
    tool.refresh_from_db()
    assert tool.tool_key_id == new.pk

    ToolKeyRotation.objects.filter(pk=rotation.pk).update(retires_at=timezone.now())
    assert published(site) == {kid(new)}  # after: the old key left the key set
    cache.clear()
    score_sent(site, "rl-speed_q1", Q1, "bob")


def test_a_key_rotates_once_and_the_command_reports_it(db, capsys):
    from lti_1p3_provider.services.tool_keys import create_tool_key

    key = create_tool_key("default")
    call_command("lti_rotate_tool_key", "--publish-hours", "2", "--retire-hours", "1")
    rotation = ToolKeyRotation.objects.get(old_key=key)
    assert "published now" in capsys.readouterr().out
    assert timedelta(hours=1, minutes=59) < rotation.signs_from - rotation.started_at
    assert rotation.retires_at - rotation.signs_from == HOUR
    with pytest.raises(RotationRefused):
        rotate_tool_key(key)
    with pytest.raises(CommandError, match="already rotated"):
        call_command("lti_rotate_tool_key")
    # The successor can rotate in its turn; signing follows the chain.
    second = rotate_tool_key(rotation.new_key, publish_for=timedelta(0))
    ToolKeyRotation.objects.filter(pk=rotation.pk).update(signs_from=timezone.now())
    from lti_1p3_provider.services.key_rotation import signing_key

    assert signing_key(key) == second.new_key


def test_the_admin_rotates_a_key(admin_client):
    from lti_1p3_provider.services.tool_keys import create_tool_key

    key = create_tool_key("campus")
    response = admin_client.post(
        "/admin/lti1p3_tool_config/ltitoolkey/",
        {"action": "rotate", "_selected_action": [key.pk]},
        follow=True,
    )
    assert "successor" in response.content.decode()
    assert ToolKeyRotation.objects.get(old_key=key).new_key.name.startswith("campus (rotated")
    listing = admin_client.get("/admin/lti1p3_tool_config/ltitoolkey/").content.decode()
    assert "successor published" in listing
