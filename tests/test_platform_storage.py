"""Launches without third-party cookies: OIDC state in the platform's storage, and handoffs.

The browser side (postMessages, storage access, the new window) runs in test_browser.py; here
the server's checks: what each page is given, and what each POST must prove.
"""

from __future__ import annotations

import json
import re
import time

import pytest
from django.test import Client

from lti_1p3_provider.launch.state_cookies import STATE_COOKIE_PREFIX
from lti_1p3_provider.models import LtiLaunch
from tests.helpers import error_detail, login_query, target_uri

pytestmark = pytest.mark.django_db
ORIGIN = "http://testserver"
AUTH_ORIGIN = "https://platform.example"
CONFIG = re.compile(r'<script id="(?P<id>[a-z-]+)" type="application/json">(?P<json>.*?)</script>')


def page_config(response) -> dict:
    found = CONFIG.search(response.content.decode())
    assert found, response.content[:500]
    return json.loads(found.group("json"))


def storage_login(client: Client, platform, target: str | None = None) -> dict:
    """Log in with lti_storage_target; the login page's configuration."""
    query = login_query(platform, target, lti_storage_target="post_message_forwarding")
    response = client.get("/lti/1p3/login/", query)
    assert response.status_code == 200, response.content[:500]
    return page_config(response)


def drop_state_cookies(client: Client) -> None:
    """What Safari does to our cookie in the platform's frame."""
    for name in [n for n in client.cookies if n.startswith(STATE_COOKIE_PREFIX)]:
        del client.cookies[name]


def signed_token(platform, config: dict, target: str | None = None) -> tuple[str, str, str]:
    """The platform's id_token for the login; (token, state, nonce) from the stored keys."""
    state = next(v for k, v in config["put"].items() if k.startswith("state_"))
    nonce = next(v for k, v in config["put"].items() if k.startswith("nonce_"))
    token = platform.sign(platform.claims(nonce, target or target_uri()))
    return token, state, nonce


def storage_launch(client: Client, platform, **stored: str):
    """Login, then a launch POST without the cookie: the storage page, then its POST back."""
    config = storage_login(client, platform)
    drop_state_cookies(client)
    token, state, nonce = signed_token(platform, config)
    first = client.post("/lti/1p3/launch/", {"id_token": token, "state": state})
    assert first.status_code == 200 and b"lti-storage-launch" in first.content
    values = {"lti_storage_state": state, "lti_storage_nonce": nonce, **stored}
    form = {"id_token": token, "state": state, **values}
    return client.post("/lti/1p3/launch/", form, headers={"Origin": ORIGIN}), first


def test_login_page_stores_state_and_nonce_for_the_platform_origin_only(client, tool, platform):
    config = storage_login(client, platform)
    assert config["target"] == "post_message_forwarding"
    assert config["origin"] == AUTH_ORIGIN  # the OIDC auth endpoint's origin, never "*"
    assert sorted(k.split("_")[0] for k in config["put"]) == ["nonce", "state"]
    assert config["next"].startswith("https://platform.example/auth?")
    assert any(n.startswith(STATE_COOKIE_PREFIX) for n in client.cookies)  # the cookie as well


def test_login_page_is_framed_by_the_platform_and_not_cached(client, tool, platform):
    response = client.get("/lti/1p3/login/", login_query(platform, lti_storage_target="_parent"))
    assert "frame-ancestors 'self' https://platform.example" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "same-origin"


def test_malformed_storage_target_is_refused(client, tool, platform):
    query = login_query(platform, lti_storage_target="x'><script>")
    response = client.get("/lti/1p3/login/", query)
    assert response.status_code == 400
    assert "lti_storage_target is not a frame name" in error_detail(response)
    assert b"<script>" not in response.content.split(b"</style>")[-1]


def test_login_without_storage_target_keeps_the_cookie_redirect(client, tool, platform):
    assert client.get("/lti/1p3/login/", login_query(platform)).status_code == 302


def test_launch_without_cookie_asks_the_platform_storage_and_consumes_nothing(
    client, tool, platform
):
    config = storage_login(client, platform)
    drop_state_cookies(client)
    token, state, nonce = signed_token(platform, config)
    response = client.post("/lti/1p3/launch/", {"id_token": token, "state": state})
    assert response.status_code == 200
    launch_config = page_config(response)
    assert launch_config["origin"] == AUTH_ORIGIN
    assert launch_config["get"] == {
        "lti_storage_state": f"state_{state}",
        "lti_storage_nonce": f"nonce_{nonce}",
    }
    assert not LtiLaunch.objects.exists()
    # Asking again is harmless: nothing was used yet.
    again = client.post("/lti/1p3/launch/", {"id_token": token, "state": state})
    assert again.status_code == 200


def test_values_read_from_platform_storage_complete_the_launch(client, tool, platform):
    response, _ = storage_launch(client, platform)
    assert response.status_code == 200, error_detail(response)
    config = page_config(response)
    assert config["next"] == "/lti/1p3/launch/" + target_uri().split("/lti/1p3/launch/")[1]
    assert config["handoff_url"].startswith("/lti/1p3/handoff/")
    assert LtiLaunch.objects.count() == 1
    # The session page is framed for the platform, like the content.
    assert "https://platform.example" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    "stored",
    [
        {"lti_storage_state": "state-of-another-login"},
        {"lti_storage_nonce": "nonce-of-another-login"},
        {"lti_storage_state": ""},
        {"lti_storage_error": "bad_request"},
    ],
)
def test_tampered_or_missing_stored_state_is_refused(client, tool, platform, stored):
    response, _ = storage_launch(client, platform, **stored)
    assert response.status_code == 403
    assert "LMS" in error_detail(response)
    assert not LtiLaunch.objects.exists()


