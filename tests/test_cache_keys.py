"""The provider's cache: memcached-safe keys whatever a browser sends, and few round trips.

On Redis or memcached every cache call is a network round trip, and memcached refuses keys
with spaces or control characters or over 250 characters (Django raises InvalidCacheKey).
"""

from __future__ import annotations

import pytest
from django.test import Client

from lti_1p3_provider.services.cache import is_issued_id
from tests.cache_backends import CountingCache
from tests.helpers import error_detail, start_login, target_uri

pytestmark = pytest.mark.django_db
HOSTILE_IDS = ["a b", "a\x01b", "x" * 300, "é", "a\tb", "a%2Fb"]


@pytest.fixture(autouse=True)
def memcached_rules(settings):
    """The provider's cache keeps memcached's key rules and counts its round trips."""
    settings.CACHES = {
        **settings.CACHES,
        "provider": {"BACKEND": "tests.cache_backends.CountingCache"},
    }
    settings.LTI_1P3_PROVIDER_CACHE = "provider"
    CountingCache.calls.clear()


def test_issued_ids_are_told_from_anything_else():
    assert is_issued_id("Ab-_09" * 10)
    for value in [*HOSTILE_IDS, "", None, 5, "a" * 65]:
        assert not is_issued_id(value), value


def test_a_launch_with_a_hostile_state_gets_the_state_error(platform, tool):
    for state in HOSTILE_IDS:
        client = Client()
        auth = start_login(client, platform, target_uri())
        token = platform.sign(platform.claims(auth["nonce"], target_uri()))
        response = client.post("/lti/1p3/launch/", {"id_token": token, "state": state})
        assert response.status_code == 403, (state, response.status_code)
        assert "login state is missing or has expired" in error_detail(response)


@pytest.mark.parametrize("door", ["handoff", "account", "deep-link", "teacher", "home", "privacy"])
def test_a_hostile_capability_id_is_refused_cleanly(client, tool, door):
    for value in ["a%20b", "a%01b", "x" * 300, "%C3%A9"]:
        url = f"/lti/1p3/{door}/{value}/"
        response, posted = client.get(url), client.post(url, {"mode": "window"})
        assert posted.status_code < 500, (door, value, posted.status_code)
        if door == "handoff":  # a browser's question, answered: no such launch
            assert response.json() == {"session": False, "live": False}
        else:
            assert 400 <= response.status_code < 500, (door, value, response.status_code)


def test_a_returning_learners_launch_makes_five_round_trips_to_the_cache(platform, tool):
    def full_launch(sub: str) -> dict[str, list[str]]:
        client, target, calls = Client(), target_uri(), {}
        CountingCache.calls.clear()
        auth = start_login(client, platform, target)
        calls["login"] = list(CountingCache.calls)
        token = platform.sign(platform.claims(auth["nonce"], target, sub=sub))
        CountingCache.calls.clear()
        response = client.post("/lti/1p3/launch/", {"id_token": token, "state": auth["state"]})
        calls["launch"] = list(CountingCache.calls)
        CountingCache.calls.clear()
        assert client.get(response["Location"]).status_code == 200
        calls["content"] = list(CountingCache.calls)
        return calls

    full_launch("learner-1")  # the registration enters the cache
    calls = full_launch("learner-1")
    # Login: the version and the registration together, then the new state.
    assert calls["login"] == ["get_many", "set"], calls
    # Launch: version, registration and login state together, then the single-use nonce (the
    # registration's key set is pasted here; one by URL adds its cached key set's read).
    assert calls["launch"] == ["get_many", "add"], calls
    assert calls["content"] == [], calls
