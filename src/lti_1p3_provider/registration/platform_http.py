"""The two calls registration makes to a platform, through the provider's one outbound door.

The configuration URL comes from the browser, so it is bounded like any untrusted input:
HTTPS outside DEBUG, never a loopback, link-local or other special address (cloud metadata
services live there), no redirects, and at most 64 KB read back. The address is checked here
for a clear, early refusal, and again on the connection itself (``outbound_transport``), since DNS
may answer differently the second time.
"""

from __future__ import annotations

import socket

from django.conf import settings

from lti_1p3_provider import outbound
from lti_1p3_provider.core import addresses
from lti_1p3_provider.core.origins import url_host
from lti_1p3_provider.core.text import _
from lti_1p3_provider.exceptions import PlatformConfigurationRefused, RegistrationRejected
from lti_1p3_provider.outbound_transport import local_addresses_allowed

MAX_BODY = 64 * 1024


def insecure_allowed() -> bool:
    """Plain HTTP platforms are for development only (DEBUG)."""
    return bool(settings.DEBUG)


def check_platform_url(url: str, what: str) -> None:
    """Refuse, before any request, a URL registration must not call."""
    host = url_host(url)
    if host is None or len(url) > 1024:
        raise PlatformConfigurationRefused(
            _("%(what)s is not an absolute http(s) URL.") % {"what": what}
        )
    if not insecure_allowed() and not url.startswith("https://"):
        raise PlatformConfigurationRefused(_("%(what)s is not HTTPS.") % {"what": what})
    if local_addresses_allowed():
        return
    if any(addresses.is_refused(address) for address in _addresses(host)):
        raise PlatformConfigurationRefused(
            _("%(what)s is on %(host)s, which resolves to an address this site never calls.")
            % {"what": what, "host": host}
        )


def _addresses(host: str) -> list[addresses.IpAddress]:
    try:
        infos = socket.getaddrinfo(host, 443, proto=socket.IPPROTO_TCP)
    except OSError as exc:
        raise PlatformConfigurationRefused(
            _("The platform's host %(host)s is not known.") % {"host": host}
        ) from exc
    found = (addresses.parse(str(info[4][0])) for info in infos)
    return [address for address in found if address is not None]


def _read_json(answer: outbound.Answer, what: str, error: type[Exception]) -> object:
    if answer.cut:
        raise error(
            _("%(what)s is larger than %(kb)s KB.") % {"what": what, "kb": MAX_BODY // 1024}
        )
    try:
        return answer.json()
    except ValueError as exc:
        raise error(_("%(what)s is not JSON.") % {"what": what}) from exc


def _headers(registration_token: str | None) -> dict[str, str]:
    headers = {"Accept": "application/json"}
    if registration_token:
        headers["Authorization"] = f"Bearer {registration_token}"
    return headers


def fetch_configuration(url: str, registration_token: str | None) -> object:
    """GET the platform's OpenID configuration (with the registration token, as Canvas wants)."""
    check_platform_url(url, _("The OpenID configuration URL"))
    try:
        answer = outbound.call("GET", url, headers=_headers(registration_token), max_bytes=MAX_BODY)
    except outbound.OutboundError as exc:
        raise PlatformConfigurationRefused(
            _("The platform's OpenID configuration could not be fetched (%(error)s).")
            % {"error": str(exc)}
        ) from exc
    if answer.status != 200:
        raise PlatformConfigurationRefused(
            _("The platform's OpenID configuration could not be fetched (it answered %(answer)s).")
            % {"answer": outbound.reason(answer)}
        )
    what = _("The platform's OpenID configuration")
    return _read_json(answer, what, PlatformConfigurationRefused)


def post_registration(endpoint: str, body: dict, registration_token: str | None) -> object:
    """POST the client registration; RegistrationRejected with the status and error code."""
    check_platform_url(endpoint, _("The platform's registration endpoint"))
    headers = {**_headers(registration_token), "Content-Type": "application/json"}
    try:
        answer = outbound.call("POST", endpoint, json=body, headers=headers, max_bytes=MAX_BODY)
    except outbound.OutboundError as exc:
        raise RegistrationRejected(
            _("The platform could not be reached (%(error)s).") % {"error": str(exc)}
        ) from exc
    if answer.status not in (200, 201):
        error = RegistrationRejected(
            _("The platform refused the registration: it answered %(answer)s.")
            % {"answer": outbound.reason(answer)}
        )
        if answer.status in (401, 403) and not registration_token:
            error.admin_hint = _(
                "The platform requires a registration token and the link had none. Start the "
                "registration from the platform's 'add a tool by URL' page, which adds it."
            )
        raise error
    return _read_json(answer, _("The platform's registration answer"), RegistrationRejected)
