"""The public URLs platforms store, frozen as literal paths, and the JWKS they fetch."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lti_1p3_provider.core.keys import public_jwk
from lti_1p3_provider.services.tool_keys import create_tool_key
from tests.helpers import COURSE, PROBLEM

pytestmark = pytest.mark.django_db


def test_public_paths_never_change():
    assert reverse("lti_1p3_provider:login") == "/lti/1p3/login/"
    assert reverse("lti_1p3_provider:login_for", args=["s1"]) == "/lti/1p3/login/s1/"
    assert reverse("lti_1p3_provider:register", args=["t"]) == "/lti/1p3/register/t/"
    assert reverse("lti_1p3_provider:privacy") == "/lti/1p3/privacy/"
    assert reverse("lti_1p3_provider:launch") == "/lti/1p3/launch/"
    assert reverse("lti_1p3_provider:jwks") == "/lti/1p3/pub/jwks/"
    assert (
        reverse("lti_1p3_provider:content", kwargs={"course_key": COURSE, "usage_key": PROBLEM})
        == f"/lti/1p3/launch/{COURSE}/{PROBLEM}"
    )


def test_jwks_serves_every_tool_key_with_cache_headers(client):
    first, second = create_tool_key("k1"), create_tool_key("k2")
    response = client.get("/lti/1p3/pub/jwks/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=300"
    keys = response.json()["keys"]
    assert keys == [public_jwk(first.public_key), public_jwk(second.public_key)]
    for key in keys:
        assert set(key) == {"kty", "e", "n", "kid", "alg", "use"}
        assert (key["alg"], key["use"]) == ("RS256", "sig")
    assert "private" not in response.content.decode().lower()


def test_jwks_is_empty_without_keys(client):
    assert client.get("/lti/1p3/pub/jwks/").json() == {"keys": []}


def test_login_accepts_post_and_get(client, platform, tool):
    params = {
        "iss": platform.issuer,
        "client_id": platform.client_id,
        "login_hint": "u",
        "target_link_uri": f"http://testserver/lti/1p3/launch/{COURSE}/{PROBLEM}",
    }
    assert client.get("/lti/1p3/login/", params).status_code == 302
    assert client.post("/lti/1p3/login/", params).status_code == 302


def test_login_redirect_carries_the_oidc_parameters(client, platform, tool):
    from tests.helpers import start_login

    query = start_login(client, platform)
    assert query["scope"] == "openid"
    assert query["response_type"] == "id_token"
    assert query["response_mode"] == "form_post"
    assert query["prompt"] == "none"
    assert query["client_id"] == "client-1"
    assert query["redirect_uri"] == "http://testserver/lti/1p3/launch/"
    assert query["login_hint"] == "learner-1"
    assert query["lti_message_hint"] == "rl-1"
    # 128 random bits for state (short: it names the state cookie), 256 for the nonce.
    assert len(query["state"]) >= 22 and len(query["nonce"]) >= 43
