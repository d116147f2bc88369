"""Registration links: one-time tokens, their command and admin, and deployments adopted later."""

from __future__ import annotations

import html
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

from lti_1p3_provider.exceptions import RegistrationLinkRefused
from lti_1p3_provider.models import RegistrationLink, policy_for
from lti_1p3_provider.registration.links import holding
from lti_1p3_provider.services.registrations import deployment_ids
from tests.dr_platform import detail, register
from tests.helpers import COURSE

pytestmark = pytest.mark.django_db


def test_a_link_in_use_cannot_be_used_twice_at_once(link_token):
    link = RegistrationLink.objects.get()
    with holding(link, 30):
        with pytest.raises(RegistrationLinkRefused, match="being used right now"):
            with holding(link, 30):
                pass
    with holding(link, 30):  # released afterwards
        pass


def test_only_the_tokens_digest_is_stored(link_token):
    link = RegistrationLink.objects.get()
    assert link_token not in link.token_digest and len(link_token) >= 40
    assert link.expires_at - link.created > timedelta(days=6, hours=23)


def test_the_command_prints_a_working_link(capsys, db):
    call_command(
        "lti_registration_link",
        "--label",
        "Canvas",
        "--base-url",
        "https://lms.example/",
        "--org",
        "OpenedX",
        "--days",
        "2",
    )
    url = capsys.readouterr().out.strip()
    assert url.startswith("https://lms.example/lti/1p3/register/")
    link = RegistrationLink.objects.get()
    assert link.allowed_orgs == ["OpenedX"] and link.tool_key.name == "default"
    assert timedelta(days=1, hours=23) < link.expires_at - link.created <= timedelta(days=2)


def test_the_command_refuses_an_empty_gate(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--all-content"):
        call_command("lti_registration_link", "--label", "x", "--base-url", "https://lms.example")
    assert not RegistrationLink.objects.exists()


def test_a_deployment_named_first_in_a_launch_is_adopted_when_the_policy_says_so(
    client, platform, tool
):
    from lti_1p3_provider.core.claims import CLAIM_DEPLOYMENT_ID
    from tests.helpers import launch

    refused = launch(client, platform, **{CLAIM_DEPLOYMENT_ID: "dep-canvas-1"})
    assert refused.status_code == 403
    policy = policy_for(tool)
    policy.accept_new_deployments = True
    policy.save()
    adopted = launch(client, platform, **{CLAIM_DEPLOYMENT_ID: "dep-canvas-1"})
    assert adopted.status_code == 302, detail(adopted)
    tool.refresh_from_db()
    assert deployment_ids(tool) == [platform.deployment_id, "dep-canvas-1"]


def test_adopted_deployments_are_bounded(client, platform, tool):
    from lti_1p3_provider.core.claims import CLAIM_DEPLOYMENT_ID
    from lti_1p3_provider.services.registrations import MAX_ADOPTED_DEPLOYMENTS
    from tests.helpers import launch

    tool.deployment_ids = json.dumps([f"d{i}" for i in range(MAX_ADOPTED_DEPLOYMENTS)])
    tool.save()
    policy = policy_for(tool)
    policy.accept_new_deployments = True
    policy.save()
    assert launch(client, platform, **{CLAIM_DEPLOYMENT_ID: "one-too-many"}).status_code == 403
    tool.refresh_from_db()
    assert "one-too-many" not in deployment_ids(tool)


def test_the_admin_makes_a_link_and_shows_its_url_once(admin_client, moodle):
    response = admin_client.post(
        "/admin/lti_1p3_provider/registrationlink/add/",
        {"label": "Moodle", "tool_key": "", "courses": f"{COURSE}\n\n", "orgs": "", "keys": ""},
    )
    assert response.status_code == 200 and "tool_key" in response.content.decode()  # required
    from lti_1p3_provider.services.tool_keys import get_or_create_tool_key

    key, _ = get_or_create_tool_key("default")
    empty = admin_client.post(
        "/admin/lti_1p3_provider/registrationlink/add/",
        {"label": "Moodle", "tool_key": key.pk, "courses": "", "orgs": "", "keys": ""},
    )
    assert "empty gate launches nothing" in empty.content.decode()
    made = admin_client.post(
        "/admin/lti_1p3_provider/registrationlink/add/",
        {"label": "Moodle", "tool_key": key.pk, "courses": f"{COURSE}\n", "orgs": "", "keys": ""},
        follow=True,
    )
    page = html.unescape(made.content.decode())
    start = page.index("http://testserver/lti/1p3/register/")
    url = page[start : page.index(" ", start)]
    link = RegistrationLink.objects.get()
    assert link.allowed_courses == [COURSE] and link.status == "open"
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert register(admin_client, token, moodle).status_code == 200
    assert LtiTool.objects.get().launch_gate.allowed_courses == [COURSE]
    listing = admin_client.get("/admin/lti_1p3_provider/registrationlink/")
    assert "used" in listing.content.decode() and token not in listing.content.decode()
