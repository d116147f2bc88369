"""Readable usernames from a launch value (an e-mail, a platform username), Open edX-safe."""

from __future__ import annotations

import re

# Open edX usernames: at most 30 characters of letters, digits, '_', '-' and '.'; keep 21 so
# a random suffix fits when the name is taken.
MAX_BASE = 21
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def readable_username(value: str) -> str:
    """``value`` as a username base ("" when nothing usable is left); an e-mail's local part."""
    if not isinstance(value, str):
        return ""
    local = value.split("@", 1)[0] if "@" in value else value
    cleaned = _UNSAFE.sub("_", local.strip()).strip("_.-")
    return cleaned[:MAX_BASE]