def test_stored_values_posted_from_another_site_are_refused(client, tool, platform):
    config = storage_login(client, platform)
    drop_state_cookies(client)
    token, state, nonce = signed_token(platform, config)
    form = {
        "id_token": token,
        "state": state,
        "lti_storage_state": state,
        "lti_storage_nonce": nonce,
    }
    for headers in ({}, {"Origin": "https://attacker.example"}, {"Origin": "null"}):
        response = client.post("/lti/1p3/launch/", form, headers=headers)
        assert response.status_code == 403
        assert "not sent by this site" in error_detail(response)
    assert not LtiLaunch.objects.exists()


def test_replayed_storage_launch_is_refused_before_any_page(client, tool, platform):
    response, first = storage_launch(client, platform)
    assert response.status_code == 200
    token = re.search(rb'name="id_token" value="([^"]+)"', first.content).group(1).decode()
    state = re.search(rb'name="state" value="([^"]+)"', first.content).group(1).decode()
    replay = Client().post("/lti/1p3/launch/", {"id_token": token, "state": state})
    assert replay.status_code == 403
    assert "already used" in error_detail(replay)


def test_launch_with_the_cookie_skips_the_storage_pages(client, tool, platform):
    config = storage_login(client, platform)
    token, state, _ = signed_token(platform, config)
    response = client.post("/lti/1p3/launch/", {"id_token": token, "state": state})
    assert response.status_code == 302  # straight to the content: the browser keeps cookies


# -- handoffs ------------------------------------------------------------------------------


def handoff_from_launch(platform) -> tuple[Client, str, str]:
    """A storage launch in a frame whose browser drops our session cookie; its handoff URL."""
    frame = Client()
    response, _ = storage_launch(frame, platform)
    config = page_config(response)
    return frame, config["handoff_url"], config["next"]


def test_handoff_status_tells_whether_the_frame_kept_the_session(tool, platform):
    frame, url, _ = handoff_from_launch(platform)
    assert frame.get(url).json() == {"session": True, "live": True}
    blocked = Client()  # the same page in a browser that dropped the session cookie
    assert blocked.get(url).json() == {"session": False, "live": True}


def test_new_window_handoff_opens_the_content_with_the_launch_grant(tool, platform):
    _, url, next_path = handoff_from_launch(platform)
    window = Client()  # a first-party window: no cookie of the frame
    assert window.get(next_path).status_code == 403
    response = window.post(url, {"mode": "window"}, headers={"Origin": ORIGIN})
    assert response.status_code == 302 and response["Location"] == next_path
    content = window.get(next_path)
    assert content.status_code == 200
    assert b"A cyclist rides 30 km" in content.content
    launch = LtiLaunch.objects.get()
    assert int(window.session["_auth_user_id"]) == launch.user_id
    # The same grant and confinement as in the frame: another block is refused.
    other = target_uri().replace("speed_q1", "energy_q1").split("testserver")[1]
    assert window.get(other).status_code == 403


def test_reused_handoff_is_refused(tool, platform):
    _, url, _ = handoff_from_launch(platform)
    assert Client().post(url, {"mode": "window"}, headers={"Origin": ORIGIN}).status_code == 302
    again = Client().post(url, {"mode": "window"}, headers={"Origin": ORIGIN})
    assert again.status_code == 403
    assert "already used" in error_detail(again)


def test_expired_handoff_is_refused(tool, platform, settings, monkeypatch):
    settings.LTI_1P3_PROVIDER_HANDOFF_TTL_SEC = 60
    _, url, _ = handoff_from_launch(platform)
    later = time.time() + 61
    monkeypatch.setattr("lti_1p3_provider.launch.handoff.time.time", lambda: later)
    response = Client().post(url, {"mode": "window"}, headers={"Origin": ORIGIN})
    assert response.status_code == 403
    assert "expired" in error_detail(response)
    assert Client().get(url).json() == {"session": False, "live": False}


def test_handoff_posted_from_another_site_is_refused_and_kept(tool, platform):
    _, url, _ = handoff_from_launch(platform)
    for headers in ({}, {"Origin": "https://attacker.example"}):
        response = Client().post(url, {"mode": "window"}, headers=headers)
        assert response.status_code == 403
        assert "did not come from this site" in error_detail(response)
    # The learner's own page can still use it.
    assert Client().post(url, {"mode": "window"}, headers={"Origin": ORIGIN}).status_code == 302


def test_frame_redeem_after_storage_access_returns_a_successor(tool, platform):
    _, url, next_path = handoff_from_launch(platform)
    frame = Client()  # the frame, once the browser granted it storage access
    answer = frame.post(url, {"mode": "frame"}, headers={"Origin": ORIGIN}).json()
    assert answer["next"] == next_path
    successor = answer["handoff_url"]
    assert successor != url and successor.startswith("/lti/1p3/handoff/")
    assert frame.get(successor).json()["session"] is True
    assert frame.get(next_path).status_code == 200
    # The used one is gone; the successor works once more (the new-window button).
    assert Client().post(url, {"mode": "window"}, headers={"Origin": ORIGIN}).status_code == 403
    window = Client()
    assert window.post(successor, {"mode": "window"}, headers={"Origin": ORIGIN}).status_code == 302
