"""Every way a launch is refused; each case fails if its check is removed."""

from __future__ import annotations

import time

import jwt
import pytest
from django.contrib.auth import get_user_model

from lti_1p3_provider.core import claims as c
from lti_1p3_provider.core.keys import generate_key_pair
from lti_1p3_provider.launch.state_cookies import STATE_COOKIE_PREFIX
from lti_1p3_provider.models import LtiLaunch, LtiProfile
from tests.helpers import COURSE, DROP, HOST, PROBLEM, error_detail, launch, start_login, target_uri

PROBLEM_PATH = f"{COURSE}/{PROBLEM}"

pytestmark = pytest.mark.django_db
OTHER_KEY = generate_key_pair()


def assert_refused(client, response, status: int, detail: str) -> None:
    assert response.status_code == status, response.content[:500]
    assert detail in error_detail(response)
    assert "For the site administrator" in response.content.decode()
    assert "X-Frame-Options" not in response.headers  # shown inside the platform's iframe
    assert get_user_model().objects.count() == 0
    assert LtiProfile.objects.count() == 0
    assert LtiLaunch.objects.count() == 0
    assert "_auth_user_id" not in client.session


# (case id, claim overrides, sign kwargs, expected status, expected detail fragment)
CLAIM_CASES = [
    ("wrong-signature", {}, {"key": OTHER_KEY}, 403, "signature is not valid"),
    ("unknown-kid", {}, {"kid": "not-a-published-kid"}, 403, "does not hold"),
    ("unknown-issuer", {"iss": "https://evil.example"}, {}, 403, "not registered"),
    ("unknown-client", {"aud": "other-client", "azp": "other-client"}, {}, 403, "not registered"),
    ("azp-mismatch", {"aud": ["client-1", "x"], "azp": "x"}, {}, 403, "not registered"),
    ("multi-aud-no-azp", {"aud": ["client-1", "x"], "azp": DROP}, {}, 403, "authorized party"),
    (
        "expired",
        {"exp": int(time.time()) - 3600, "iat": int(time.time()) - 3700},
        {},
        403,
        "expired",
    ),
    (
        "issued-in-future",
        {"iat": int(time.time()) + 3600, "exp": int(time.time()) + 7200},
        {},
        403,
        "future",
    ),
    ("issued-too-long-ago", {"iat": int(time.time()) - 3600}, {}, 403, "too long ago"),
    ("nonce-mismatch", {"nonce": "someone-elses-nonce"}, {}, 403, "nonce does not match"),
    ("unknown-deployment", {c.CLAIM_DEPLOYMENT_ID: "dep-unknown"}, {}, 403, "deployment"),
    (
        "wrong-message-type",
        {c.CLAIM_MESSAGE_TYPE: "LtiStartProctoring"},
        {},
        403,
        "LtiResourceLinkRequest",
    ),
    ("wrong-version", {c.CLAIM_VERSION: "1.1"}, {}, 403, "1.3.0"),
    ("no-sub", {"sub": DROP}, {}, 403, "required &#x27;sub&#x27; claim"),
    ("integer-sub", {"sub": 12}, {}, 403, "&#x27;sub&#x27; claim is not valid"),
    ("no-resource-link", {c.CLAIM_RESOURCE_LINK: DROP}, {}, 403, "resource_link"),
    (
        "target-differs-from-login",
        {
            c.CLAIM_TARGET_LINK_URI: target_uri(
                "block-v1:OpenedX+DemoX+2026+type@problem+block@speed_q2"
            )
        },
        {},
        403,
        "differs from the one it logged in for",
    ),
]


@pytest.mark.parametrize(
    ("overrides", "sign_kwargs", "status", "detail"),
    [case[1:] for case in CLAIM_CASES],
    ids=[case[0] for case in CLAIM_CASES],
)
def test_hostile_claims_are_refused(client, platform, tool, overrides, sign_kwargs, status, detail):
    response = launch(client, platform, sign_kwargs=sign_kwargs, **overrides)
    assert_refused(client, response, status, detail)


def test_alg_none_is_refused(client, platform, tool):
    auth = start_login(client, platform)
    body = platform.claims(auth["nonce"], target_uri())
    token = jwt.encode(body, None, algorithm="none", headers={"kid": platform.jwk["kid"]})
    response = client.post("/lti/1p3/launch/", {"id_token": token, "state": auth["state"]})
    assert_refused(client, response, 403, "not signed with RS256")


def test_hs256_signed_with_the_public_key_is_refused(client, platform, tool):
    # The classic key-confusion attack: HMAC keyed with the platform's public key.
    auth = start_login(client, platform)
    body = platform.claims(auth["nonce"], target_uri())
    header = jwt.utils.base64url_encode(
        b'{"alg":"HS256","typ":"JWT","kid":"' + platform.jwk["kid"].encode() + b'"}'
    )
    payload = jwt.utils.base64url_encode(jwt.api_jws.json.dumps(body).encode())
    import hashlib
    import hmac

    signing_input = header + b"." + payload
    signature = hmac.new(platform.keys.public_pem.encode(), signing_input, hashlib.sha256).digest()
    token = (signing_input + b"." + jwt.utils.base64url_encode(signature)).decode()
    response = client.post("/lti/1p3/launch/", {"id_token": token, "state": auth["state"]})
    assert_refused(client, response, 403, "not signed with RS256")


