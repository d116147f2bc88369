"""URL shapes a framed block calls back into, shared by the backends' ``session_route``."""

from __future__ import annotations

import re
from collections.abc import Iterable

from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import UsageKey

from lti_1p3_provider.edxapp.api import ASSET, SessionRoute


def block_route(path: str, patterns: Iterable[re.Pattern[str]]) -> SessionRoute | None:
    """A route naming the usage key captured as ``usage`` by the first matching pattern."""
    for pattern in patterns:
        match = pattern.match(path)
        if match is None:
            continue
        try:
            return SessionRoute(usage_key=UsageKey.from_string(match.group("usage")))
        except InvalidKeyError:
            return None
    return None


def route(
    path: str, asset_prefixes: tuple[str, ...], patterns: Iterable[re.Pattern[str]]
) -> SessionRoute | None:
    """ASSET for asset prefixes, a block route for block URLs, else None."""
    if path.startswith(asset_prefixes):
        return ASSET
    return block_route(path, patterns)
