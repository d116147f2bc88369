"""The one door for HTTP calls to platforms: allowed hosts, timeouts, no redirects, short errors.

Token, line item, score and key set calls go through ``call``. URLs a platform names in its
claims (line items, scores) must be on a host its registration allows; nothing is sent
otherwise. Responses are never stored or shown verbatim: errors keep the status and a short,
sanitised reason. Connections are reused per thread and host.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from typing import Any

import requests
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

from lti_1p3_provider.conf import provider_settings
from lti_1p3_provider.core.origins import url_host
from lti_1p3_provider.models import policy_for

log = logging.getLogger(__name__)
_local = threading.local()
_TOKEN = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")


class OutboundError(Exception):
    """A call to a platform failed or was not made; ``status`` is the HTTP status if any."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class HostNotAllowed(OutboundError):
    """The URL's host is not one the registration allows: no request was sent."""


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
        _local.session = session
    return session


def reason(response: requests.Response, content: bytes | None = None) -> str:
    """``<status> <reason phrase>`` plus an OAuth/JSON ``error`` code if it is a plain token.

    ``content``: the body already read (a streamed response is never read whole here).
    """
    phrase = re.sub(r"[^A-Za-z0-9 .'-]", "", response.reason or "")[:40]
    text = f"{response.status_code} {phrase}".strip()
    content = response.content if content is None else content
    try:
        body = json.loads(content) if len(content) <= 4096 else None
    except ValueError:
        body = None
    code = body.get("error") if isinstance(body, dict) else None
    if isinstance(code, str) and _TOKEN.match(code):
        text += f" (error={code})"
    return text


def call(
    method: str, url: str, *, allowed_hosts: frozenset[str] | None = None, **kwargs: Any
) -> requests.Response:
    """Send one request (no redirects); OutboundError on network failure."""
    if allowed_hosts is not None:
        check_host(url, allowed_hosts)
    elif url_host(url) is None:
        raise HostNotAllowed("not an absolute http(s) URL")
    timeout = provider_settings.LTI_1P3_PROVIDER_HTTP_TIMEOUT_SEC
    try:
        return _session().request(method, url, timeout=timeout, allow_redirects=False, **kwargs)
    except requests.RequestException as exc:
        host = url_host(url)
        raise OutboundError(f"{method} to {host} failed: {exc.__class__.__name__}") from exc
