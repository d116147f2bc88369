"""The one way tests serve HTTP on loopback: a threaded server on a free port, started and
stopped as a context manager. The platforms and key sets the tests play build on it."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that hangs up on a cut answer is what such tests want


class LoopbackServer:
    """Base of the test servers: ``serve(Handler)`` gives the base URL; ``with`` runs it."""

    def serve(self, handler: type[BaseHTTPRequestHandler], *, quiet: bool = False) -> str:
        """Bind ``handler`` on 127.0.0.1 and a free port; its ``http://host:port``."""
        server_class = _QuietServer if quiet else ThreadingHTTPServer
        self._server = server_class(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def answer(handler: BaseHTTPRequestHandler, status: int, payload: bytes, kind: str) -> None:
    """Write a whole answer with its length (the test platforms' one way to reply)."""
    handler.send_response(status)
    handler.send_header("Content-Type", kind)
    handler.send_header("Content-Length", str(len(payload)))
    handler.end_headers()
    handler.wfile.write(payload)
