"""JSON from untrusted text: every failure, nesting too deep included, is a ValueError."""

from __future__ import annotations

import json
from typing import Any


def loads(content: bytes | str) -> Any:
    """``json.loads``, with nesting deeper than the parser goes a ValueError, not a crash."""
    try:
        return json.loads(content)
    except RecursionError as exc:
        raise ValueError("the JSON is nested too deeply") from exc
