"""Typed, bounded reads of JSON claims: every claim the provider uses goes through one of these.

A wrong type or value raises InvalidClaim naming the claim and what was wrong, so a platform's
admin can fix it; nothing downstream ever sees an unchecked value.
"""

from __future__ import annotations

import math
import re
from typing import Any

from lti_1p3_provider.core.origins import url_host
from lti_1p3_provider.core.text import _
from lti_1p3_provider.exceptions import InvalidClaim

ID_LENGTH = 255
URL_LENGTH = 1024
TEXT_LENGTH = 255
MAX_ROLES = 100
# Ids a platform gives us that are stored and compared, never shown raw: visible ASCII only.
PRINTABLE_ID = re.compile(r"^[\x21-\x7e]{1,255}$")

_JSON_NAMES = {
    str: _("a string"),
    bool: _("a boolean"),
    int: _("a number"),
    float: _("a number"),
    list: _("a list"),
    dict: _("an object"),
    type(None): _("null"),
}


def json_type(value: Any) -> str:
    """The JSON type of a value, as an admin reads it."""
    return _JSON_NAMES.get(type(value), type(value).__name__)


def refuse(claim: str, expected: str, value: Any = None, *, got: str | None = None) -> InvalidClaim:
    """The refusal for a claim that is not what LTI allows."""
    short = claim.rsplit("/", 1)[-1]
    found = got or _("the platform sent %(type)s") % {"type": json_type(value)}
    return InvalidClaim(
        _("The launch's '%(claim)s' claim is not valid.") % {"claim": short},
        admin_hint=_(
            "The claim %(claim)s must be %(expected)s; %(found)s. Fix the platform's LTI 1.3 "
            "configuration or report it to its vendor."
        )
        % {"claim": claim, "expected": expected, "found": found},
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
            raise refuse(name, _("a non-empty string"), got=_("it is missing or empty"))
        return None
    if not isinstance(value, str):
        raise refuse(name, _("a string"), value)
    if len(value) > max_length:
        if not truncate:
            raise refuse(
                name,
                _("at most %(count)s characters") % {"count": max_length},
                got=_("it has %(count)s") % {"count": len(value)},
            )
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
            raise refuse(claim, _("a list of strings (it may be empty)"), got=_("it is missing"))
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise refuse(claim, _("a list of strings"), value)
    if len(value) > max_items or any(len(v) > max_length for v in value):
        expected = _("at most %(items)s strings of %(length)s characters")
        raise refuse(claim, expected % {"items": max_items, "length": max_length}, value)
    return tuple(value)


def obj(payload: dict[str, Any], claim: str, *, required: bool = False) -> dict[str, Any] | None:
    """An object claim, or None when absent."""
    value = payload.get(claim)
    if value is None:
        if required:
            raise refuse(claim, _("an object"), got=_("it is missing"))
        return None
    if not isinstance(value, dict):
        raise refuse(claim, _("an object"), value)
    return value


def url(payload: dict[str, Any], claim: str, *, where: str) -> str | None:
    """An absolute http(s) URL of at most URL_LENGTH characters, or None when absent."""
    value = string(payload, claim, max_length=URL_LENGTH, where=where)
    if value is not None and url_host(value) is None:
        raise refuse(where, _("an absolute http(s) URL"), got=_("it is not one"))
    return value


def timestamp(payload: dict[str, Any], claim: str) -> float:
    """A finite number of seconds since the epoch."""
    value = payload.get(claim)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise refuse(claim, _("a finite number of seconds"), value)
    return float(value)


def boolean(payload: dict[str, Any], claim: str, *, where: str) -> bool | None:
    """An optional boolean claim: None when absent; refused when any other type."""
    value = payload.get(claim)
    if value is None:
        return None
    if not isinstance(value, bool):
        raise refuse(where, _("true or false"), value)
    return value
