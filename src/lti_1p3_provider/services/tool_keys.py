"""Tool keys (pylti1p3 ``LtiToolKey``): generation and the public key set we serve."""

from __future__ import annotations

from typing import Any

import jwt
from django.db import transaction
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool, LtiToolKey

from lti_1p3_provider.core.keys import generate_key_pair, public_jwk


def create_tool_key(name: str, org: str = "") -> LtiToolKey:
    """A new tool key with a freshly generated RSA pair (no openssl needed), of ``org`` if
    given."""
    from lti_1p3_provider.models import ToolKeyOwner

    pair = generate_key_pair()
    with transaction.atomic():
        key = LtiToolKey.objects.create(
            name=name, private_key=pair.private_pem, public_key=pair.public_pem
        )
        if org:
            ToolKeyOwner.objects.create(tool_key=key, org=org)
    return key


def get_or_create_tool_key(name: str) -> tuple[LtiToolKey, bool]:
    """The tool key with this name, generating it when missing."""
    existing = LtiToolKey.objects.filter(name=name).first()
    if existing is not None:
        return existing, False
    return create_tool_key(name), True


def tool_key_jwk(key: LtiToolKey) -> dict[str, Any] | None:
    """The key's public JWK, or None when it has no public half."""
    return public_jwk(key.public_key) if key.public_key else None


def public_key_set(org: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """JWKS of every tool key not retired by a rotation, in creation order, each kid once;
    with ``org``, only that organization's keys."""
    from lti_1p3_provider.services.key_rotation import retired_key_ids

    keys: dict[str, dict[str, Any]] = {}
    retired = retired_key_ids()
    rows = LtiToolKey.objects.exclude(pk__in=retired).order_by("pk")
    if org is not None:
        rows = rows.filter(owner__org=org)
    for key in rows:
        jwk = tool_key_jwk(key)
        if jwk is not None:
            keys.setdefault(jwk["kid"], jwk)
    return {"keys": list(keys.values())}


def sign_as_tool(tool: LtiTool, claims: dict[str, Any]) -> str:
    """An RS256 JWT signed with the registration's tool key, its ``kid`` in the header.

    During a rotation the successor signs once its publication grace has passed.
    """
    from lti_1p3_provider.services.key_rotation import signing_key

    key = signing_key(tool.tool_key)
    kid = public_jwk(key.public_key)["kid"]
    return jwt.encode(claims, key.private_key, algorithm="RS256", headers={"kid": kid})
