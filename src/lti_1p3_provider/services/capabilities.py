"""Capability URLs: short-lived records under unguessable ids, for pages in a platform's frame.

The picker and the teacher pages are reached through such an id instead of a session cookie,
which a platform's frame often does not get (ADR 0006).
"""

from __future__ import annotations

import secrets
from typing import Any

from lti_1p3_provider.conf import provider_settings
from lti_1p3_provider.services.cache import is_issued_id, provider_cache

MAX_ID_LENGTH = 64


def _key(kind: str, capability_id: str) -> str:
    return f"lti1p3:{kind}:{capability_id}"


def open_capability(kind: str, data: dict[str, Any], ttl: int | None = None) -> str:
    """Store ``data`` (with its new ``id``) for ``ttl`` seconds (default: the deep linking TTL);
    return the id."""
    capability_id = secrets.token_urlsafe(24)
    ttl = provider_settings.LTI_1P3_PROVIDER_DEEP_LINKING_TTL_SEC if ttl is None else ttl
    provider_cache().set(_key(kind, capability_id), {**data, "id": capability_id}, ttl)
    return capability_id


def read_capability(kind: str, capability_id: str) -> dict[str, Any] | None:
    """The stored record, or None when it expired, was closed or never existed."""
    if not is_issued_id(capability_id, MAX_ID_LENGTH):
        return None
    raw = provider_cache().get(_key(kind, capability_id))
    return raw if isinstance(raw, dict) else None


def close_capability(kind: str, capability_id: str) -> bool:
    """Close the record; True for the one caller that closes it (``cache.add`` is atomic)."""
    if not is_issued_id(capability_id, MAX_ID_LENGTH):
        return False
    cache = provider_cache()
    key = _key(kind, capability_id)
    if not cache.add(key + ":closed", 1, provider_settings.LTI_1P3_PROVIDER_DEEP_LINKING_TTL_SEC):
        return False
    cache.delete(key)
    return True
