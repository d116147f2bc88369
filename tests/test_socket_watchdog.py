"""The socket watchdog: one thread shuts sockets down at their deadlines, unless cancelled."""

from __future__ import annotations

import socket
import time

from lti_1p3_provider.socket_watchdog import SocketWatchdog


def test_a_blocked_read_returns_at_the_deadline():
    dog, cuts = SocketWatchdog(), []
    ours, theirs = socket.socketpair()
    with ours, theirs:
        started = time.monotonic()
        dog.watch(ours, 0.3, lambda: cuts.append("cut"))
        assert ours.recv(10) == b""  # would block for ever: the peer never writes
        elapsed = time.monotonic() - started
    assert 0.25 < elapsed < 2
    assert cuts == ["cut"]


def test_a_cancelled_watch_leaves_the_socket_alone():
    dog, cuts = SocketWatchdog(), []
    ours, theirs = socket.socketpair()
    with ours, theirs:
        dog.cancel(dog.watch(ours, 0.1, lambda: cuts.append("cut")))
        time.sleep(0.3)
        theirs.sendall(b"still open")
        assert ours.recv(10) == b"still open"
    assert cuts == []


def test_an_earlier_deadline_wakes_the_thread_and_one_thread_serves_all():
    dog, cuts = SocketWatchdog(), []
    pairs = [socket.socketpair() for _ in range(3)]
    try:
        dog.watch(pairs[0][0], 30, lambda: cuts.append("late"))
        dog.watch(pairs[1][0], 0.2, lambda: cuts.append("early"))
        kept = dog.watch(pairs[2][0], 0.2, lambda: cuts.append("cancelled"))
        dog.cancel(kept)
        started = time.monotonic()
        assert pairs[1][0].recv(10) == b""
        assert time.monotonic() - started < 2
        assert cuts == ["early"]
        threads = {dog._thread}
        dog.watch(pairs[0][1], 0.05, lambda: None)
        assert {dog._thread} == threads
    finally:
        for a, b in pairs:
            a.close()
            b.close()
