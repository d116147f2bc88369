"""The Django admin flow: generate a key in one click, register a platform, see its URLs."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool, LtiToolKey

from lti_1p3_provider.core.keys import generate_key_pair, public_jwk
from lti_1p3_provider.models import LaunchGate, LtiLaunch
from lti_1p3_provider.services.registration_checks import check_key_set
from tests.helpers import launch

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(admin_client):
    return admin_client


def test_adding_a_tool_key_generates_a_pair(staff):
    response = staff.post("/admin/lti1p3_tool_config/ltitoolkey/add/", {"name": "main"})
    assert response.status_code == 302, response.content[:2000]
    key = LtiToolKey.objects.get(name="main")
    assert key.private_key.startswith("-----BEGIN PRIVATE KEY-----")
    assert key.public_key.startswith("-----BEGIN PUBLIC KEY-----")


def test_private_key_is_never_shown_after_creation(staff):
    staff.post("/admin/lti1p3_tool_config/ltitoolkey/add/", {"name": "main"})
    key = LtiToolKey.objects.get(name="main")
    page = staff.get(f"/admin/lti1p3_tool_config/ltitoolkey/{key.pk}/change/").content.decode()
    body_line = key.private_key.splitlines()[1]
    assert body_line not in page
    assert "PRIVATE KEY" not in page
    assert public_jwk(key.public_key)["kid"] in page
    listing = staff.get("/admin/lti1p3_tool_config/ltitoolkey/").content.decode()
    assert body_line not in listing


def test_operator_may_bring_their_own_private_key(staff):
    pair = generate_key_pair()
    staff.post(
        "/admin/lti1p3_tool_config/ltitoolkey/add/",
        {"name": "own", "private_key": pair.private_pem},
    )
    assert LtiToolKey.objects.get(name="own").public_key == pair.public_pem


def test_invalid_private_key_is_rejected(staff):
    response = staff.post(
        "/admin/lti1p3_tool_config/ltitoolkey/add/", {"name": "bad", "private_key": "not a key"}
    )
    assert response.status_code == 200
    assert "not a PEM RSA private key" in response.content.decode()
    assert not LtiToolKey.objects.filter(name="bad").exists()


def test_registration_page_shows_urls_and_gate_inline(staff, tool):
    page = staff.get(f"/admin/lti1p3_tool_config/ltitool/{tool.pk}/change/").content.decode()
    for url in (
        "http://testserver/lti/1p3/login/",
        "http://testserver/lti/1p3/launch/",
        "http://testserver/lti/1p3/pub/jwks/",
        "http://testserver/lti/1p3/deep-link/",
        "http://testserver/lti/1p3/launch/&lt;course_key&gt;/&lt;usage_key&gt;",
    ):
        assert url in page
    assert "allow_all_content" in page and "allowed_orgs" in page


def test_registration_with_gate_saved_inline(staff, tool_key):
    data = {
        "title": "Canvas",
        "is_active": "on",
        "issuer": "https://canvas.instructure.com",
        "client_id": "10000000000001",
        "auth_login_url": "https://sso.canvaslms.com/api/lti/authorize_redirect",
        "auth_token_url": "https://sso.canvaslms.com/login/oauth2/token",
        "key_set_url": "https://sso.canvaslms.com/api/lti/security/jwks",
        "tool_key": tool_key.pk,
        "deployment_ids": "1:abc\n\n2:def\n1:abc",
        "launch_gate-TOTAL_FORMS": "1",
        "launch_gate-INITIAL_FORMS": "0",
        "launch_gate-MIN_NUM_FORMS": "0",
        "launch_gate-MAX_NUM_FORMS": "1",
        "launch_gate-0-allowed_keys": "",
        "launch_gate-0-allowed_courses": "",
        "launch_gate-0-allowed_orgs": "OpenedX\n",
    }
    response = staff.post("/admin/lti1p3_tool_config/ltitool/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    tool = LtiTool.objects.get(client_id="10000000000001")
    assert LaunchGate.objects.get(tool=tool).allowed_orgs == ["OpenedX"]
    assert json.loads(tool.deployment_ids) == ["1:abc", "2:def"]
    page = staff.get(f"/admin/lti1p3_tool_config/ltitool/{tool.pk}/change/").content.decode()
    assert "1:abc\n2:def</textarea>" in page  # shown one per line, not as JSON
    listing = staff.get("/admin/lti1p3_tool_config/ltitool/").content.decode()
    assert "0 blocks, 0 courses, 1 orgs" in listing


def test_registration_without_gate_is_flagged(staff, tool):
    LaunchGate.objects.filter(tool=tool).delete()
    page = staff.get(f"/admin/lti1p3_tool_config/ltitool/{tool.pk}/change/").content.decode()
    assert "it can launch nothing" in page
    assert (
        "No gate: launches nothing"
        in staff.get("/admin/lti1p3_tool_config/ltitool/").content.decode()
    )


def test_launches_are_listed_and_searchable(staff, client, platform, tool):
    launch(client, platform)
    record = LtiLaunch.objects.get()
    link = f"/admin/lti_1p3_provider/ltilaunch/{record.pk}/change/"

    def search(q: str) -> str:
        return staff.get("/admin/lti_1p3_provider/ltilaunch/", {"q": q}).content.decode()

    assert link in search(record.user.username)
    assert link in search("course-v1:OpenedX+DemoX+2026")
    assert link not in search("nobody")
    detail = staff.get(f"/admin/lti_1p3_provider/ltilaunch/{record.pk}/change/")
    assert detail.status_code == 200


def new_registration(tool_key, **changes: str) -> dict:
    """The admin's add form for a registration without a gate, with ``changes``."""
    return {
        "title": "x",
        "issuer": "https://x",
        "client_id": "c",
        "auth_login_url": "https://x/a",
        "auth_token_url": "https://x/t",
        "key_set": json.dumps({"keys": []}),
        "tool_key": tool_key.pk,
        "deployment_ids": "d1",
        "launch_gate-TOTAL_FORMS": "0",
        "launch_gate-INITIAL_FORMS": "0",
        "launch_gate-MIN_NUM_FORMS": "0",
        "launch_gate-MAX_NUM_FORMS": "1",
        **changes,
    }


