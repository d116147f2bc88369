"""Typed, bounded reads of JSON claims: every claim the provider uses goes through one of these.

A wrong type or value raises InvalidClaim naming the claim and what was wrong, so a platform's
admin can fix it; nothing downstream ever sees an unchecked value.
"""

from __future__ import annotations

import math
import re
from typing import Any

from lti_1p3_provider.core.origins import url_host
from lti_1p3_provider.exceptions import InvalidClaim

ID_LENGTH = 255
URL_LENGTH = 1024
TEXT_LENGTH = 255
MAX_ROLES = 100
# Ids a platform gives us that are stored and compared, never shown raw: visible ASCII only.
PRINTABLE_ID = re.compile(r"^[\x21-\x7e]{1,255}$")

_JSON_NAMES = {
    str: "a string",
    bool: "a boolean",
    int: "a number",
    float: "a number",
    list: "a list",
    dict: "an object",
    type(None): "null",
}


def json_type(value: Any) -> str:
    """The JSON type of a value, as an admin reads it."""
    return _JSON_NAMES.get(type(value), type(value).__name__)


def refuse(claim: str, expected: str, value: Any = None, *, got: str | None = None) -> InvalidClaim:
    """The refusal for a claim that is not what LTI allows."""
    short = claim.rsplit("/", 1)[-1]
    found = got or f"the platform sent {json_type(value)}"
    return InvalidClaim(
        f"The launch's '{short}' claim is not valid.",
        admin_hint=f"The claim {claim} must be {expected}; {found}. Fix the platform's "
        "LTI 1.3 configuration or report it to its vendor.",
    )


def string(
    payload: dict[str, Any],
    claim: str,
    *,
    required: bool = False,
    max_length: int = ID_LENGTH,
    truncate: bool = False,
    where: str | None = None,
) -> str | None:
    """A string claim: None when absent (or empty and optional); refused when the wrong type."""
    name = where or claim
    value = payload.get(claim)
    if value is None or value == "":
        if required:
            raise refuse(name, "a non-empty string", got="it is missing or empty")
        return None
    if not isinstance(value, str):
        raise refuse(name, "a string", value)
    if len(value) > max_length:
        if not truncate:
            raise refuse(name, f"at most {max_length} characters", got=f"it has {len(value)}")
        value = value[:max_length]
    return value


def string_list(
    payload: dict[str, Any],
    claim: str,
    *,
    required: bool = False,
    max_items: int = MAX_ROLES,
    max_length: int = ID_LENGTH,
    where: str | None = None,
) -> tuple[str, ...]:
    """A list of strings (an empty list is allowed); refused when absent and required."""
    value = payload.get(claim)
    claim = where or claim
    if value is None:
        if required:
            raise refuse(claim, "a list of strings (it may be empty)", got="it is missing")
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise refuse(claim, "a list of strings", value)
    if len(value) > max_items or any(len(v) > max_length for v in value):
        raise refuse(claim, f"at most {max_items} strings of {max_length} characters", value)
    return tuple(value)


def obj(payload: dict[str, Any], claim: str, *, required: bool = False) -> dict[str, Any] | None:
    """An object claim, or None when absent."""
    value = payload.get(claim)
    if value is None:
        if required:
            raise refuse(claim, "an object", got="it is missing")
        return None
    if not isinstance(value, dict):
        raise refuse(claim, "an object", value)
    return value


def url(payload: dict[str, Any], claim: str, *, where: str) -> str | None:
    """An absolute http(s) URL of at most URL_LENGTH characters, or None when absent."""
    value = string(payload, claim, max_length=URL_LENGTH, where=where)
    if value is not None and url_host(value) is None:
        raise refuse(where, "an absolute http(s) URL", got="it is not one")
    return value


def timestamp(payload: dict[str, Any], claim: str) -> float:
    """A finite number of seconds since the epoch."""
    value = payload.get(claim)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise refuse(claim, "a finite number of seconds", value)
    return float(value)


def boolean(payload: dict[str, Any], claim: str, *, where: str) -> bool | None:
    """An optional boolean claim: None when absent; refused when any other type."""
    value = payload.get(claim)
    if value is None:
        return None
    if not isinstance(value, bool):
        raise refuse(where, "true or false", value)
    return value
