"""A loopback platform for Dynamic Registration tests: its OpenID configuration and registration
endpoint over real HTTP, with answers a test can change and every request recorded."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from lti_1p3_provider.registration.links import link_path
from tests.helpers import error_detail
from tests.loopback import LoopbackServer

PLATFORM_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-platform-configuration"
TOOL_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-tool-configuration"
AGS = "https://purl.imsglobal.org/spec/lti-ags/scope/"
CONFIG_PATH = "/.well-known/openid-configuration"


@dataclass
class Recorded:
    """One request the platform received."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class RegistrationPlatform(LoopbackServer):
    """A platform whose configuration and registration answer a test sets."""

    product: str = "moodle"
    messages: list[dict[str, Any]] = field(
        default_factory=lambda: [
            {"type": "LtiResourceLinkRequest"},
            {"type": "LtiDeepLinkingRequest", "placements": ["ContentArea", "homework"]},
        ]
    )
    issuer: str | None = None  # default: the server's own URL
    deployment_id: str | None = "deployment-7"
    answer_status: int = 200
    answer_body: bytes | None = None
    config_overrides: dict[str, Any] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)
    url: str = ""

    def configuration(self) -> dict[str, Any]:
        """The OpenID configuration this platform serves."""
        base = self.url
        config = {
            "issuer": self.issuer or base,
            "authorization_endpoint": f"{base}/auth",
            "token_endpoint": f"{base}/token",
            "jwks_uri": f"{base}/jwks",
            "registration_endpoint": f"{base}/register",
            "authorization_server": f"{base}/token",
            "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", AGS + "score", AGS + "lineitem"],
            PLATFORM_CONFIGURATION: {
                "product_family_code": self.product,
                "version": "4.5",
                "messages_supported": self.messages,
            },
        }
        config.update(self.config_overrides)
        return config

    def answer(self, body: dict[str, Any]) -> tuple[int, bytes]:
        """The registration endpoint's answer to ``body``."""
        if self.answer_body is not None:
            return self.answer_status, self.answer_body
        answer = {**body, "client_id": "client-from-" + self.product}
        tool = dict(body.get(TOOL_CONFIGURATION) or {})
        if self.deployment_id is not None:
            tool["deployment_id"] = self.deployment_id
        answer[TOOL_CONFIGURATION] = tool
        return self.answer_status, json.dumps(answer).encode()

    def posted(self) -> list[Recorded]:
        """The registration requests received."""
        return [r for r in self.requests if r.method == "POST"]

    def __enter__(self) -> RegistrationPlatform:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def _send(self, status: int, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                owner.requests.append(Recorded("GET", self.path, dict(self.headers), None))
                if self.path.split("?")[0] == CONFIG_PATH:
                    self._send(200, json.dumps(owner.configuration()).encode())
                else:
                    self._send(404, b"{}")

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                body = json.loads(raw or b"null")
                owner.requests.append(Recorded("POST", self.path, dict(self.headers), body))
                self._send(*owner.answer(body))

            def log_message(self, *args: Any) -> None:
                pass

        self.url = self.serve(Handler)
        return super().__enter__()

    @property
    def config_url(self) -> str:
        """The openid_configuration parameter the platform puts in the link."""
        return self.url + CONFIG_PATH


# Fixtures and helpers shared by the Dynamic Registration tests.


def detail(response) -> str:
    """The error page's detail line, unescaped."""
    return html.unescape(error_detail(response))


def register(client, token: str, platform: RegistrationPlatform, **extra: str) -> Any:
    query = {"openid_configuration": platform.config_url, "registration_token": "reg-tok", **extra}
    return client.get(link_path(token), query)
