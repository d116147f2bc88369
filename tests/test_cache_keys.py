"""The provider's cache: memcached-safe keys whatever a browser sends, and few round trips.

On Redis or memcached every cache call is a network round trip; memcached refuses keys with
spaces or control characters or over 250 characters (Django raises InvalidCacheKey), and values
over its 1 MB item size.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from lti_1p3_provider import outbound
from lti_1p3_provider.core.id_token import MAX_SIGNING_KEYS, signing_keys
from lti_1p3_provider.launch.platform_keys import _cache_key
from lti_1p3_provider.services.cache import is_issued_id, provider_cache
from tests.cache_backends import CountingCache
from tests.helpers import error_detail, launch, start_login, target_uri
from tests.scripted_server import Reply, ScriptedServer

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


def test_a_key_set_near_the_read_bound_caches_only_its_signing_keys(client, platform, tool):
    """A platform's key set of almost 1 MB (all that is read of an answer) is more than
    memcached stores in one item once pickled; the launch caches the one usable key only."""
    decoys = [
        {"kty": "EC", "kid": "ec-1", "crv": "P-256", "x": "a" * 43, "y": "b" * 43},
        {"kty": "RSA", "n": "c" * 342, "e": "AQAB"},  # no kid: never chosen
        {"kty": "RSA", "kid": "enc", "use": "enc", "n": "d" * 342, "e": "AQAB"},
        {"kty": "RSA", "kid": "odd", "n": {"not": "a string"}, "e": "AQAB"},
    ]
    real = {**platform.jwk, "x5c": ["e" * 2000]}  # a certificate chain is never read
    key_set = {"keys": [*decoys, real], "padding": [0.5] * 250_000}
    body = json.dumps(key_set, separators=(",", ":")).encode()
    assert 1_000_000 < len(body) <= outbound.MAX_ANSWER_BYTES
    with ScriptedServer({"/jwks": Reply(body)}) as server:
        tool.key_set, tool.key_set_url = None, server.url + "/jwks"
        tool.save()
        first, again = launch(client, platform), launch(Client(), platform)
        assert len(server.requests) == 1  # the second launch read the cached keys
    assert first.status_code == again.status_code == 302
    cached = provider_cache().get(_cache_key("jwks", server.url + "/jwks"))
    kept = {name: real[name] for name in ("kty", "kid", "n", "e", "alg", "use") if name in real}
    assert cached == {"keys": [kept]}


def test_signing_keys_keeps_a_bounded_number_of_well_formed_rsa_keys():
    key = {"kty": "RSA", "n": "n" * 683, "e": "AQAB", "alg": "RS256", "use": "sig"}
    many = {"keys": [{**key, "kid": f"k{i}"} for i in range(MAX_SIGNING_KEYS + 5)]}
    assert [k["kid"] for k in signing_keys(many)["keys"]] == [
        f"k{i}" for i in range(MAX_SIGNING_KEYS)
    ]
    too_long = {"keys": [{**key, "kid": "big", "n": "n" * 5000}, {**key, "kid": "x" * 300}]}
    assert signing_keys(too_long) == {"keys": []}
    assert signing_keys({"keys": "nope"}) == {"keys": []}
    assert signing_keys([]) == {"keys": []}  # type: ignore[arg-type]
