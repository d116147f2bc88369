"""The one door for HTTP calls to platforms: allowed hosts, timeouts, no redirects, short errors.

Token, line item, score and key set calls go through ``call``. URLs a platform names in its
claims (line items, scores) must be on a host its registration allows; nothing is sent
otherwise. Every answer is read here, streamed and bounded (a platform cannot make a worker
hold a gigabyte), and parsed by ``Answer.json``, which refuses what ``json`` would crash on.
Responses are never stored or shown verbatim: errors keep the status and a short, sanitised
reason. Connections are reused per thread and host, and each new one is refused before anything
is sent if it reached a loopback, link-local or other local address (``outbound_transport``).
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

import requests
import urllib3
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

from lti_1p3_provider.conf import provider_settings
from lti_1p3_provider.core import json_text
from lti_1p3_provider.core.origins import url_host
from lti_1p3_provider.models import policy_for
from lti_1p3_provider.outbound_transport import CheckedAdapter, PeerRefused, answer_within

log = logging.getLogger(__name__)
_local = threading.local()
_TOKEN = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
# Key sets, tokens, line items and registration answers are a few KB; 1 MiB is far beyond any.
MAX_ANSWER_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Answer:
    """A platform's answer, its body read whole up to a bound (``cut``: it went on beyond)."""

    status: int
    reason_phrase: str
    headers: Mapping[str, str] = field(default_factory=dict)
    content: bytes = b""
    cut: bool = False
    url: str = ""  # what was asked for, query included: relative links resolve against it

    def json(self) -> Any:
        """The body as JSON; ValueError when it is not JSON, nested too deep, or was cut."""
        if self.cut:
            raise ValueError(f"the answer is larger than {len(self.content) // 1024} KB")
        return json_text.loads(self.content)

    def links(self) -> dict[str, str]:
        """The ``Link`` header's absolute URLs by relation (``next`` for a paged container).

        A relative reference resolves against the URL asked for (RFC 8288 3.1); where it
        leads is still checked against the registration's hosts when it is called.
        """
        found: dict[str, str] = {}
        for link in requests.utils.parse_header_links(self.headers.get("Link", "")):
            for rel in (link.get("rel") or "").split():  # rel may list several relations
                if link.get("url"):
                    found.setdefault(rel, _resolve(self.url, link["url"]))
        return found


def _resolve(base: str, reference: str) -> str:
    try:
        return urljoin(base, reference)
    except ValueError:  # "http://[::1": kept as sent, for the host check to refuse by name
        return reference


class OutboundError(Exception):
    """A call to a platform failed or was not made; ``status`` is the HTTP status if any."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class HostNotAllowed(OutboundError):
    """The URL's host is not one the registration allows: no request was sent."""


class AddressRefused(HostNotAllowed):
    """The host resolved to a local address the tool never calls: nothing was sent."""


def service_hosts(tool: LtiTool) -> frozenset[str]:
    """Hosts AGS calls of this registration may go to: token URL, issuer, operator extras."""
    hosts = {url_host(tool.auth_token_url or ""), url_host(tool.issuer or "")}
    hosts.update(policy_for(tool).extra_service_hosts or [])
    return frozenset(h for h in hosts if h)


def check_host(url: str, allowed: frozenset[str]) -> None:
    """Refuse, before any request, a URL whose host the registration does not allow."""
    host = url_host(url)
    if host is None or host not in allowed:
        shown = host or "an invalid URL"
        log.warning(
            "LTI outbound call refused: host %s is not allowed (%s)", shown, sorted(allowed)
        )
        raise HostNotAllowed(f"{shown} is not a host this registration allows")


def _session() -> requests.Session:
    session = getattr(_local, "session", None)
    if session is None:
        session = requests.Session()
        session.trust_env = False  # no proxies or .netrc credentials picked up from the env
        adapter = CheckedAdapter()  # each new connection's peer address is checked
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        _local.session = session
    return session


def reason(answer: Answer) -> str:
    """``<status> <reason phrase>`` plus an OAuth/JSON ``error`` code if it is a plain token."""
    phrase = re.sub(r"[^A-Za-z0-9 .'-]", "", answer.reason_phrase or "")[:40]
    text = f"{answer.status} {phrase}".strip()
    code = error_code(answer)
    return f"{text} (error={code})" if code else text


def error_code(answer: Answer) -> str | None:
    """The OAuth/JSON ``error`` code of a small answer, when it is a plain token."""
    try:
        body = json_text.loads(answer.content) if len(answer.content) <= 4096 else None
    except ValueError:
        return None
    code = body.get("error") if isinstance(body, dict) else None
    return code if isinstance(code, str) and _TOKEN.match(code) else None


def call(
    method: str,
    url: str,
    *,
    allowed_hosts: frozenset[str] | None = None,
    max_bytes: int = MAX_ANSWER_BYTES,
    **kwargs: Any,
) -> Answer:
    """Send one request (no redirects) and read at most ``max_bytes`` of the answer;
    OutboundError on network failure."""
    if allowed_hosts is not None:
        check_host(url, allowed_hosts)
    elif url_host(url) is None:
        raise HostNotAllowed("not an absolute http(s) URL")
    timeout = provider_settings.LTI_1P3_PROVIDER_HTTP_TIMEOUT_SEC
    host = url_host(url)
    with answer_within(timeout) as deadline:
        try:
            response = _session().request(
                method, url, timeout=timeout, allow_redirects=False, stream=True, **kwargs
            )
            with response:
                ends_at = deadline.ends_at or time.monotonic() + timeout
                content, cut = _read(response, max_bytes, ends_at)
        except PeerRefused as exc:
            raise AddressRefused(str(exc)) from exc
        except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
            # Reading the body from urllib3 directly raises its own errors, not requests'.
            if deadline.passed:
                raise OutboundError(f"{host} sent its answer too slowly") from exc
            raise OutboundError(f"{method} to {host} failed: {exc.__class__.__name__}") from exc
    asked = response.url if isinstance(response.url, str) else url
    return Answer(
        response.status_code, response.reason or "", response.headers, content, cut, asked
    )


def _read(response: requests.Response, max_bytes: int, deadline: float) -> tuple[bytes, bool]:
    # Read to the end when it fits, so the connection goes back to the pool for the next call.
    # The timeout bounds each read; the deadline bounds a body trickled in byte by byte, and
    # read1 (urllib3 2.3+) returns what one socket read brought, so the deadline is checked
    # between bytes; older urllib3 waits for each whole chunk, which stays bounded in size.
    raw = response.raw
    read = getattr(raw, "read1", raw.read)
    chunks, size = [], 0
    while chunk := read(16 * 1024, decode_content=True):
        chunks.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            return b"".join(chunks)[:max_bytes], True
        if time.monotonic() > deadline:
            host = url_host(response.url) or "the platform"
            raise OutboundError(f"{host} sent its answer too slowly")
    return b"".join(chunks), False
