"""Organizations: a manager sees and changes only their organization's registrations, keys,
links, launches, passbacks, profiles and removal requests, in the admin and the API."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from opaque_keys.edx.keys import CourseKey, UsageKey
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool, LtiToolKey

from lti_1p3_provider.models import (
    DataRemovalRequest,
    LaunchGate,
    LtiLaunch,
    LtiProfile,
    OrganizationRole,
    PassbackStatus,
    RegistrationLink,
    ScorePassback,
    policy_for,
)
from lti_1p3_provider.registration.links import LinkGate, create_link
from lti_1p3_provider.services.key_rotation import rotate_tool_key
from lti_1p3_provider.services.tool_keys import create_tool_key, tool_key_jwk
from tests.helpers import launch

pytestmark = pytest.mark.django_db
API = "/lti/1p3/api/v1/"
OURS, THEIRS = "OpenedX", "OtherU"  # the demo course's organization, and another


@dataclass
class OrgRows:
    """One organization's row of each kind."""

    key: LtiToolKey
    tool: LtiTool
    link: RegistrationLink
    profile: LtiProfile
    launch: LtiLaunch
    passback: ScorePassback
    removal: DataRemovalRequest


def make_rows(org: str, platform) -> OrgRows:
    key = create_tool_key(f"key-{org}", org)
    tool = LtiTool.objects.create(
        title=f"{org} platform",
        issuer=f"https://{org.lower()}.example" if org != OURS else platform.issuer,
        client_id=platform.client_id,
        auth_login_url="https://platform.example/auth",
        auth_token_url="https://platform.example/token",
        key_set=json.dumps(platform.jwks),
        tool_key=key,
        deployment_ids=json.dumps([platform.deployment_id]),
    )
    policy = policy_for(tool)
    policy.org = org
    policy.save()
    LaunchGate.objects.create(tool=tool, allowed_orgs=[org])
    user = get_user_model().objects.create(username=f"learner-{org}")
    profile = LtiProfile.objects.create(tool=tool, sub=f"sub-{org}", user=user, name=f"N {org}")
    course = CourseKey.from_string(f"course-v1:{org}+C+R")
    usage = UsageKey.from_string(f"block-v1:{org}+C+R+type@problem+block@p1")
    record = LtiLaunch.objects.create(
        tool=tool,
        deployment_id=platform.deployment_id,
        profile=profile,
        user=user,
        course_key=course,
        usage_key=usage,
        resource_link_id=f"rl-{org}",
    )
    passback = ScorePassback.objects.create(
        tool=tool,
        user=user,
        launch=record,
        resource_link_id=f"rl-{org}",
        usage_key=usage,
        lti_user_id=f"sub-{org}",
        status=PassbackStatus.FAILED,
        last_error=f"refused-{org}",
    )
    link, _token = create_link(
        f"link-{org}", LinkGate(allowed_orgs=(org,)), key_name=key.name, org=org
    )
    removal = DataRemovalRequest.objects.create(profile=profile, deployment_id="d")
    return OrgRows(key, tool, link, profile, record, passback, removal)


@pytest.fixture
def ours(platform):
    return make_rows(OURS, platform)


@pytest.fixture
def theirs(platform):
    return make_rows(THEIRS, platform)


def member(client, role: str = OrganizationRole.Role.MANAGER):
    user = get_user_model().objects.create(username=f"{role}-of-{OURS}", is_staff=True)
    OrganizationRole.objects.create(user=user, org=OURS, role=role)
    client.force_login(user)
    return client


ADMIN_PAGES = {
    "key": "/admin/lti1p3_tool_config/ltitoolkey/",
    "tool": "/admin/lti1p3_tool_config/ltitool/",
    "link": "/admin/lti_1p3_provider/registrationlink/",
    "profile": "/admin/lti_1p3_provider/ltiprofile/",
    "launch": "/admin/lti_1p3_provider/ltilaunch/",
    "passback": "/admin/lti_1p3_provider/scorepassback/",
    "removal": "/admin/lti_1p3_provider/dataremovalrequest/",
}


