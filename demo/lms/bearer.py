"""The built-in LMS's check of the bearer tokens its token endpoint issued (AGS, NRPS)."""

from __future__ import annotations

import time
from functools import lru_cache
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from django.http import HttpRequest, HttpResponse, JsonResponse

from demo.lms.models import DemoPlatform


def authorized(request: HttpRequest, scope: str, platform: DemoPlatform | None = None) -> bool:
    """A bearer token this platform issued, unexpired, granting ``scope``."""
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return False
    platform = platform or DemoPlatform.objects.only("issuer", "public_key").get()
    try:
        contents = _verified(header[len("Bearer ") :], platform.public_key)
    except jwt.PyJWTError:
        return False
    if "exp" in contents and contents["exp"] < time.time():  # on every use, not only the first
        return False
    granted = str(contents.get("scopes", "")).split(" ")
    return contents.get("iss") == platform.issuer and scope in granted


def refused() -> HttpResponse:
    """The answer to a missing or refused token, with the status the operator chose."""
    status = DemoPlatform.objects.values_list("token_refusal_status", flat=True).get()
    return JsonResponse({"error": "invalid_token"}, status=status)


@lru_cache(maxsize=256)
def _verified(token: str, public_pem: str) -> dict[str, Any]:
    """What the library's validate_token checks, verified once per token and key per process:
    a tool presents the same token for an hour of calls."""
    return jwt.decode(token, _verifying_key(public_pem), algorithms=["RS256"])


@lru_cache(maxsize=4)
def _verifying_key(public_pem: str) -> Any:
    return serialization.load_pem_public_key(public_pem.encode())
