"""A loopback HTTP proxy in front of the platform that can refuse, hang or delay requests.

The tool's registration points at the proxy, so every call the provider makes to the platform
(token, line items, scores) passes through it. Score posts that reach the platform are recorded.
"""

from __future__ import annotations

import http.client
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SCORES = re.compile(r"^/lms/ags/lineitems/\d+/scores$")
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "proxy-connection", "upgrade"}


@dataclass
class Rule:
    """What the proxy does with score posts: pass, refuse (503), hang, or delay then forward."""

    action: str = "pass"
    seconds: float = 0.0
    times: int | None = None  # apply to this many score posts, then pass


@dataclass
class FaultProxy:
    """Controls and records of the running proxy."""

    upstream_port: int
    rule: Rule = field(default_factory=Rule)
    forwarded_scores: list[dict[str, Any]] = field(default_factory=list)
    held: int = 0
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def set(self, action: str, seconds: float = 0.0, times: int | None = None) -> None:
        """Change the rule for score posts (``release`` lets hung requests go, unforwarded)."""
        with self.lock:
            self.rule = Rule(action, seconds, times)
            if action != "hang":
                self.release.set()
            else:
                self.release.clear()

    def take_rule(self) -> Rule:
        with self.lock:
            rule = self.rule
            if rule.times is not None:
                rule.times -= 1
                if rule.times <= 0:
                    self.rule = Rule()
            return rule


def _handler(proxy: FaultProxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:  # quiet
            pass

        def _any(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            if self.command == "POST" and SCORES.match(self.path.split("?")[0]):
                rule = proxy.take_rule()
                if rule.action == "refuse":
                    return self._reply(503, b'{"error": "platform down"}')
                if rule.action == "hang":
                    with proxy.lock:
                        proxy.held += 1
                    proxy.release.wait(timeout=60)
                    return self._reply(503, b'{"error": "dropped"}')  # never forwarded
                if rule.action == "delay":
                    time.sleep(rule.seconds)  # the client may have given up: forward anyway
                proxy.forwarded_scores.append(json.loads(body or b"{}"))
            self._forward(body)

        def _forward(self, body: bytes) -> None:
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            try:
                upstream = http.client.HTTPConnection("127.0.0.1", proxy.upstream_port, timeout=30)
                upstream.request(self.command, self.path, body=body or None, headers=headers)
                answer = upstream.getresponse()
                data = answer.read()
            except OSError:
                return self._reply(502, b'{"error": "upstream down"}')
            self._reply(answer.status, data, answer.getheaders())

        def _reply(self, status: int, data: bytes, headers: Any = ()) -> None:
            try:
                self.send_response(status)
                for key, value in headers:
                    if key.lower() not in HOP_BY_HOP | {"content-length"}:
                        self.send_header(key, value)
                if not headers:
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:
                pass  # the client went away (timed out or was killed)

        do_GET = do_POST = do_PUT = do_DELETE = _any

    return Handler


def start_proxy(upstream_port: int) -> tuple[FaultProxy, ThreadingHTTPServer]:
    """A proxy on a free loopback port, serving in a daemon thread."""
    proxy = FaultProxy(upstream_port)
    proxy.release.set()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(proxy))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return proxy, server