@pytest.mark.parametrize("kind", sorted(ADMIN_PAGES))
def test_an_admin_page_shows_a_manager_only_their_organizations_rows(client, ours, theirs, kind):
    manager = member(client)
    listing = manager.get(ADMIN_PAGES[kind])
    assert listing.status_code == 200
    shown = {row.pk for row in listing.context["cl"].result_list}
    assert shown == {getattr(ours, kind).pk}
    mine = manager.get(f"{ADMIN_PAGES[kind]}{getattr(ours, kind).pk}/change/")
    assert mine.status_code == 200
    other = manager.get(f"{ADMIN_PAGES[kind]}{getattr(theirs, kind).pk}/change/")
    assert other.status_code == 302 and other["Location"] == "/admin/"  # "does not exist"
    deleted = manager.post(
        f"{ADMIN_PAGES[kind]}{getattr(theirs, kind).pk}/delete/", {"post": "yes"}
    )
    assert deleted.status_code == 302
    assert type(getattr(theirs, kind)).objects.filter(pk=getattr(theirs, kind).pk).exists()


def test_a_viewer_reads_but_cannot_change(client, ours):
    viewer = member(client, OrganizationRole.Role.VIEWER)
    page = f"{ADMIN_PAGES['link']}{ours.link.pk}/change/"
    assert viewer.get(page).status_code == 200
    assert (
        viewer.post(f"{ADMIN_PAGES['link']}{ours.link.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert viewer.get(ADMIN_PAGES["link"] + "add/").status_code == 403
    assert RegistrationLink.objects.filter(pk=ours.link.pk).exists()


def test_a_manager_adds_links_and_keys_for_their_organization_only(client, ours):
    manager = member(client)
    form = manager.get(ADMIN_PAGES["link"] + "add/")
    choices = [value for value, _ in form.context["adminform"].form.fields["organization"].choices]
    assert choices == [OURS]
    assert set(form.context["adminform"].form.fields["tool_key"].queryset) == {ours.key}
    body = {"label": "Moodle", "organization": OURS, "tool_key": ours.key.pk, "orgs": OURS}
    assert manager.post(ADMIN_PAGES["link"] + "add/", body).status_code == 302
    assert RegistrationLink.objects.get(label="Moodle").org == OURS
    refused = manager.post(ADMIN_PAGES["link"] + "add/", {**body, "organization": THEIRS})
    assert refused.status_code == 200 and "organization" in refused.context["adminform"].form.errors
    assert (
        manager.post(ADMIN_PAGES["key"] + "add/", {"name": "k2", "organization": OURS}).status_code
        == 302
    )
    assert LtiToolKey.objects.get(name="k2").owner.org == OURS


def test_roles_and_the_self_check_are_for_global_staff(client, ours):
    manager = member(client)
    assert manager.get("/admin/lti_1p3_provider/organizationrole/").status_code == 403
    assert manager.get("/admin/lti1p3_tool_config/ltitool/self-check/").status_code == 403
    index = manager.get("/admin/").content.decode()
    assert "/admin/lti_1p3_provider/organizationrole/" not in index
    assert "/admin/lti1p3_tool_config/ltitool/" in index  # their registrations, though


API_ROWS = {
    "registrations/": "tool",
    "tool-keys/": "key",
    "registration-links/": "link",
    "launches/": "launch",
    "passbacks/": "passback",
}


@pytest.mark.parametrize("path", sorted(API_ROWS))
def test_an_api_list_shows_a_manager_only_their_organizations_rows(client, ours, theirs, path):
    manager = member(client)
    listed = manager.get(API + path)
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["results"]] == [getattr(ours, API_ROWS[path]).pk]
    assert manager.get(f"{API}{path}{getattr(theirs, API_ROWS[path]).pk}/").status_code == 404
    assert manager.get(f"{API}{path}{getattr(ours, API_ROWS[path]).pk}/").status_code == 200


def post(client, path, body):
    return client.post(API + path, json.dumps(body), content_type="application/json")


def test_api_writes_stay_inside_the_managers_organization(client, ours, theirs, platform):
    manager = member(client)
    # Their rows: not found, so not changed.
    patch = manager.patch(
        f"{API}registrations/{theirs.tool.pk}/",
        json.dumps({"title": "taken"}),
        content_type="application/json",
    )
    assert patch.status_code == 404
    assert manager.post(f"{API}tool-keys/{theirs.key.pk}/rotate/").status_code == 404
    assert manager.post(f"{API}passbacks/{theirs.passback.pk}/resend/").status_code == 404
    # Their organization or key on new rows: field errors.
    body = {
        "title": "New",
        "issuer": "https://new.example",
        "client_id": "n",
        "auth_login_url": "https://new.example/auth",
        "auth_token_url": "https://new.example/token",
        "key_set": platform.jwks,
        "tool_key": theirs.key.name,
        "org": THEIRS,
        "gate": {"allowed_orgs": [THEIRS]},
    }
    refused = post(manager, "registrations/", body)
    assert refused.status_code == 400 and "org" in refused.json()
    refused = post(manager, "registrations/", {**body, "org": OURS})
    assert refused.status_code == 400 and "gate" in refused.json()
    body.update(org=OURS, gate={"allowed_courses": [f"course-v1:{OURS}+C+R"]})
    refused = post(manager, "registrations/", body)
    assert refused.status_code == 400 and "tool_key" in refused.json()
    made = post(manager, "registrations/", {**body, "tool_key": ours.key.name})
    assert made.status_code == 201, made.content
    assert made.json()["org"] == OURS
    assert post(manager, "tool-keys/", {"name": "site-key"}).status_code == 400  # no org
    assert post(manager, "tool-keys/", {"name": "k3", "org": OURS}).status_code == 201
    # Their own rows: done.
    renamed = manager.patch(
        f"{API}registrations/{ours.tool.pk}/",
        json.dumps({"title": "Renamed", "gate": {"allowed_courses": [f"course-v1:{OURS}+C+R"]}}),
        content_type="application/json",
    )
    assert renamed.status_code == 200, renamed.content
    assert renamed.json()["title"] == "Renamed" and renamed.json()["org"] == OURS
    assert manager.post(f"{API}passbacks/{ours.passback.pk}/resend/").json() == {"queued": 1}
    rotated = manager.post(f"{API}tool-keys/{ours.key.pk}/rotate/")
    assert rotated.status_code == 201 and rotated.json()["org"] == OURS
    theirs.tool.refresh_from_db()
    assert theirs.tool.title == f"{THEIRS} platform"


def test_an_api_viewer_reads_and_cannot_write(client, ours):
    viewer = member(client, OrganizationRole.Role.VIEWER)
    assert viewer.get(API + "passbacks/").status_code == 200
    assert viewer.post(f"{API}passbacks/{ours.passback.pk}/resend/").status_code == 403
    assert post(viewer, "tool-keys/", {"name": "k", "org": OURS}).status_code == 403


def test_global_staff_see_every_organization(admin_client, ours, theirs):
    listed = admin_client.get(API + "registrations/").json()["results"]
    assert {row["org"] for row in listed} == {OURS, THEIRS}


def test_an_organizations_registration_launches_only_its_content(client, platform, theirs):
    # OtherU's registration of this platform, with a gate that would admit everything.
    LtiTool.objects.exclude(pk=theirs.tool.pk).delete()
    LtiTool.objects.filter(pk=theirs.tool.pk).update(issuer=platform.issuer)
    LaunchGate.objects.filter(tool=theirs.tool).update(allow_all_content=True)
    response = launch(client, platform)  # the demo course: OpenedX content
    assert response.status_code == 403
    assert not LtiLaunch.objects.filter(tool=theirs.tool).exclude(pk=theirs.launch.pk).exists()


def test_each_organization_has_its_own_key_set(client, ours, theirs):
    site = client.get("/lti/1p3/pub/jwks/").json()["keys"]
    mine = client.get(f"/lti/1p3/pub/orgs/{OURS}/jwks/").json()["keys"]
    assert [k["kid"] for k in mine] == [tool_key_jwk(ours.key)["kid"]]
    assert {k["kid"] for k in site} >= {k["kid"] for k in mine}
    successor = rotate_tool_key(ours.key).new_key
    mine = client.get(f"/lti/1p3/pub/orgs/{OURS}/jwks/").json()["keys"]
    assert tool_key_jwk(successor)["kid"] in {k["kid"] for k in mine}
    assert client.get("/lti/1p3/pub/orgs/Nobody/jwks/").json() == {"keys": []}
