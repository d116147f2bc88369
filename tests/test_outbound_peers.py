"""Outbound calls never reach a loopback, link-local or other local address, whatever DNS
answers: the connected socket's peer is checked before anything is sent (DNS rebinding)."""

from __future__ import annotations

import socket

import pytest

from lti_1p3_provider import outbound
from lti_1p3_provider.core.addresses import is_refused, parse
from lti_1p3_provider.models import LtiLaunch
from lti_1p3_provider.outbound_transport import PeerRefused, check_peer
from tests.helpers import error_detail, launch
from tests.jwks_server import KeySetServer
from tests.recording_server import RecordingServer

REFUSED = [
    "127.0.0.1",
    "127.8.9.10",
    "0.0.0.0",
    "0.1.2.3",  # "this network"
    "169.254.169.254",  # cloud metadata
    "224.0.0.1",
    "240.0.0.1",
    "::1",
    "::",
    "fe80::1",
    "fe80::1%eth0",
    "ff02::1",
    "::ffff:127.0.0.1",  # IPv4-mapped
    "::ffff:169.254.169.254",
    "64:ff9b::a9fe:a9fe",  # NAT64 to the metadata service
    "2002:7f00:1::1",  # 6to4 around 127.0.0.1
    "::127.0.0.1",  # IPv4-compatible (deprecated)
]
ALLOWED = [
    "8.8.8.8",
    "10.1.2.3",  # campus LMSs live in private ranges
    "172.16.0.9",
    "192.168.1.5",
    "100.64.0.1",
    "2606:4700:4700::1111",
    "fd00::5",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",
    "2002:808:808::1",
]


@pytest.mark.parametrize("text", REFUSED)
def test_local_and_special_addresses_are_refused(text):
    address = parse(text)
    assert address is not None
    assert is_refused(address)


@pytest.mark.parametrize("text", ALLOWED)
def test_public_and_private_addresses_are_allowed(text):
    address = parse(text)
    assert address is not None
    assert not is_refused(address)


def test_not_an_address_parses_to_none():
    assert parse("platform.example") is None
    assert parse("") is None


@pytest.fixture
def no_local(settings):
    settings.DEBUG = False
    settings.LTI_1P3_PROVIDER_ALLOW_LOCAL_ADDRESSES = None  # production: follows DEBUG


def test_a_call_that_reaches_loopback_sends_nothing(no_local):
    with RecordingServer() as server:
        with pytest.raises(outbound.HostNotAllowed, match="address this site never calls"):
            outbound.call("GET", f"{server.url}/jwks")
        with pytest.raises(outbound.HostNotAllowed):
            outbound.call("POST", f"{server.url}/token", data={"grant_type": "x"})
    assert server.requests == []


def test_a_name_that_resolves_to_loopback_is_refused_at_the_connection(no_local):
    # No check ran on the name beforehand: only the connected peer decides.
    with RecordingServer() as server:
        port = server.url.rsplit(":", 1)[1]
        with pytest.raises(outbound.HostNotAllowed, match="localhost resolved to an address"):
            outbound.call("GET", f"http://localhost:{port}/jwks")
    assert server.requests == []


def test_debug_or_the_setting_allows_a_development_platform(settings):
    settings.DEBUG, settings.LTI_1P3_PROVIDER_ALLOW_LOCAL_ADDRESSES = True, None
    with RecordingServer() as server:
        assert outbound.call("GET", f"{server.url}/a").status == 200
    settings.DEBUG, settings.LTI_1P3_PROVIDER_ALLOW_LOCAL_ADDRESSES = False, True
    with RecordingServer() as server:
        assert outbound.call("GET", f"{server.url}/b").status == 200
    assert server.requests == [("GET", "/b")]


def test_the_check_closes_the_socket(no_local):
    with RecordingServer() as server:
        host, port = server.url.removeprefix("http://").split(":")
        sock = socket.create_connection((host, int(port)), timeout=5)
        with pytest.raises(PeerRefused):
            check_peer(sock, host)
        assert sock.fileno() == -1
    assert server.requests == []


@pytest.mark.django_db
def test_a_key_set_url_on_loopback_is_never_fetched_at_launch(client, platform, tool, no_local):
    with KeySetServer() as server:
        server.keys = [platform.jwk]
        tool.key_set, tool.key_set_url = None, server.url
        tool.save()
        response = launch(client, platform)
        assert server.requests == 0
    assert response.status_code == 502
    assert "address this site never calls" in error_detail(response)
    assert LtiLaunch.objects.count() == 0


@pytest.mark.django_db
def test_the_launch_error_names_the_refusal(client, platform, tool, no_local):
    with KeySetServer() as server:
        server.keys = [platform.jwk]
        tool.key_set, tool.key_set_url = None, server.url.replace("127.0.0.1", "localhost")
        tool.save()
        response = launch(client, platform)
    assert response.status_code == 502
    assert "leads to an address this site never calls" in error_detail(response)
    assert "LTI_1P3_PROVIDER_ALLOW_LOCAL_ADDRESSES" in response.content.decode()
