"""One thread per process that shuts sockets down when their deadline passes.

A timer thread per HTTP call cost about a millisecond each (starting a thread waits for it to
run), a tenth of a grade passback. Here a call only pushes an entry on a heap; the thread sleeps
until the earliest deadline and is woken only when a new one comes earlier than that, which
with one timeout for every call is only when the heap was empty.
"""

from __future__ import annotations

import heapq
import itertools
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(order=True)
class Watch:
    """One socket to shut down at ``ends_at`` (monotonic) unless cancelled first."""

    ends_at: float
    seq: int
    sock: socket.socket | None = field(compare=False)
    on_cut: Callable[[], None] = field(compare=False)


class SocketWatchdog:
    """Shuts watched sockets down at their deadlines; ``watch`` then ``cancel`` around a read."""

    def __init__(self) -> None:
        self._heap: list[Watch] = []
        self._wake = threading.Condition()
        self._seq = itertools.count()
        self._thread: threading.Thread | None = None

    def watch(self, sock: socket.socket, seconds: float, on_cut: Callable[[], None]) -> Watch:
        """Shut ``sock`` down in ``seconds`` (calling ``on_cut`` first) unless cancelled."""
        entry = Watch(time.monotonic() + seconds, next(self._seq), sock, on_cut)
        with self._wake:
            heapq.heappush(self._heap, entry)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="lti-watchdog", daemon=True)
                self._thread.start()
            elif self._heap[0] is entry:
                self._wake.notify()
        return entry

    def cancel(self, entry: Watch) -> None:
        """The read finished in time: leave the socket alone."""
        with self._wake:
            entry.sock = None

    def _run(self) -> None:
        with self._wake:
            while True:
                now = time.monotonic()
                while self._heap and self._heap[0].ends_at <= now:
                    entry = heapq.heappop(self._heap)
                    if entry.sock is not None:
                        entry.on_cut()
                        _shut_down(entry.sock)
                        entry.sock = None
                self._wake.wait(self._heap[0].ends_at - now if self._heap else None)


def _shut_down(sock: socket.socket) -> None:
    try:
        # The plain socket's shutdown, not SSLSocket's: that one drops the TLS state the
        # reading thread is using. A blocked read then returns at once.
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:
        pass  # already closed


watchdog = SocketWatchdog()


def _after_fork() -> None:
    # A forked worker (Celery prefork, gunicorn) has no watchdog thread and maybe a held lock.
    global watchdog
    watchdog = SocketWatchdog()


os.register_at_fork(after_in_child=_after_fork)
