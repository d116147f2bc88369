"""The connections ``outbound.call`` uses: checked where they lead, bounded in how long an
answer's head may take.

Checking a host name by resolving it first leaves a gap: the HTTP client resolves it again, and
a DNS answer can change in between (DNS rebinding). So the check runs on the connected socket's
peer address, inside urllib3's connection setup, before TLS and before the request.

requests' read timeout bounds each socket read, not the answer: a platform sending its status
line and headers one byte every few seconds would hold a web or Celery worker for hours. The
watchdog (``socket_watchdog``) shuts the socket down once the head has taken longer than the
call's deadline, and ``outbound`` reads the body against the same deadline: once sent, a whole
answer gets one timeout.
"""

from __future__ import annotations

import functools
import logging
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from lti_1p3_provider import socket_watchdog
from lti_1p3_provider.conf import provider_settings
from lti_1p3_provider.core import addresses

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass
class AnswerDeadline:
    """Seconds a whole answer may take once the request is sent: ``ends_at`` (monotonic) is set
    when the head is awaited; ``passed`` once the watchdog cut it."""

    seconds: float
    ends_at: float | None = None
    passed: bool = False

    def mark_passed(self) -> None:
        """The watchdog is cutting the answer off."""
        self.passed = True


_deadline: ContextVar[AnswerDeadline | None] = ContextVar("lti_answer_deadline", default=None)


@contextmanager
def answer_within(seconds: float) -> Iterator[AnswerDeadline]:
    """Bound the head of every answer read on this thread inside the block."""
    deadline = AnswerDeadline(seconds)
    token = _deadline.set(deadline)
    try:
        yield deadline
    finally:
        _deadline.reset(token)


def watched(sock: socket.socket | None, read_head: Callable[[], T]) -> T:
    """Run ``read_head`` with the watchdog shutting ``sock`` down at the current deadline."""
    deadline = _deadline.get()
    if deadline is None or sock is None:
        return read_head()
    deadline.ends_at = time.monotonic() + deadline.seconds
    entry = socket_watchdog.watchdog.watch(sock, deadline.seconds, deadline.mark_passed)
    try:
        head = read_head()
    finally:
        socket_watchdog.watchdog.cancel(entry)
    if deadline.passed:  # http.client may have parsed the head it had when the socket shut
        raise TimeoutError("the answer's status line and headers came too slowly")
    return head


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

    def getresponse(self, *args: Any, **kwargs: Any) -> Any:
        return watched(self.sock, functools.partial(super().getresponse, *args, **kwargs))


class _CheckedHTTPSConnection(_CheckedHTTPConnection, HTTPSConnection):
    """The checks above, then TLS (``super()`` reaches HTTPSConnection in this order)."""


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