def test_garbage_id_token_is_refused(client, platform, tool):
    auth = start_login(client, platform)
    response = client.post("/lti/1p3/launch/", {"id_token": "not.a.jwt", "state": auth["state"]})
    assert_refused(client, response, 403, "could not be decoded")


def test_unknown_state_is_refused(client, platform, tool):
    auth = start_login(client, platform)
    token = platform.sign(platform.claims(auth["nonce"], target_uri()))
    response = client.post("/lti/1p3/launch/", {"id_token": token, "state": "forged-state"})
    assert_refused(client, response, 403, "missing or has expired")


def test_launch_without_the_state_cookie_is_refused(client, platform, tool):
    auth = start_login(client, platform)
    token = platform.sign(platform.claims(auth["nonce"], target_uri()))
    del client.cookies[STATE_COOKIE_PREFIX + auth["state"]]
    response = client.post("/lti/1p3/launch/", {"id_token": token, "state": auth["state"]})
    assert_refused(client, response, 403, "did not return to the browser")


def test_replayed_id_token_is_refused_within_its_lifetime(client, platform, tool):
    auth = start_login(client, platform)
    token = platform.sign(platform.claims(auth["nonce"], target_uri()))
    first = client.post("/lti/1p3/launch/", {"id_token": token, "state": auth["state"]})
    assert first.status_code == 302
    # The replayer holds everything: the token, the state and the state cookie.
    client.cookies[STATE_COOKIE_PREFIX + auth["state"]] = auth["state"]
    replay = client.post("/lti/1p3/launch/", {"id_token": token, "state": auth["state"]})
    assert replay.status_code == 403
    assert "already used" in error_detail(replay)
    assert LtiLaunch.objects.count() == 1


def test_target_on_another_host_is_refused_at_login(client, platform, tool):
    response = client.get(
        "/lti/1p3/login/",
        {
            "iss": platform.issuer,
            "client_id": platform.client_id,
            "login_hint": "x",
            "target_link_uri": target_uri(host="evil.example"),
        },
    )
    assert_refused(client, response, 403, "not on this site")


@pytest.mark.parametrize(
    "path",
    [
        "/lti/1p3/launch/course-v1:OpenedX+DemoX+2026/not-a-key",
        "/lti/1p3/launch/course-v1:Other+X+1/block-v1:OpenedX+DemoX+2026+type@problem+block@speed_q1",
        "/lti/1p3/elsewhere/",
    ],
)
def test_malformed_target_is_refused_at_login(client, platform, tool, path):
    response = client.get(
        "/lti/1p3/login/",
        {
            "iss": platform.issuer,
            "client_id": platform.client_id,
            "login_hint": "x",
            "target_link_uri": "http://testserver" + path,
        },
    )
    assert response.status_code == 403
    assert get_user_model().objects.count() == 0


def test_login_for_unknown_platform_is_refused(client, tool):
    response = client.get(
        "/lti/1p3/login/",
        {"iss": "https://unknown.example", "login_hint": "x", "target_link_uri": target_uri()},
    )
    assert response.status_code == 400
    assert "not registered" in error_detail(response)


def test_login_missing_parameters_is_refused(client, tool):
    response = client.post("/lti/1p3/login/", {"iss": "https://platform.example"})
    assert response.status_code == 400
    assert "missing" in error_detail(response)


def test_inactive_registration_is_refused(client, platform, tool):
    tool.is_active = False
    tool.save()
    response = client.get(
        "/lti/1p3/login/",
        {
            "iss": platform.issuer,
            "client_id": platform.client_id,
            "login_hint": "x",
            "target_link_uri": target_uri(),
        },
    )
    assert response.status_code == 400


def test_error_pages_do_not_echo_untrusted_input(client, tool):
    response = client.get(
        "/lti/1p3/login/",
        {
            "iss": "<script>alert(1)</script>",
            "login_hint": "<img src=x onerror=alert(1)>",
            "target_link_uri": "http://testserver/<script>",
        },
    )
    body = response.content.decode()
    assert "<script>alert" not in body
    assert "<img src=x" not in body


REDIRECT_URI = f"http://{HOST}/lti/1p3/launch/"


def test_a_login_for_the_redirect_uri_opens_the_content_the_token_signs(client, platform, tool):
    # Open edX's LTI component logs in for its Tool Launch URL and signs a deep-linked item's URL.
    response = launch(client, platform, REDIRECT_URI, **{c.CLAIM_TARGET_LINK_URI: target_uri()})
    assert response.status_code == 302, response.content[:500]
    assert response["Location"] == target_uri().removeprefix(f"http://{HOST}")
    assert LtiLaunch.objects.count() == 1


@pytest.mark.parametrize(
    ("login_target", "signed_target", "detail"),
    [
        # Only the redirect URI may stand for the item: not the deep linking URL, not content.
        (f"http://{HOST}/lti/1p3/deep-link/", target_uri(), "differs from the one it logged in"),
        (target_uri(), REDIRECT_URI, "differs from the one it logged in"),
        (REDIRECT_URI, "https://evil.example/lti/1p3/launch/" + PROBLEM_PATH, "differs from"),
        (REDIRECT_URI, f"http://{HOST}/lti/1p3/privacy/", "differs from the one it logged in"),
    ],
)
def test_other_targets_than_the_logins_stay_refused(
    client, platform, tool, login_target, signed_target, detail
):
    response = launch(client, platform, login_target, **{c.CLAIM_TARGET_LINK_URI: signed_target})
    assert_refused(client, response, 403, detail)