def test_deployment_ids_are_checked_one_per_line(staff, tool_key):
    form = new_registration(tool_key, deployment_ids="not json")
    response = staff.post("/admin/lti1p3_tool_config/ltitool/add/", form)
    assert response.status_code == 200
    assert not LtiTool.objects.filter(client_id="c").exists()


@pytest.mark.parametrize("key_set", ["[" * 50_000, '{"keys": [1, "x"]}', '{"kid": "k"}'])
def test_a_pasted_key_set_that_is_no_jwks_is_a_field_error(staff, tool_key, key_set):
    form = new_registration(tool_key, key_set=key_set)
    response = staff.post("/admin/lti1p3_tool_config/ltitool/add/", form)
    assert response.status_code == 200
    assert "Paste the platform&#x27;s JWKS" in response.content.decode()
    assert not LtiTool.objects.filter(client_id="c").exists()


def test_a_pasted_key_set_over_256_kb_is_a_field_error(staff, tool_key):
    key_set = json.dumps({"keys": [], "padding": "x" * (256 * 1024)})
    response = staff.post(
        "/admin/lti1p3_tool_config/ltitool/add/", new_registration(tool_key, key_set=key_set)
    )
    assert response.status_code == 200
    assert "limited to 256 KB" in response.content.decode()
    assert not LtiTool.objects.filter(client_id="c").exists()


def test_the_self_check_names_a_stored_key_set_that_is_no_jwks(tool):
    tool.key_set = '{"keys": [1]}'  # saved before the admin checked the shape
    tool.save()
    result = check_key_set(tool, "Registration")
    assert not result.ok and "not a JWKS with keys" in result.message


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_admin_lists_do_not_query_per_row(staff, client, platform, tool, tool_key):
    from tests.helpers import random_sub

    launch(client, platform, sub=random_sub())
    launches_one = _queries(staff, "/admin/lti_1p3_provider/ltilaunch/")
    tools_one = _queries(staff, "/admin/lti1p3_tool_config/ltitool/")
    for _ in range(3):
        client.logout()
        launch(client, platform, sub=random_sub())
    for n in range(3):
        LtiTool.objects.create(
            title=f"t{n}",
            issuer=f"https://p{n}.example",
            client_id="c",
            auth_login_url="https://p.example/a",
            auth_token_url="https://p.example/t",
            key_set="{}",
            tool_key=tool_key,
            deployment_ids="[]",
        )
    assert _queries(staff, "/admin/lti_1p3_provider/ltilaunch/") == launches_one
    assert _queries(staff, "/admin/lti1p3_tool_config/ltitool/") == tools_one


