"""A loopback HTTP/1.1 server (keep-alive) that answers each path from a script.

Used to play a platform that answers badly: bodies too large or nested too deep, answers
trickled byte by byte, paginated containers. It records requests and counts connections.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.loopback import LoopbackServer


@dataclass
class Reply:
    """What the server answers to one path."""

    body: bytes = b"{}"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    trickle: float = 0.0  # seconds between bytes of the body
    head_trickle: float = 0.0  # seconds between bytes of the status line and headers


class ScriptedServer(LoopbackServer):
    """Answers ``routes["METHOD path"]``, else ``routes[path]`` (without the query); 404 for any
    other path."""

    def __init__(self, routes: dict[str, Reply]) -> None:
        self.routes = routes
        self.requests: list[tuple[str, str]] = []
        self.bodies: list[bytes] = []  # each request's body, in the order of ``requests``
        self.connections = 0
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self) -> None:
                owner.connections += 1
                super().setup()

            def _answer(self) -> None:
                owner.bodies.append(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
                owner.requests.append((self.command, self.path))
                path = self.path.split("?")[0]
                reply = owner.routes.get(f"{self.command} {path}") or owner.routes.get(
                    path, Reply(b"", 404)
                )
                phrase = self.responses.get(reply.status, ("Scripted",))[0]
                head = [f"HTTP/1.1 {reply.status} {phrase}"]
                head += [f"{name}: {value}" for name, value in reply.headers.items()]
                head.append(f"Content-Length: {len(reply.body)}")
                try:
                    self._send(("\r\n".join(head) + "\r\n\r\n").encode(), reply.head_trickle)
                    self._send(reply.body, reply.trickle)
                except OSError:
                    pass  # the client gave up, as it should

            def _send(self, data: bytes, trickle: float) -> None:
                if not trickle:
                    self.wfile.write(data)
                    return
                for byte in data:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(trickle)

            do_GET = do_POST = _answer

            def log_message(self, *args: Any) -> None:
                pass

        self.url = self.serve(Handler, quiet=True)
