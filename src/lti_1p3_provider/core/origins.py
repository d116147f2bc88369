"""Origins and host names: what may frame our pages and which hosts we may call."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_HOST = re.compile(
    r"^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?)*$"
)
_IPV4 = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")


def normalize_host(value: str) -> str | None:
    """A lower-case DNS name or IPv4 address, or None when the value is neither."""
    host = value.strip().lower().rstrip(".")
    return host if _HOST.match(host) or _IPV4.match(host) else None


def url_host(url: str) -> str | None:
    """The host of an absolute http(s) URL without credentials, or None."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not host or parts.username or parts.password:
        return None
    return normalize_host(host)


def url_origin(url: str) -> str | None:
    """``scheme://host[:port]`` of an absolute http(s) URL, or None."""
    host = url_host(url)
    if host is None:
        return None
    parts = urlsplit(url)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}"


def normalize_origin(value: str) -> str | None:
    """An origin as CSP frame-ancestors takes it; None for paths, queries or other schemes."""
    value = value.strip()
    try:
        parts = urlsplit(value)
    except ValueError:  # "http://[::1": an unclosed IPv6 bracket
        return None
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        return None
    return url_origin(value)
