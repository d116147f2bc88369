"""A loopback HTTP server that answers every request with one canned response and records it."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.loopback import LoopbackServer


class RecordingServer(LoopbackServer):
    """Answers ``status``/``headers``/``body`` to any method and path; keeps (method, path)."""

    def __init__(self, status: int = 200, body: bytes = b"{}", headers: dict | None = None):
        self.status, self.body, self.headers = status, body, headers or {}
        self.requests: list[tuple[str, str]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                owner.requests.append((self.command, self.path))
                self.send_response(owner.status)
                for name, value in owner.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(owner.body)))
                self.end_headers()
                self.wfile.write(owner.body)

            do_GET = do_POST = do_PUT = _answer

            def log_message(self, *args: Any) -> None:
                pass

        self.url = self.serve(Handler)