def test_gate_lines_that_do_not_parse_are_field_errors(staff, tool):
    page = staff.get(f"/admin/lti1p3_tool_config/ltitool/{tool.pk}/change/").content.decode()
    gate = LaunchGate.objects.get(tool=tool)
    data = {
        "title": tool.title,
        "is_active": "on",
        "issuer": tool.issuer,
        "client_id": tool.client_id,
        "auth_login_url": tool.auth_login_url,
        "auth_token_url": tool.auth_token_url,
        "key_set": tool.key_set,
        "tool_key": tool.tool_key_id,
        "deployment_ids": "d1",
        "launch_gate-TOTAL_FORMS": "1",
        "launch_gate-INITIAL_FORMS": "1",
        "launch_gate-MIN_NUM_FORMS": "0",
        "launch_gate-MAX_NUM_FORMS": "1",
        "launch_gate-0-id": str(gate.pk),
        "launch_gate-0-tool": str(tool.pk),
        "launch_gate-0-allowed_keys": "",
        "launch_gate-0-allowed_courses": "course-v1:OpenedX+DemoX+2026\nnot a course",
        "launch_gate-0-allowed_orgs": "",
    }
    assert "course-v1:OpenedX+DemoX+2026</textarea>" in page
    response = staff.post(f"/admin/lti1p3_tool_config/ltitool/{tool.pk}/change/", data)
    assert response.status_code == 200
    assert "Not a course key: not a course" in response.content.decode()
    assert LaunchGate.objects.get(tool=tool).allowed_courses == gate.allowed_courses


def test_objects_have_readable_names(staff, tool):
    from lti_1p3_provider.models import LtiProfile

    assert str(tool) == f"Test platform ({tool.issuer}, client {tool.client_id})"
    assert str(tool.tool_key) == "Tool key test-key"
    user = get_user_model().objects.create(username="lti_cd03febf")
    profile = LtiProfile.objects.create(tool=tool, sub="s-1", user=user, name="Ada Lovelace")
    assert str(profile) == "Ada Lovelace (Test platform, s-1)"
    page = staff.get("/admin/lti_1p3_provider/registrationlink/add/").content.decode()
    assert "Tool key test-key" in page and "object (" not in page


def test_the_self_check_names_a_registration_with_an_empty_gate(tool):
    from lti_1p3_provider.services.self_check import check_registrations

    LaunchGate.objects.filter(tool=tool).update(allowed_courses=[])
    gate = next(r for r in check_registrations() if r.name.endswith("launch gate"))
    assert not gate.ok and "launches nothing" in gate.message
    LaunchGate.objects.filter(tool=tool).delete()
    assert not next(r for r in check_registrations() if r.name.endswith("launch gate")).ok


def test_the_redirect_uri_explains_itself_on_get(client):
    response = client.get("/lti/1p3/launch/")
    assert response.status_code == 200
    assert "POST" in response.content.decode()
    assert response["X-Frame-Options"] == "DENY"


def test_saving_a_new_tool_key_returns_to_its_page(staff):
    response = staff.post("/admin/lti1p3_tool_config/ltitoolkey/add/", {"name": "campus"})
    key = LtiToolKey.objects.get(name="campus")
    assert response.status_code == 302
    assert response["Location"] == f"/admin/lti1p3_tool_config/ltitoolkey/{key.pk}/change/"


def test_command_help_reads_as_plain_text():
    from django.core.management import get_commands, load_command_class

    ours = [n for n, app in get_commands().items() if app == "lti_1p3_provider"]
    assert len(ours) >= 8
    for name in ours:
        assert "``" not in load_command_class("lti_1p3_provider", name).help, name


def test_the_admin_index_links_to_the_self_check(staff):
    index = staff.get("/admin/").content.decode()
    assert "/admin/lti_1p3_provider/selfcheck/" in index
    page = staff.get("/admin/lti_1p3_provider/selfcheck/", follow=True)
    assert page.status_code == 200 and 'id="self-check"' in page.content.decode()


def test_the_registration_list_links_to_each_platform_configuration(staff, tool):
    listing = staff.get("/admin/lti1p3_tool_config/ltitool/").content.decode()
    assert f"/admin/lti1p3_tool_config/ltitool/{tool.pk}/platform-config/" in listing
