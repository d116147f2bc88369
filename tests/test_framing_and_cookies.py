"""Framing only where needed and only for the platform; state cookies stay few and small."""

from __future__ import annotations

import pytest

from lti_1p3_provider.launch.state_cookies import MAX_STATE_COOKIES, STATE_COOKIE_PREFIX
from lti_1p3_provider.models import policy_for
from tests.helpers import COURSE, PROBLEM, launch, start_login

pytestmark = pytest.mark.django_db
CONTENT = f"/lti/1p3/launch/{COURSE}/{PROBLEM}"


def frame_ancestors(response) -> str:
    policy = response.headers.get("Content-Security-Policy", "")
    return next(p.strip() for p in policy.split(";") if "frame-ancestors" in p)


def test_content_is_framable_by_the_launching_platform_only(client, platform, tool):
    policy = policy_for(tool)
    policy.extra_frame_origins = ["https://school.example"]
    policy.save()
    launch(client, platform)
    response = client.get(CONTENT)
    assert response.status_code == 200
    assert "X-Frame-Options" not in response.headers
    assert frame_ancestors(response) == (
        "frame-ancestors 'self' https://platform.example https://school.example"
    )


def test_error_pages_are_framable_by_the_platform(client, platform, tool):
    response = launch(client, platform, **{"https://purl.imsglobal.org/spec/lti/claim/roles": 5})
    assert response.status_code == 403
    assert "X-Frame-Options" not in response.headers
    assert frame_ancestors(response) == "frame-ancestors 'self' https://platform.example"


@pytest.mark.parametrize("path", ["/lti/1p3/pub/jwks/", "/admin/login/"])
def test_keys_config_and_admin_are_not_framable(client, tool, path):
    response = client.get(path)
    assert response["X-Frame-Options"] == "DENY"


def test_canvas_configuration_and_login_redirect_are_not_framable(client, platform, tool):
    config = client.get(f"/lti/1p3/canvas/{tool.policy.public_id}/config.json")
    assert config["X-Frame-Options"] == "DENY"
    assert frame_ancestors(config) == "frame-ancestors 'none'"
    login = client.get(
        "/lti/1p3/login/",
        {
            "iss": platform.issuer,
            "login_hint": "x",
            "target_link_uri": f"http://testserver{CONTENT}",
        },
    )
    assert login.status_code == 302 and login["X-Frame-Options"] == "DENY"


def test_sequential_registration_ids_do_not_reach_canvas_configuration(client, tool):
    assert client.get(f"/lti/1p3/canvas/{tool.pk}/config.json").status_code == 404
    assert len(tool.policy.public_id) >= 16


def test_two_hundred_logins_leave_a_few_small_state_cookies(client, platform, tool):
    for _ in range(200):
        start_login(client, platform)
    held = {
        k: m for k, m in client.cookies.items() if k.startswith(STATE_COOKIE_PREFIX) and m.value
    }
    assert len(held) <= MAX_STATE_COOKIES
    header = "; ".join(f"{k}={m.value}" for k, m in held.items())
    assert len(header) < 400, header
    assert all(m["path"] == "/lti/1p3/" and m["httponly"] for m in held.values())


def test_the_newest_logins_survive_the_pruning(client, platform, tool):
    states = [start_login(client, platform)["state"] for _ in range(MAX_STATE_COOKIES + 3)]
    live = {k for k, m in client.cookies.items() if k.startswith(STATE_COOKIE_PREFIX) and m.value}
    assert live == {STATE_COOKIE_PREFIX + s for s in states[-MAX_STATE_COOKIES:]}


def test_a_state_cookie_holding_no_time_counts_as_oldest(client, platform, tool):
    # The browser sends its cookies back as it likes: "²" is a digit to str.isdigit only.
    for i, value in enumerate(["\u00b2", "9" * 5000, "soon"]):
        client.cookies[f"{STATE_COOKIE_PREFIX}odd{i}"] = value
    states = [start_login(client, platform)["state"] for _ in range(MAX_STATE_COOKIES)]
    live = {k for k, m in client.cookies.items() if k.startswith(STATE_COOKIE_PREFIX) and m.value}
    assert live == {STATE_COOKIE_PREFIX + s for s in states}
