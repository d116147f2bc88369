"""Connections that check the address they reached before a byte of the request is sent.

Checking a host name by resolving it first leaves a gap: the HTTP client resolves it again, and
a DNS answer can change in between (DNS rebinding). So the check runs on the connected socket's
peer address, inside urllib3's connection setup, before TLS and before the request. Every call
``outbound.call`` makes goes through these connections.
"""

from __future__ import annotations

import logging
import socket
from typing import Any

from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from lti_1p3_provider.conf import provider_settings
from lti_1p3_provider.core import addresses

log = logging.getLogger(__name__)


class PeerRefused(Exception):
    """The connection reached an address this site never calls; nothing was sent on it."""


def local_addresses_allowed() -> bool:
    """Loopback and other local platforms are for development: allowed when configured or DEBUG."""
    configured = provider_settings.LTI_1P3_PROVIDER_ALLOW_LOCAL_ADDRESSES
    return bool(settings.DEBUG if configured is None else configured)


def check_peer(sock: socket.socket, host: str) -> None:
    """Close ``sock`` and raise PeerRefused if its peer is an address the tool never calls."""
    if local_addresses_allowed():
        return
    peer = sock.getpeername()
    address = addresses.parse(str(peer[0])) if peer else None
    if address is None or addresses.is_refused(address):
        sock.close()
        log.warning("LTI outbound call refused: %s connected to %s", host, peer)
        raise PeerRefused(f"{host} resolved to an address this site never calls")


class _CheckedHTTPConnection(HTTPConnection):
    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        check_peer(sock, self.host)
        return sock


class _CheckedHTTPSConnection(HTTPSConnection):
    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        check_peer(sock, self.host)
        return sock


class _CheckedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _CheckedHTTPConnection


class _CheckedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _CheckedHTTPSConnection


class CheckedAdapter(HTTPAdapter):
    """requests' adapter whose connection pools check each new connection's peer address."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _CheckedHTTPPool,
            "https": _CheckedHTTPSPool,
        }
