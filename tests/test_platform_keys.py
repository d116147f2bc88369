"""The platform's key set by URL: cached, refetched once on an unknown kid, outages reported."""

from __future__ import annotations

import pytest

from lti_1p3_provider.core.keys import generate_key_pair, public_jwk
from lti_1p3_provider.models import LtiLaunch
from tests.helpers import error_detail, launch
from tests.jwks_server import KeySetServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def key_server(tool, platform):
    with KeySetServer() as server:
        server.keys = [platform.jwk]
        tool.key_set = None
        tool.key_set_url = server.url
        tool.save()
        yield server


def test_key_set_is_fetched_once_and_cached(client, platform, key_server):
    for _ in range(3):
        assert launch(client, platform).status_code == 302
    assert key_server.requests == 1
    assert LtiLaunch.objects.count() == 3


def test_rotated_platform_key_is_picked_up_without_outage(client, platform, key_server):
    assert launch(client, platform).status_code == 302
    new_keys = generate_key_pair()
    new_jwk = public_jwk(new_keys.public_pem)
    key_server.keys = [platform.jwk, new_jwk]  # the platform publishes its new key, then signs
    response = launch(client, platform, sign_kwargs={"key": new_keys, "kid": new_jwk["kid"]})
    assert response.status_code == 302
    assert key_server.requests == 2


def test_unknown_kid_refetch_is_throttled(client, platform, key_server):
    assert launch(client, platform).status_code == 302
    for _ in range(3):
        response = launch(client, platform, sign_kwargs={"kid": "unknown-kid"})
        assert response.status_code == 403
        assert "does not publish" in error_detail(response)
    # One refetch for the first unknown kid; the next ones wait for the throttle window.
    assert key_server.requests == 2


def test_platform_down_gives_a_clear_error_and_creates_nothing(client, platform, key_server):
    key_server.down = True
    response = launch(client, platform)
    assert response.status_code == 502
    assert "could not be fetched" in error_detail(response)
    assert "key set URL is reachable" in response.content.decode()
    assert LtiLaunch.objects.count() == 0


def test_unreachable_key_set_url(client, platform, tool):
    tool.key_set = None
    tool.key_set_url = "http://127.0.0.1:9/jwks"  # discard port: nothing listens
    tool.save()
    response = launch(client, platform)
    assert response.status_code == 502


def test_key_set_url_answering_non_jwks(client, platform, key_server, monkeypatch):
    key_server.keys = "not-a-list"  # type: ignore[assignment]
    response = launch(client, platform)
    assert response.status_code == 502
    assert "did not return a JWKS" in error_detail(response)
