"""Test helpers: a signing platform (real RSA keys, real JWTs) and login round-trips."""

from __future__ import annotations

import functools
import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
from cryptography.hazmat.primitives import serialization

from lti_1p3_provider.core import claims as c
from lti_1p3_provider.core.keys import KeyPair, generate_key_pair, public_jwk

COURSE = "course-v1:OpenedX+DemoX+2026"
PROBLEM = "block-v1:OpenedX+DemoX+2026+type@problem+block@speed_q1"
UNIT = "block-v1:OpenedX+DemoX+2026+type@vertical+block@speed_unit"
UNPUBLISHED = "block-v1:OpenedX+DemoX+2026+type@problem+block@draft_q1"
HOST = "testserver"


def target_uri(usage_key: str = PROBLEM, course: str = COURSE, host: str = HOST) -> str:
    """An absolute content target URL on the test server."""
    return f"http://{host}/lti/1p3/launch/{course}/{usage_key}"


@dataclass
class SigningPlatform:
    """A platform's key pair and identity, signing id_tokens the way a platform does."""

    issuer: str = "https://platform.example"
    client_id: str = "client-1"
    deployment_id: str = "dep-1"
    keys: KeyPair = field(default_factory=generate_key_pair)

    @property
    def jwk(self) -> dict[str, Any]:
        return public_jwk(self.keys.public_pem)

    @property
    def jwks(self) -> dict[str, Any]:
        return {"keys": [self.jwk]}

    def claims(self, login_nonce: str, target: str, **overrides: Any) -> dict[str, Any]:
        now = int(time.time())
        body: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.client_id,
            "azp": self.client_id,
            "sub": "learner-1",
            "iat": now,
            "exp": now + 300,
            "nonce": login_nonce,
            "name": "Ada Lovelace",
            "email": "ada@platform.example",
            c.CLAIM_MESSAGE_TYPE: c.RESOURCE_LINK_REQUEST,
            c.CLAIM_VERSION: c.LTI_VERSION,
            c.CLAIM_DEPLOYMENT_ID: self.deployment_id,
            c.CLAIM_TARGET_LINK_URI: target,
            c.CLAIM_RESOURCE_LINK: {"id": "rl-1", "title": "Speed"},
            c.CLAIM_CONTEXT: {"id": "ctx-1", "title": "Physics 101"},
            c.CLAIM_ROLES: ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"],
            c.CLAIM_AGS_ENDPOINT: {
                "scope": [c.SCOPE_SCORE, c.SCOPE_LINEITEM],
                "lineitems": "https://platform.example/ags/lineitems",
                "lineitem": "https://platform.example/ags/lineitems/1",
            },
        }
        for key, value in overrides.items():
            if value is DROP:
                body.pop(key, None)
            else:
                body[key] = value
        return body

    def sign(
        self,
        body: dict[str, Any],
        *,
        kid: Any = None,
        key: KeyPair | None = None,
        alg: str = "RS256",
    ) -> str:
        signer = key or self.keys
        headers = {} if kid is DROP else {"kid": kid or self.jwk["kid"]}
        secret: Any = signer.private_pem if alg != "RS256" else _loaded_key(signer.private_pem)
        return jwt.encode(body, secret, algorithm=alg, headers=headers)


@functools.lru_cache(maxsize=32)
def _loaded_key(private_pem: str) -> Any:
    # A platform keeps its key loaded; parsing the PEM (~45 ms with RSA's key checks) on every
    # signature slowed the suite and cooled the CPU caches between a benchmark's timed phases.
    return serialization.load_pem_private_key(private_pem.encode(), password=None)


DROP = object()


def login_query(platform: SigningPlatform, target: str | None = None, **params: str) -> dict:
    """The platform's login initiation parameters."""
    return {
        "iss": platform.issuer,
        "client_id": platform.client_id,
        "login_hint": "learner-1",
        "target_link_uri": target or target_uri(),
        "lti_message_hint": "rl-1",
        **params,
    }


def start_login(
    client: Any, platform: SigningPlatform, target: str | None = None, **params: str
) -> dict[str, str]:
    """Run the tool's login initiation; return the auth request's query (state, nonce, ...)."""
    response = client.get("/lti/1p3/login/", login_query(platform, target, **params))
    assert response.status_code == 302, response.content
    return {k: v[0] for k, v in parse_qs(urlsplit(response["Location"]).query).items()}


def launch(
    client: Any,
    platform: SigningPlatform,
    target: str | None = None,
    sign_kwargs: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    **overrides: Any,
) -> Any:
    """A full login + launch POST with optional claim overrides (and request ``headers``, as
    the platform's page would send them); returns the launch response."""
    target = target or target_uri()
    auth = start_login(client, platform, target)
    token = platform.sign(
        platform.claims(auth["nonce"], target, **overrides), **(sign_kwargs or {})
    )
    form = {"id_token": token, "state": auth["state"]}
    return client.post("/lti/1p3/launch/", form, headers=headers)


def error_detail(response: Any) -> str:
    """The learner-facing detail line of an error page."""
    text = response.content.decode()
    start = text.index('class="detail">') + len('class="detail">')
    return text[start : text.index("</p>", start)]


def registration_json(platform: SigningPlatform) -> str:
    """The pasted key set of a platform, as the admin stores it."""
    return json.dumps(platform.jwks)


def random_sub() -> str:
    """A fresh platform user id."""
    return f"sub-{uuid.uuid4().hex[:12]}"
